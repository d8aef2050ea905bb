"""The live lesson's screens at the sizes they are used at: the console on a laptop and a phone, the projector
at 1280x720 and 1920x1080, students' waiting and paused pages on a phone. Nothing runs off the side, the
join slide's code and QR code fit the projector without scrolling, and screenshots are kept for a look
(in LIVE_SCREENSHOTS_DIR when set)."""

import re

import pytest
from playwright.sync_api import Page, expect

from lessons import live
from lessons.models import Pace
from tests.browser.screenshots import NO_SIDEWAYS_SCROLL, Looks
from tests.browser.teachers import log_in
from tests.browser.urls import url_of
from tests.builders import make_class_session, make_teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_DOWNWARD_SCROLL = "() => document.documentElement.scrollHeight <= window.innerHeight"
BODY_FONT = "() => parseFloat(getComputedStyle(document.body).fontSize)"
SMALLEST_HEADING = """() => Math.min(Infinity, ...Array.from(
    document.querySelectorAll('.projector-slide h1, .projector-slide h2, .projector-slide h3'),
    (heading) => parseFloat(getComputedStyle(heading).fontSize)))"""


_look = Looks("LIVE_SCREENSHOTS_DIR")


def _within_view(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["y"] + box["height"] <= size["height"]
        and box["x"] + box["width"] <= size["width"]
    )


def test_the_console_fits_a_laptop_and_a_phone(new_context, live_server, bundled_package):
    """(The projector at 720p and 1080p: every slide, in the whole lesson below.)"""
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


def _fits_the_projector(page: Page, name: str) -> None:
    """Every slide fits the screen, its text made smaller where it must be but never below 16px, and nothing
    on it is smaller than its body text but the progress line and small print."""
    assert page.evaluate(NO_DOWNWARD_SCROLL), f"{name} runs off the bottom"
    font_size = page.evaluate(BODY_FONT)
    assert font_size >= 16, f"{name} at {font_size}px is too small for the back of a classroom"
    assert page.evaluate(SMALLEST_HEADING) >= font_size, f"{name}: a heading"


def test_students_waiting_and_paused_pages_on_a_phone(new_context, live_server, bundled_package):
    lesson = make_class_session(teacher=make_teacher("alice"), package=bundled_package)
    live.bump(lesson, pace=Pace.TEACHER)
    context = new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"/join/?code={lesson.join_code}&word={lesson.class_word}")
    page.get_by_role("button", name="Join the lesson").click()
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


@pytest.mark.timed  # eleven screens follow the console: on a machine shared with another worker, too slowly
def test_a_whole_lesson_on_every_screen_with_six_students(new_context, live_server, bundled_package):
    """The teacher presses Next through the whole lesson on the laptop's console; the phone's console, both
    projectors and six students' phones follow. Each screen is kept at every slide (LIVE_SCREENSHOTS_DIR), none
    scrolls sideways, and the counts change on the console without a reload."""
    alice = make_teacher("alice")
    lesson = make_class_session(teacher=alice, package=bundled_package)
    live.bump(lesson, pace=Pace.TEACHER)
    screens = {}
    for name, size, path in [
        ("console-laptop", (1280, 800), "console"),
        ("console-phone", (360, 740), "console"),
        ("projector-720p", (1280, 720), "projector"),
        ("projector-1080p", (1920, 1080), "projector"),
    ]:
        context = new_context(viewport={"width": size[0], "height": size[1]})
        log_in(context, alice, live_server.url)
        screens[name] = context.new_page()
        screens[name].goto(f"/teach/sessions/{lesson.pk}/{path}/")
    students = []
    for _ in range(6):
        page = new_context(viewport={"width": 360, "height": 740}).new_page()
        page.goto(f"/join/?code={lesson.join_code}&word={lesson.class_word}")
        page.get_by_role("button", name="Join the lesson").click()
        page.wait_for_url(url_of("/lesson/"))
        students.append(page)
    console = screens["console-laptop"]
    # The counts poll brings the six in without a reload.
    expect(console.locator('[data-count="joined"]')).to_have_text("6", timeout=6000)
    expect(console.locator('[data-on-slide="rules"]')).to_have_text("6", timeout=6000)
    number = 0
    while True:
        lesson.refresh_from_db()
        slide, version = lesson.live_slide, str(lesson.live_version)
        number += 1
        for name, page in screens.items():
            screen = page.locator("[data-live-screen]")
            expect(screen).to_have_attribute("data-live-version", version, timeout=6000)
            if name.startswith("projector"):
                page.wait_for_function("() => document.body.dataset.fitted")
            _look(page, f"{name}-{number:02}-{slide}")
            if name.startswith("projector"):
                _fits_the_projector(page, f"{name} {slide}")
                if slide == live.RULES:
                    assert _within_view(page, ".join-code") and _within_view(page, "img.qr-code"), name
                if slide == live.CLOSE:  # a slide with room keeps the projector's full size
                    assert page.evaluate(BODY_FONT) >= 20, name
        for index, page in enumerate(students):
            expect(page).to_have_url(re.compile(re.escape(live.student_url(slide))), timeout=6000)
            if index == 0:
                _look(page, f"student-phone-{number:02}-{slide}")
            else:
                assert page.evaluate(NO_SIDEWAYS_SCROLL), f"student {index} on {slide} scrolls sideways"
        if slide == "go-back":
            for page in students[:5]:
                page.get_by_role("group", name="Your vote").get_by_role("radio").first.check()
                page.get_by_role("button", name="Vote").click()
                expect(page.get_by_text("Your vote is in")).to_be_visible()
            _look(students[0], f"student-phone-{number:02}-{slide}-voted")
            expect(console.get_by_text("5 of 6")).to_be_visible(timeout=8000)
            console.get_by_role("button", name="Reveal results").click()
            for name in ("projector-720p", "projector-1080p"):
                expect(screens[name].locator(".responses-chart")).to_be_visible(timeout=6000)
                _look(screens[name], f"{name}-{number:02}-{slide}-revealed")
                # The chart the teacher reveals is on the board, not below its bottom edge.
                assert _within_view(screens[name], ".responses-chart"), f"{name}: the chart is off the screen"
            _look(console, f"console-laptop-{number:02}-{slide}-revealed")
            # On the phone, the class's answers are one tap from the controls, not a long scroll below the notes.
            phone = screens["console-phone"]
            lesson.refresh_from_db()  # the reveal moved the version on: the phone's console reloads for it
            expect(phone.locator("[data-live-screen]")).to_have_attribute(
                "data-live-version", str(lesson.live_version), timeout=6000
            )
            phone.get_by_role("link", name="Class answers").click()
            expect(phone.get_by_text("5 of 6")).to_be_in_viewport()
        if slide == live.CLOSE:
            break
        lesson.refresh_from_db()  # a reveal moves the version on too: the console reloads for it first
        expect(console.locator("[data-live-screen]")).to_have_attribute(
            "data-live-version", str(lesson.live_version), timeout=6000
        )
        console.get_by_role("button", name=re.compile(r"^Next: ")).click()
        console.wait_for_load_state()
    assert number > 12
