"""The production server serves its own static files: fingerprinted, compressed and cached for a year."""

import re
import urllib.request

import pytest

pytestmark = pytest.mark.slow


def _get(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback test server
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, dict(response.headers), response.read()


def test_static_files_are_fingerprinted_compressed_and_cached_long(start_app_server, bundled_package):
    server = start_app_server()
    _, _, page = _get(f"{server.url}/")
    stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', page.decode())
    assert stylesheets and all(re.search(r"\.[0-9a-f]{12}\.css$", path) for path in stylesheets)
    status, headers, body = _get(server.url + stylesheets[0], **{"Accept-Encoding": "br, gzip"})
    assert status == 200
    assert headers.get("Content-Encoding") in {"br", "gzip"}
    assert "immutable" in headers["Cache-Control"] and "max-age=315360000" in headers["Cache-Control"]
    assert len(body) < 40_000  # Bootstrap's 230 KB stylesheet, compressed
    _, page_headers, _ = _get(f"{server.url}/")
    assert "max-age=315360000" not in page_headers.get("Cache-Control", "")


def test_what_a_browser_loads_is_compressed_and_the_pdf_fonts_are_not(collected_static):
    """A browser never asks for the PDF fonts (WeasyPrint reads them from disk), so collectstatic leaves them
    as they are: compressing their 2.3 MB with brotli took two thirds of every deployment's collectstatic."""
    stylesheet = next(collected_static.glob("vendor/bootstrap/bootstrap.min.*.css"))
    assert stylesheet.with_name(stylesheet.name + ".br").exists()
    assert stylesheet.with_name(stylesheet.name + ".gz").exists()
    fonts = list(collected_static.glob("pdf/fonts/*.ttf"))
    assert len(fonts) >= 8  # each font under its own name and its fingerprinted one
    assert not list(collected_static.glob("pdf/fonts/*.ttf.*"))  # no .ttf.br or .ttf.gz
