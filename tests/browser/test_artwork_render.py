"""The committed artwork rasters are what scripts/render-artwork makes from the SVG sources today, in Chromium.

Its rasters are lossless, so the tests compare what Chromium draws with them pixel by pixel, without the
second and a half a picture that making the WebP takes."""

from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image, ImageChops

pytestmark = pytest.mark.browser

ROOT = Path(settings.BASE_DIR)
ART = ROOT / "packages" / "art"
# Another Chromium build may smooth edges a little differently; an edited drawing moves far more than this.
MOST_CHANGED_PIXELS = 0.002 * 1600 * 900
CHANGED = 48


def _changed_pixels(drawn: Image.Image, committed: Path) -> int:
    with Image.open(committed) as raster:
        difference = ImageChops.difference(drawn, raster.convert("RGB")).convert("L")
    return sum(difference.histogram()[CHANGED:])


@pytest.fixture
def renderer():
    loader = SourceFileLoader("render_artwork", str(ROOT / "scripts" / "render-artwork"))
    module = module_from_spec(spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


@pytest.fixture
def art_page(browser, renderer):
    page = renderer.open_page(browser)
    yield page
    page.close()


def test_it_notices_a_source_edited_after_its_raster_was_made(renderer, art_page):
    source = (ART / "src" / "start-page.svg").read_bytes()
    recoloured_shield = source.replace(b'fill="#0B5C55"', b'fill="#E76F51"', 1)
    drawn = renderer.draw(art_page, recoloured_shield)
    assert _changed_pixels(drawn, ART / "start-page.webp") > MOST_CHANGED_PIXELS


def test_it_re_renders_every_picture_as_committed(renderer, art_page):
    stale = {}
    for source in sorted((ART / "src").glob("*.svg")):
        drawn = renderer.draw(art_page, source.read_bytes())
        changed = _changed_pixels(drawn, ART / f"{source.stem}.webp")
        if changed > MOST_CHANGED_PIXELS:
            stale[source.stem] = changed
    assert stale == {}, "Run scripts/render-artwork and commit the rasters"
