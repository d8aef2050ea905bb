"""PDF renderer test fixtures: a local HTTP server that must never be asked for anything."""

from tests.recording_server import recording_server  # noqa: F401  (a fixture)
