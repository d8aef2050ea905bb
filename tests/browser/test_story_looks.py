"""Every step of the bundled package on a phone (a student's page, with a choice's feedback shown) and on the
projector: nothing runs off the side, and screenshots are kept for a look (in STORY_SCREENSHOTS_DIR when set)."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lessons import live
from lessons.models import Step
from tests.browser.screenshots import screenshot_folder
from tests.browser.teachers import log_in
from tests.browser.urls import url_of
from tests.builders import make_class_session, make_teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def shots(tmp_path) -> Path:
    return screenshot_folder("STORY_SCREENSHOTS_DIR", tmp_path)


def _look(page: Page, shots: Path, name: str) -> None:
    page.wait_for_load_state("networkidle")
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{name} scrolls sideways"
    page.screenshot(path=shots / f"{name}.png", full_page=True)


def test_every_step_fits_a_phone_and_the_projector(new_context, live_server, bundled_package, shots):
    steps = list(Step.objects.filter(package=bundled_package).prefetch_related("options"))
    phone = new_context(viewport={"width": 360, "height": 740}).new_page()
    phone.goto("/")
    phone.get_by_role("button", name="Start on my own").click()
    phone.wait_for_url(url_of("/lesson/"))
    for number, step in enumerate(steps, start=1):
        phone.goto(f"/lesson/{step.key}/")
        if options := list(step.options.all()):
            phone.get_by_role("button", name=options[-1].label, exact=True).click()
            expect(phone.locator(f"#choice-{options[-1].position}")).to_be_visible()
        _look(phone, shots, f"phone-{number:02}-{step.key}")

    alice = make_teacher("alice")
    lesson = make_class_session(teacher=alice, package=bundled_package)
    context = new_context(viewport={"width": 1280, "height": 720})
    log_in(context, alice, live_server.url)
    for number, step in enumerate(steps, start=1):
        live.bump(lesson, live_slide=step.key)
        projector = context.new_page()  # a fresh page: an open projector follows the class by itself
        projector.goto(f"/teach/sessions/{lesson.pk}/projector/")
        expect(projector.locator(".slide-title")).to_have_text(step.title)
        _look(projector, shots, f"projector-{number:02}-{step.key}")
        projector.close()
