"""Walk a site as a person clicking its links would: every same-site page reachable from some start pages."""

from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

HOST = "testserver"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def crawl(client, start: list[str], *, limit: int = 300) -> Iterator[tuple[str, str]]:
    """Yield (url, html) for each HTML page, following <a> links on this site (never the admin or log out)."""
    seen, queue = set(), list(start)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        yield url, html
        links = _Links()
        links.feed(html)
        for link in links.links:
            parts = urlsplit(urljoin(f"http://{HOST}{url}", link))
            if parts.netloc == HOST and not parts.path.startswith(("/admin/", "/accounts/logout")):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert len(seen) > 3, "the crawl found almost nothing: is the start page broken?"
