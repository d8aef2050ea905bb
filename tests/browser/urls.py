"""Matching the URLs the live server's pages end up at, for `page.wait_for_url` and `expect(...).to_have_url`."""

import re


def url_of(path: str) -> re.Pattern:
    """Matches the live server's URL for `path` exactly, query and fragment included."""
    return re.compile(r"^http://[^/]+" + re.escape(path) + "$")
