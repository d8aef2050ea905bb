"""The committed artwork rasters are what scripts/render-artwork makes from the SVG sources today, in Chromium."""

import io
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


def _changed_pixels(one: bytes, other: bytes) -> int:
    with Image.open(io.BytesIO(one)) as first, Image.open(io.BytesIO(other)) as second:
        difference = ImageChops.difference(first.convert("RGB"), second.convert("RGB")).convert("L")
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
    made = renderer.render(art_page, recoloured_shield)
    assert _changed_pixels(made, (ART / "start-page.webp").read_bytes()) > MOST_CHANGED_PIXELS


def test_it_re_renders_every_picture_as_committed(renderer, art_page):
    stale = {}
    for source in sorted((ART / "src").glob("*.svg")):
        made = renderer.render(art_page, source.read_bytes())
        changed = _changed_pixels(made, (ART / f"{source.stem}.webp").read_bytes())
        if changed > MOST_CHANGED_PIXELS:
            stale[source.stem] = changed
    assert stale == {}, "Run scripts/render-artwork and commit the rasters"
