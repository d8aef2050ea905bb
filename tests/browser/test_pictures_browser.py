"""In Chromium: a pilot lead uploads a picture to a draft step in the admin, previews and publishes it, and a
student sees it with its alt text; bad files are refused with clear messages; an exported package with
pictures loads into a fresh database and shows them; every bundled step with a picture passes axe and is
photographed on a phone and a projector (PICTURE_SCREENSHOTS=folder keeps the screenshots)."""

import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from lessons.models import ClassSession, Package, Picture, Step
from lessons.package_export import package_file
from lessons.package_file import load_package_upload
from lessons.services import package_start_draft
from tests.browser import journeys
from tests.browser.axe import assert_no_axe_violations
from tests.browser.urls import url_of
from tests.builders import make_class_session, make_teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
PROJECTOR = {"width": 1280, "height": 720}
GPS = 0x8825
ALT = "Riley reads a group chat on a phone at a library table."


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (2000, 1125), (233, 185, 73))
    image.paste((31, 42, 68), (600, 200, 1400, 925))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(GPS).update({1: "N", 2: (54.0, 35.0, 0.0), 3: "W", 4: (3.0, 8.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    assert Image.open(io.BytesIO(buffer.getvalue())).getexif().get_ifd(GPS)
    return buffer.getvalue()


def _png_bomb() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")
    return buffer.getvalue()


def _upload(page: Page, name: str, mime: str, data: bytes, alt: str = ALT) -> None:
    page.get_by_label("Upload a picture").set_input_files({"name": name, "mimeType": mime, "buffer": data})
    page.get_by_label("Alt text").fill(alt)
    page.get_by_role("button", name="Save and continue editing").click()


def _picture_shown(page: Page, alt: str) -> dict:
    """The step's picture, loaded: its alt text, size attributes and the bytes the browser fetched."""
    img = page.locator("img.step-picture")
    expect(img).to_have_attribute("alt", alt)
    page.wait_for_function("() => document.querySelector('img.step-picture').complete")
    shown = img.evaluate(
        "img => ({natural: img.naturalWidth, src: img.currentSrc, width: img.getAttribute('width'),"
        " height: img.getAttribute('height'), srcset: img.getAttribute('srcset')})"
    )
    assert shown["natural"] > 0, "the picture did not load"
    return shown


@pytest.mark.long
def test_a_pilot_lead_uploads_a_picture_previews_publishes_and_a_student_sees_it(
    new_context, bundled_package, outside_requests
):
    make_teacher("lead", staff=True)
    draft = package_start_draft(source=bundled_package)
    step = draft.steps.get(key="spot-the-pressure")
    assert step.picture is None
    pictures_before = Picture.objects.count()  # the bundled package's

    lead = new_context().new_page()
    journeys.log_in(lead, "lead")
    lead.goto(f"/admin/lessons/step/{step.pk}/change/")

    # Each refusal says what is wrong, and nothing is stored.
    refusals = [
        ("huge.png", "image/png", _png_bomb(), "This picture is far too large"),
        ("drawing.svg", "image/svg+xml", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "SVG drawings cannot"),
        ("photo.png", "image/png", b"I am a text file with a picture's name", "not a PNG, JPEG or WebP"),
    ]
    for name, mime, data, message in refusals:
        _upload(lead, name, mime, data)
        expect(lead.locator(".errorlist")).to_contain_text(message)
    _upload(lead, "photo.jpg", "image/jpeg", _jpeg_with_gps(), alt="")
    expect(lead.locator(".errorlist")).to_contain_text("Describe the picture for students who cannot see it")
    assert Picture.objects.count() == pictures_before

    _upload(lead, "photo.jpg", "image/jpeg", _jpeg_with_gps())
    expect(lead.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(lead.locator("img.picture-preview")).to_be_visible()

    # The preview shows it, as a student would see it.
    lead.goto(f"/teach/preview/{draft.pk}/spot-the-pressure/")
    expect(lead.get_by_role("status")).to_contain_text("Preview of")
    _picture_shown(lead, ALT)
    assert_no_axe_violations(lead)

    lead.goto("/admin/lessons/package/")
    lead.locator(f'input[name="_selected_action"][value="{draft.pk}"]').check()
    lead.locator('select[name="action"]').select_option(label="Publish the selected drafts as new versions")
    lead.get_by_role("button", name="Go").click()
    lead.wait_for_url(url_of("/admin/lessons/package/"))
    expect(lead.locator(".messagelist")).to_contain_text("Published")
    version_2 = Package.objects.published().get(version=bundled_package.version + 1)

    # A student in a class on the new version sees the picture with its alt text, without its GPS.
    class_session = make_class_session(teacher=make_teacher("alice"), package=version_2)
    ClassSession.objects.filter(pk=class_session.pk).update(pace="self")
    student = new_context(viewport=PHONE).new_page()
    journeys.join(student, class_session.join_code)
    student.goto("/lesson/spot-the-pressure/")
    shown = _picture_shown(student, ALT)
    assert (shown["width"], shown["height"]) == ("1600", "900")
    assert "-small.webp" in shown["src"]  # a phone takes the phone-width copy
    assert_no_axe_violations(student)
    for url in re.findall(r"(/pictures/\S+\.webp)", shown["srcset"]):
        served = student.request.get(url)
        assert served.headers["content-type"] == "image/webp"
        image = Image.open(io.BytesIO(served.body()))
        assert not image.getexif().get_ifd(GPS) and not image.getexif()
        assert b"PhoneMaker" not in served.body()
    # The version it was drafted from never changed.
    assert bundled_package.steps.get(key="spot-the-pressure").picture is None
    outside_requests.assert_none()


def test_an_exported_package_with_pictures_loads_into_a_fresh_database_and_shows_them(
    new_context, bundled_package
):
    name, data, _ = package_file(bundled_package)
    alt = bundled_package.steps.get(key="meet-jordan").picture_alt
    Package.objects.all().delete()
    Picture.objects.all().delete()
    loaded = load_package_upload(data, name).package
    class_session = make_class_session(teacher=make_teacher("alice"), package=loaded)
    ClassSession.objects.filter(pk=class_session.pk).update(pace="self")
    student = new_context(viewport=PROJECTOR).new_page()
    journeys.join(student, class_session.join_code)
    student.goto("/lesson/meet-jordan/")
    shown = _picture_shown(student, alt)
    assert f"/pictures/{loaded.steps.get(key='meet-jordan').picture_id}" in shown["src"]


def _screenshot(page: Page, folder: Path | None, name: str) -> None:
    if folder is not None:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=False)


@pytest.mark.long
def test_every_bundled_step_with_a_picture_passes_axe_on_a_phone_and_a_projector(
    new_context, bundled_package
):
    folder = Path(os.environ["PICTURE_SCREENSHOTS"]) if os.environ.get("PICTURE_SCREENSHOTS") else None
    if folder:
        folder.mkdir(parents=True, exist_ok=True)
    teacher = make_teacher("alice")
    class_session = make_class_session(teacher=teacher, package=bundled_package)
    ClassSession.objects.filter(pk=class_session.pk).update(pace="self")
    steps = list(Step.objects.filter(package=bundled_package).exclude(picture=None).order_by("position"))
    assert len(steps) >= 7
    for viewport_name, viewport in (("phone", PHONE), ("projector", PROJECTOR)):
        student = new_context(viewport=viewport).new_page()
        journeys.join(student, class_session.join_code)
        student.goto("/lesson/")
        img = student.locator("img.start-picture")
        expect(img).to_have_attribute("alt", "")  # the start page's picture is decorative
        student.wait_for_function("() => document.querySelector('img.start-picture').naturalWidth > 0")
        assert_no_axe_violations(student)
        _screenshot(student, folder, f"{viewport_name}-start")
        for step in steps:
            student.goto(f"/lesson/{step.key}/")
            _picture_shown(student, step.picture_alt)
            box = student.locator("img.step-picture").bounding_box()
            assert box["width"] <= viewport["width"] and box["height"] <= viewport["height"] * 0.5 + 1
            assert_no_axe_violations(student)
            _screenshot(student, folder, f"{viewport_name}-{step.position:02d}-{step.key}")
        student.context.close()

    # The teacher's projector and console show the step's picture too.
    screen = new_context(viewport=PROJECTOR).new_page()
    journeys.log_in(screen, "alice")
    for step in steps[:2]:
        ClassSession.objects.filter(pk=class_session.pk).update(
            live_slide=step.key, live_version=step.position + 1
        )
        screen.goto(f"/teach/sessions/{class_session.pk}/projector/")
        projected = screen.locator("img.slide-picture")
        expect(projected).to_have_attribute("alt", step.picture_alt)
        screen.wait_for_function("() => document.querySelector('img.slide-picture').naturalWidth > 0")
        assert_no_axe_violations(screen)
        _screenshot(screen, folder, f"projector-slide-{step.key}")
        screen.goto(f"/teach/sessions/{class_session.pk}/console/")
        expect(screen.locator("img.slide-picture").first).to_have_attribute("alt", step.picture_alt)
        _screenshot(screen, folder, f"console-{step.key}")
