"""Every step of the bundled package on a phone (a student's page, with a choice's feedback shown): nothing
runs off the side, and screenshots are kept for a look (in STORY_SCREENSHOTS_DIR when set)."""

import pytest
from playwright.sync_api import expect

from lessons.models import Step
from tests.browser.screenshots import Looks
from tests.browser.urls import url_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


_look = Looks("STORY_SCREENSHOTS_DIR")


def test_every_step_fits_a_phone(new_context, live_server, bundled_package):
    """(Every step on the projector: the whole live lesson in test_live_lesson.py.)"""
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
        _look(phone, f"phone-{number:02}-{step.key}")
