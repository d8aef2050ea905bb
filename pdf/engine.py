"""The safe PDF renderer every app uses: `render_pdf` makes a tagged PDF/UA-1 file from a template's HTML.

Rendering reads only the bundled fonts, through a deny-by-default fetcher (pdf/fetcher.py), and the
stylesheets named with `pdf.stylesheets.stylesheet`. Fonts and stylesheets are prepared once per process and
reused; a semaphore caps how many renders run at once in a process, so that a class pressing "Download"
together queues instead of exhausting memory. WeasyPrint is imported on first use, so the site still runs (and
`manage.py check` warns, pdf.W001) without its libraries.
"""

import atexit
import queue
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.views.decorators.debug import sensitive_variables

from pdf import stylesheets as registry
from pdf.stylesheets import ASSETS_DIR, BASE_STYLESHEET, FONTS_DIR

# Everything a render may read. Stylesheets are read directly; what they reference must be listed here.
BUNDLED_FILES: dict[Path, str] = {
    FONTS_DIR / "AtkinsonHyperlegible-Regular.ttf": "font/ttf",
    FONTS_DIR / "AtkinsonHyperlegible-Bold.ttf": "font/ttf",
    FONTS_DIR / "DejaVuSans.ttf": "font/ttf",
    FONTS_DIR / "DejaVuSans-Bold.ttf": "font/ttf",
    FONTS_DIR / "NotoEmoji-Regular.ttf": "font/ttf",
}

RENDER_OPTIONS = {"pdf_variant": "pdf/ua-1", "presentational_hints": False, "custom_metadata": False}


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries cannot be loaded (see the pdf.W001 check)."""


class PdfBusy(RuntimeError):
    """Every render slot stayed busy for PDF_QUEUE_SECONDS."""


@dataclass
class _Prepared:
    """One font configuration and the stylesheets parsed against it; used by one render at a time."""

    font_config: object
    stylesheets: dict[Path, object] = field(default_factory=dict)

    def css(self, paths: Sequence[Path]) -> list:
        engine = _engine()
        for path in paths:
            if path not in self.stylesheets:
                self.stylesheets[path] = engine.CSS(
                    filename=path, font_config=self.font_config, url_fetcher=engine.fetcher
                )
        return [self.stylesheets[path] for path in paths]


@dataclass(frozen=True)
class _Engine:
    HTML: type
    CSS: type
    FontConfiguration: type
    fetcher: object
    base_url: str


@cache
def _engine() -> _Engine:
    try:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import path2url

        from pdf.fetcher import BundledFilesFetcher
    except (ImportError, OSError) as error:
        raise PdfUnavailable(f"WeasyPrint cannot load: {error}") from error
    return _Engine(
        HTML=weasyprint.HTML,
        CSS=weasyprint.CSS,
        FontConfiguration=FontConfiguration,
        fetcher=BundledFilesFetcher(BUNDLED_FILES),
        base_url=path2url(str(ASSETS_DIR) + "/"),
    )


@cache
def _render_slots() -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(settings.PDF_CONCURRENT_RENDERS)


# Prepared font configurations not in use. At most one per render slot is ever made.
_idle: "queue.SimpleQueue[_Prepared]" = queue.SimpleQueue()


def _take_prepared() -> _Prepared:
    try:
        return _idle.get_nowait()
    except queue.Empty:
        return _Prepared(font_config=_engine().FontConfiguration())


@atexit.register
def _release_prepared() -> None:
    """Drop prepared font configurations while Python is still whole (they delete their temporary folder)."""
    while True:
        try:
            _idle.get_nowait()
        except queue.Empty:
            return


def prepare(stylesheets: Iterable[Path] | None = None) -> None:
    """Load fonts and parse stylesheets now rather than on the first download (for example at start-up).

    Without arguments: the base stylesheet and every stylesheet an app registered (pdf.stylesheets).
    """
    chosen = registry.registered() if stylesheets is None else tuple(stylesheets)
    prepared = _take_prepared()
    try:
        prepared.css((BASE_STYLESHEET, *chosen))
    finally:
        _idle.put(prepared)


@sensitive_variables("html")
def render_pdf(html: str, *, title: str, stylesheets: Sequence[Path] = (), lang: str = "en-GB") -> bytes:
    """Render a complete HTML document to a tagged PDF/UA-1 file.

    `html` must come from an autoescaping template: user text is never marked safe. `stylesheets` are the
    caller's own, named with `pdf.stylesheets.stylesheet`, applied in order after the base stylesheet (the
    bundled fonts, A4 pages); they are parsed once per process. `title` is the PDF's title, shown as the
    window title; `lang` its language. Raises PdfBusy when all render slots stay busy, PdfUnavailable when
    WeasyPrint cannot load.
    """
    engine = _engine()
    slots = _render_slots()
    if not slots.acquire(timeout=settings.PDF_QUEUE_SECONDS):
        raise PdfBusy("Too many PDFs are being made at once.")
    try:
        prepared = _take_prepared()
        try:
            document = engine.HTML(
                string=html, base_url=engine.base_url, url_fetcher=engine.fetcher, media_type="print"
            ).render(
                font_config=prepared.font_config,
                stylesheets=prepared.css((BASE_STYLESHEET, *stylesheets)),
                **RENDER_OPTIONS,
            )
            document.metadata.title = title
            document.metadata.lang = lang
            return document.write_pdf(**RENDER_OPTIONS)
        finally:
            _idle.put(prepared)
    finally:
        slots.release()
