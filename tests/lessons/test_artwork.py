"""The bundled package's artwork: every picture has a plain, self-contained SVG source, a 1600x900 WebP and alt text."""

import re
import xml.etree.ElementTree as ET

import pytest
import yaml
from PIL import Image

from tests.builders import BUNDLED_PACKAGE

ART = BUNDLED_PACKAGE.parent / "art"
MANIFEST = yaml.safe_load((ART / "manifest.yaml").read_text(encoding="utf-8"))
SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# The same cap scripts/render-artwork enforces: small enough for a phone on school Wi-Fi.
SIZE_CAP_BYTES = 120 * 1024
# Pictures the issue asks for: the start page, the story steps, two choice steps and the new resolution step.
WANTED = {
    "start-page",
    "meet-jordan",
    "alex-asks",
    "the-next-morning",
    "joke-ending",
    "sam-and-kai",
    "go-back",
    "riley-gets-it",
    "jordan-gets-help",
}
# Keys that are not (yet) steps of the bundled package: the start page, and the step the story is gaining.
NOT_STEPS = {"start-page", "jordan-gets-help"}
# What could run code, fetch something, embed a raster or need a font.
FORBIDDEN_ELEMENTS = {"script", "image", "foreignObject", "style", "text", "tspan", "textPath", "font", "a"}
ENTRIES = sorted(MANIFEST.items())


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def test_it_has_a_picture_for_the_start_page_and_each_story_step_asked_for():
    assert set(MANIFEST) >= WANTED


def test_it_keys_each_picture_by_a_step_of_the_bundled_package():
    step_keys = {step["key"] for step in yaml.safe_load(BUNDLED_PACKAGE.read_text(encoding="utf-8"))["steps"]}
    assert set(MANIFEST) - NOT_STEPS <= step_keys


def test_it_keeps_no_png_rasters():
    assert sorted(path.name for path in ART.glob("*.png")) == []


@pytest.mark.parametrize(("key", "entry"), ENTRIES)
def test_it_has_the_source_and_the_raster(key, entry):
    assert entry["source"] == f"src/{key}.svg"
    assert entry["file"] == f"{key}.webp"
    assert (ART / entry["source"]).is_file()
    assert (ART / entry["file"]).is_file()


@pytest.mark.parametrize(("key", "entry"), ENTRIES)
def test_it_keeps_the_source_plain_self_contained_svg(key, entry):
    text = (ART / entry["source"]).read_text(encoding="utf-8")
    root = ET.fromstring(text)
    assert root.tag == f"{SVG}svg"
    assert (root.get("version"), root.get("viewBox")) == ("1.1", "0 0 1600 900")
    for element in root.iter():
        assert element.tag.startswith(SVG), f"{key}: {element.tag} is not an SVG element"
        assert _local(element.tag) not in FORBIDDEN_ELEMENTS, f"{key}: <{_local(element.tag)}>"
        for name, value in element.attrib.items():
            assert not _local(name).lower().startswith("on"), f"{key}: event handler {name}"
            if name in {"href", XLINK_HREF}:
                assert value.startswith("#"), f"{key}: {name}={value!r} points outside the file"
    # CSS could still fetch: only url(#fragment) may appear.
    assert re.findall(r"url\(\s*['\"]?(?!#)", text) == []
    assert "@import" not in text


@pytest.mark.parametrize(("key", "entry"), ENTRIES)
def test_it_has_a_1600x900_webp_under_the_size_cap(key, entry):
    path = ART / entry["file"]
    assert path.stat().st_size <= SIZE_CAP_BYTES, f"{key}: {path.stat().st_size} bytes"
    with Image.open(path) as picture:
        assert (picture.format, picture.size) == ("WEBP", (1600, 900))
        picture.load()
        # A blank or one-colour render (a source that failed to draw) is not a picture.
        colours = picture.getcolors(maxcolors=256)
        assert colours is None or len(colours) > 8


@pytest.mark.parametrize(("key", "entry"), ENTRIES)
def test_it_gives_short_plain_alt_text(key, entry):
    alt = entry["alt"]
    assert isinstance(alt, str) and alt.strip() == alt and alt
    assert len(alt) <= 125
    assert not re.match(r"(an? )?(image|picture|photo|illustration) of\b", alt, re.IGNORECASE)
    assert isinstance(entry["decorative"], bool)
