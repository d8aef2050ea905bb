"""Blocks and records every browser request to a host other than the live server's."""

import re
from urllib.parse import urlsplit


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
    """Requests that left (or tried to leave) the live server: each one is aborted and its URL kept.

    `block(page_or_context)` routes every request that does not start with the server's address to the
    check; the pattern is matched by the Playwright driver, so only requests for other hosts come back to
    Python. A page's own `page.route` (such as one that fulfils the quick-exit site locally) takes
    precedence over a context's route.
    """

    def __init__(self, server_url: str):
        self.server_origin = _origin(server_url)
        scheme, host, port = self.server_origin
        self._elsewhere = re.compile(rf"^(?!{re.escape(f'{scheme}://{host}:{port}/')})")
        self.urls: list[str] = []
        self._pages: list[str] = []

    def block(self, target) -> "OutsideRequests":
        target.route(self._elsewhere, self._handle)
        return self

    def _handle(self, route) -> None:
        url = route.request.url
        if _origin(url) == self.server_origin:
            route.fallback()
        else:
            self.urls.append(url)
            self._pages.append(_page_url(route.request))
            route.abort("blockedbyclient")

    def assert_none(self) -> None:
        if self.urls:
            listed = "\n".join(
                f"  {url} (asked for by {page})" for url, page in zip(self.urls, self._pages, strict=True)
            )
            raise AssertionError(f"The page asked for things from another host (blocked):\n{listed}")
