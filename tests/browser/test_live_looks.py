"""The live lesson's screens at the sizes they are used at: the console on a laptop and a phone, students'
waiting and paused pages on a phone. Nothing runs off the side, and screenshots are kept for a look (in
LIVE_SCREENSHOTS_DIR when set). The projector at 1280x720 and 1920x1080, the join slide's code and QR code
without scrolling, and every screen at every slide: the whole lesson in test_live_lesson, which walks it once
for both files."""

import pytest
from playwright.sync_api import expect

from lessons import live
from lessons.models import Pace
from tests.browser.live_screens import has_followed
from tests.browser.live_screens import look as _look
from tests.browser.screenshots import NO_SIDEWAYS_SCROLL
from tests.browser.teachers import log_in
from tests.builders import make_class_session, make_teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_console_fits_a_laptop_and_a_phone(new_context, live_server, bundled_package):
    """(The projector at 720p and 1080p, every slide: the whole lesson in test_live_lesson.)"""
    alice = make_teacher("alice")
    lesson = make_class_session(teacher=alice, package=bundled_package)
    for name, size in {"laptop": (1280, 800), "phone": (360, 740)}.items():
        context = new_context(viewport={"width": size[0], "height": size[1]})
        log_in(context, alice, live_server.url)
        console = context.new_page()
        for slide in [live.RULES, "alex-asks", "go-back"]:
            live.bump(lesson, live_slide=slide)
            console.goto(f"/teach/sessions/{lesson.pk}/console/")
            expect(
                console.get_by_role("button", name="Previous").or_(console.get_by_role("button", name="Next"))
            ).not_to_have_count(0)
            _look(console, f"console-{name}-{slide}")


def test_students_waiting_and_paused_pages_on_a_phone(new_context, live_server, bundled_package):
    lesson = make_class_session(teacher=make_teacher("alice"), package=bundled_package)
    live.bump(lesson, pace=Pace.TEACHER)
    context = new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"/join/?code={lesson.join_code}&word={lesson.class_word}")
    page.get_by_role("button", name="Join the lesson").click()
    has_followed(page)
    page.get_by_role("link", name="Next: a quick check-in").click()
    page.get_by_role("link", name="Skip the check-in and start the story").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wait for your teacher")
    _look(page, "student-phone-wait")
    # Leave the page first: its own poll would reload it for the pause while goto() opens it (ERR_ABORTED).
    page.goto("about:blank")
    live.bump(lesson, paused=True)
    page.goto("/lesson/")
    expect(page.get_by_role("dialog", name="Eyes on the board")).to_be_visible(timeout=4000)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    _look(page, "student-phone-paused")
