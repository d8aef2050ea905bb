"""The PDF renderer reads only the bundled files: every other URL is refused, and nothing is fetched."""

import io

import pypdf
import pytest

from pdf.engine import BUNDLED_FILES, FONTS_DIR, _engine, render_pdf
from pdf.fetcher import BundledFilesFetcher, FetchRefused


@pytest.fixture
def fetcher():
    return _engine().fetcher


def test_it_serves_a_bundled_font(fetcher):
    url = (FONTS_DIR / "AtkinsonHyperlegible-Regular.ttf").resolve().as_uri()
    response = fetcher(url)
    assert response.read() == (FONTS_DIR / "AtkinsonHyperlegible-Regular.ttf").read_bytes()
    assert response.content_type == "font/ttf"


def test_it_knows_exactly_the_bundled_files(fetcher):
    assert fetcher.urls == {path.resolve().as_uri() for path in BUNDLED_FILES}


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///etc/hosts?x=1",
        (FONTS_DIR / "README.md").resolve().as_uri(),
        (FONTS_DIR / "../../../config/settings.py").as_uri(),
        (FONTS_DIR / "AtkinsonHyperlegible-Regular.ttf").resolve().as_uri() + "?download=1",
        (FONTS_DIR / "AtkinsonHyperlegible-Regular.ttf").resolve().as_uri() + "#x",
        "file://localhost" + str((FONTS_DIR / "AtkinsonHyperlegible-Regular.ttf").resolve()),
        "http://127.0.0.1/",
        "https://www.childline.org.uk/",
        "ftp://127.0.0.1/file",
        "data:text/css,body{color:red}",
        "javascript:alert(1)",
        "FILE:///etc/passwd",
    ],
)
def test_it_refuses_everything_else(fetcher, url):
    with pytest.raises(FetchRefused):
        fetcher(url)


def test_it_refuses_an_http_url_without_asking_the_server(fetcher, recording_server):
    with pytest.raises(FetchRefused):
        fetcher(recording_server.url)
    with pytest.raises(FetchRefused):
        fetcher.open(recording_server.url)
    assert recording_server.requests == []


def test_it_never_follows_a_redirect_because_it_never_makes_a_request(recording_server):
    fetcher = BundledFilesFetcher({})
    with pytest.raises(FetchRefused):
        fetcher(recording_server.url + "redirect-me")
    assert recording_server.requests == []


def test_it_renders_a_document_that_asks_for_outside_resources_without_fetching_any(recording_server):
    url = recording_server.url
    html = f"""<!doctype html><html lang="en-GB"><head><title>x</title>
      <link rel="stylesheet" href="{url}style.css">
      <style>@import url({url}import.css); body {{ background: url({url}bg.png) }}
        @font-face {{ font-family: X; src: url({url}font.ttf) }}</style></head>
      <body><p>Still here</p><img src="{url}img.png" alt=""><img src="file:///etc/passwd" alt="">
      <object data="{url}object"></object><iframe src="{url}frame"></iframe>
      <svg><image href="{url}svg.png"/></svg><a href="{url}link" rel="attachment">attached</a></body></html>"""
    data = render_pdf(html, title="Outside resources")
    assert "Still here" in pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert recording_server.requests == []


def test_it_renders_with_the_title_and_language_it_is_given():
    import pikepdf

    data = render_pdf("<p>Report</p>", title="Pilot report")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.docinfo.Title) == "Pilot report"
        assert str(pdf.Root.Lang) == "en-GB"
        assert "/StructTreeRoot" in pdf.Root
