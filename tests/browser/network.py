"""Keeps every browser request to a host other than the live server's, which never reaches the network.

The tests' Chromium is launched with a proxy that is not there (`NO_PROXY_THERE` in CHROMIUM_ARGS): the browser
sends everything but loopback addresses to it, so a request for another host fails at once. Requests are only
watched, not routed: routing would send every request through Playwright's driver and turn the browser's cache
off, so that every page fetched every stylesheet and script again, where a student's browser keeps them.
"""

import re
from urllib.parse import urlsplit

# Nothing listens on the discard port; a browser told to use it as its proxy reaches no other host.
NO_PROXY_THERE = "--proxy-server=http://127.0.0.1:9"
# Requests that are not to a host at all.
_NOT_A_HOST = {"data", "blob", "about", "chrome", "chrome-extension"}


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443, "ws": 80, "wss": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or ""), port


def _page_url(request) -> str:
    try:
        return request.frame.url
    except Exception:  # a service worker's request has no frame
        return "a service worker"


class OutsideRequests:
    """Requests that tried to leave the live server: each one's URL and the page that asked for it.

    `watch(context)` keeps them for every page of a context. A test that answers an outside address itself
    (`page.route(...)`, such as the quick exit's destination) says so with `answered_locally(pattern)`.
    """

    def __init__(self, server_url: str):
        self.server_origin = _origin(server_url)
        self.urls: list[str] = []
        self._pages: list[str] = []
        self._local: list[re.Pattern] = []

    def watch(self, context) -> "OutsideRequests":
        context.on("request", self._seen)
        return self

    def answered_locally(self, pattern: re.Pattern) -> None:
        self._local.append(pattern)

    def _seen(self, request) -> None:
        url = request.url
        if urlsplit(url).scheme in _NOT_A_HOST or _origin(url) == self.server_origin:
            return
        if any(pattern.match(url) for pattern in self._local):
            return
        self.urls.append(url)
        self._pages.append(_page_url(request))

    def assert_none(self) -> None:
        if self.urls:
            listed = "\n".join(
                f"  {url} (asked for by {page})" for url, page in zip(self.urls, self._pages, strict=True)
            )
            raise AssertionError(f"The page asked for things from another host (blocked):\n{listed}")
