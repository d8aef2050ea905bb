"""How the tests start Debian's Chromium: the conftest's `browser` and any test that launches one of its own."""

from pathlib import Path

from tests.browser.network import NO_PROXY_THERE

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    NO_PROXY_THERE,  # no request reaches another host (tests/browser/network.py)
]
