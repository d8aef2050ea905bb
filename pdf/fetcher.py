"""The URL fetcher for PDF renders: serves a fixed set of bundled files and refuses every other URL."""

import logging
from pathlib import Path

from weasyprint.urls import URLFetcher, URLFetcherResponse, iri_to_uri, path2url

logger = logging.getLogger(__name__)


class FetchRefused(ValueError):
    """A render asked for something outside the bundle. WeasyPrint leaves that resource out and goes on."""


class BundledFilesFetcher(URLFetcher):
    """Deny by default: only the exact file:// URLs of the files it was given are served, from memory.

    Nothing reaches urllib, so there is no network access, no other file, no redirect and no data: URL.
    Earlier WeasyPrint releases had advisories in which a fetcher was bypassed; this one allows by exact
    match, so a URL with `..`, a query, another host or another scheme never matches.
    """

    def __init__(self, files: dict[Path, str]):
        # The parent's urllib handlers are never used (fetch is replaced), but keep them as strict as possible.
        super().__init__(timeout=1, allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False)
        self._files: dict[str, tuple[bytes, str]] = {
            iri_to_uri(path2url(path.resolve())): (path.read_bytes(), content_type)
            for path, content_type in files.items()
        }

    @property
    def urls(self) -> frozenset[str]:
        return frozenset(self._files)

    def fetch(self, url, headers=None):
        entry = self._files.get(url) if isinstance(url, str) else None
        if entry is None:
            # Never log the URL itself: it comes from the document, and only the app's templates make URLs.
            scheme = url.split(":", 1)[0][:10] if isinstance(url, str) else type(url).__name__
            logger.warning("A PDF render asked for a file outside the bundle (%s:); it was refused.", scheme)
            raise FetchRefused("only the app's bundled files can be used in a PDF")
        body, content_type = entry
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
