"""Anonymous results bundles: the file format and its signature (file, keys), a school's export, the import on
a pilot lead's server, the combined results across schools, and their pages (views, urls).

Each class session is counted once: a bundle lists its sessions by random reference, a later bundle holding
all of an earlier one's sessions replaces it (both are kept, so removing the later one brings the earlier
back), and a bundle sharing only some sessions with another is refused. Bundles are signed by the exporting
server (keys); the first key seen for a school name is trusted for it, and class sessions can be shared
(replaced) only between bundles from the same key or the same school.
"""
