"""The live lesson in Chromium: a teacher's console and projector screen and six students' devices work as one
class. The projector and every JavaScript student follow the console within seconds; a student without
JavaScript follows by "Check again"; a pause reaches every screen; the QR code reads back as the join link.
The whole lesson's walk also looks at every screen at every slide (see test_live_looks)."""

import io
import re
import time

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from lessons import live
from lessons.models import Pace, Step
from tests.browser.axe import assert_no_axe_violations
from tests.browser.live_screens import BODY_FONT, fits_the_projector, has_followed, look, within_view
from tests.browser.screenshots import NO_SIDEWAYS_SCROLL
from tests.browser.teachers import log_in
from tests.browser.urls import url_of
from tests.builders import make_class_session, make_teacher

# `timed` on the tests that time how fast screens follow (they run alone); the QR code's test times nothing.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STUDENTS_FOLLOW_MS = 3000
PROJECTOR_FOLLOWS_MS = 2000


class Clock:
    """Time left of one budget, shared by several waits that all count from the same moment."""

    def __init__(self, budget_ms: int):
        self.deadline = time.monotonic() + budget_ms / 1000

    def left(self) -> float:
        return max(50.0, (self.deadline - time.monotonic()) * 1000)


def _join(page: Page, lesson) -> None:
    page.goto(f"/join/?code={lesson.join_code}&word={lesson.class_word}")
    page.get_by_role("button", name="Join the lesson").click()
    page.wait_for_load_state()


def _note_phrases(text: str) -> list[str]:
    phrases = [line.strip().removeprefix("- ").strip() for line in text.splitlines()]
    return [phrase for phrase in phrases if len(phrase) > 12]


def _decoded_qr(page: Page) -> list[str]:
    image = page.locator("img.qr-code")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0  # the browser drew the SVG
    picture = Image.open(io.BytesIO(image.screenshot()))
    return [result.text for result in zxingcpp.read_barcodes(picture)]


def test_the_qr_code_is_drawn_and_a_reader_gets_the_join_link(new_context, live_server, bundled_package):
    alice = make_teacher("alice")
    lesson = make_class_session(teacher=alice, package=bundled_package)
    context = new_context()
    log_in(context, alice, live_server.url)
    page = context.new_page()
    join_link = f"{live_server.url}/join/?code={lesson.join_code}&word={lesson.class_word}"
    page.goto(f"/teach/sessions/{lesson.pk}/")
    assert _decoded_qr(page) == [join_link]
    page.goto(f"/teach/sessions/{lesson.pk}/projector/")
    assert _decoded_qr(page) == [join_link]
    expect(page.get_by_text(f"{live_server.url}/join/", exact=True)).to_be_visible()  # the address to type
    student = new_context().new_page()
    student.goto(join_link)
    student.get_by_role("button", name="Join the lesson").click()
    student.wait_for_url(url_of("/lesson/"))


SCREENS = [  # name, viewport, the teacher's page
    ("console-laptop", (1280, 800), "console"),
    ("console-phone", (360, 740), "console"),
    ("projector-720p", (1280, 720), "projector"),
    ("projector-1080p", (1920, 1080), "projector"),
]


@pytest.mark.timed
def test_six_students_and_the_projector_follow_the_console_through_the_whole_lesson(
    new_context, live_server, bundled_package, outside_requests
):
    """The teacher presses Next through the whole lesson on the laptop's console. The phone's console and both
    projectors follow (the 720p one within 2 s), five JavaScript students' phones within 3 s, and a student
    without JavaScript by "Check again"; a pause reaches every screen. At every slide every screen is looked at
    (kept in LIVE_SCREENSHOTS_DIR): none scrolls sideways, each projector fits without scrolling, shows the
    join code and QR code whole and no teacher's notes or option feedback; the counts change on the console
    without a reload, and a class's votes are revealed on the board.

    One walk for what were two tests walking the same lesson: this one and test_live_looks' "a whole lesson on
    every screen with six students" (there six JavaScript students; here five and the one without, still six
    joined and five of six voting). Every check of both is here."""
    alice = make_teacher("alice")
    lesson = make_class_session(teacher=alice, package=bundled_package)
    live.bump(lesson, pace=Pace.TEACHER)
    screens = {}
    for name, (width, height), path in SCREENS:
        context = new_context(viewport={"width": width, "height": height})
        log_in(context, alice, live_server.url)
        screens[name] = context.new_page()
        screens[name].goto(f"/teach/sessions/{lesson.pk}/{path}/")
    console, projector = screens["console-laptop"], screens["projector-720p"]
    students = [new_context(viewport={"width": 360, "height": 740}).new_page() for _ in range(5)]
    offline = new_context(java_script_enabled=False, viewport={"width": 360, "height": 740}).new_page()
    for student in [*students, offline]:
        _join(student, lesson)
        expect(student).to_have_url(url_of("/lesson/"))
    expect(console.locator('[data-count="joined"]')).to_have_text("6")  # the counts poll: no reload
    expect(console.locator('[data-on-slide="rules"]')).to_have_text("6")
    assert_no_axe_violations(console)
    assert_no_axe_violations(projector)
    _look_at_every_screen(screens, students, lesson, 1)

    # Going ahead of the teacher: "Wait for your teacher", with a button that checks again.
    for student in (offline, students[0]):
        student.get_by_role("link", name="Next: a quick check-in").click()
        student.get_by_role("link", name="Skip the check-in and start the story").click()
        expect(student.get_by_role("heading", level=1)).to_have_text("Wait for your teacher")
    assert_no_axe_violations(students[0])  # axe needs JavaScript; the page is the same without

    secrets = _note_phrases(bundled_package.teacher_notes)
    for step in Step.objects.filter(package=bundled_package):
        secrets += _note_phrases(step.teacher_notes) + [option.feedback for option in step.options.all()]
    slides = live.slides_for(bundled_package.pk)
    first_step = bundled_package.steps.get(position=min(s.step.position for s in slides if s.step)).key
    for number, slide in enumerate(slides[1:], start=2):
        lesson.refresh_from_db()  # a reveal or a pause moved the version on: the console reloads for it first
        expect(console.locator("[data-live-screen]")).to_have_attribute(
            "data-live-version", str(lesson.live_version)
        )
        console.get_by_role("button", name=f"Next: {slide.title}").click()
        clock = Clock(STUDENTS_FOLLOW_MS)
        projected = projector.locator("[data-live-slide]")
        expect(projected).to_have_attribute("data-live-slide", slide.key, timeout=PROJECTOR_FOLLOWS_MS)
        for student in students:
            expect(student).to_have_url(url_of(slide.student_url), timeout=clock.left())
        text = projected.inner_text()
        assert not [secret for secret in secrets if secret in text], slide.key
        if slide.key == first_step:
            offline.get_by_role("link", name="Check again").click()
            expect(offline.get_by_role("heading", level=1)).to_have_text(slide.title)
        _look_at_every_screen(screens, students, lesson, number)
        if slide.key == "go-back":
            _vote_and_reveal(screens, students, lesson, number)
        if slide.key == "how-jordan-feels":
            _pause_and_resume(console, students, offline)
    assert slides[-1].key == live.CLOSE and number > 12
    outside_requests.assert_none()


def _look_at_every_screen(screens: dict[str, Page], students: list[Page], lesson, number: int) -> None:
    """Every screen shows the class's slide: looked at, kept, and nothing off the side; the projectors fit."""
    lesson.refresh_from_db()
    slide, version = lesson.live_slide, str(lesson.live_version)
    for name, page in screens.items():
        expect(page.locator("[data-live-screen]")).to_have_attribute(
            "data-live-version", version, timeout=6000
        )
        if name.startswith("projector"):
            page.wait_for_function("() => document.body.dataset.fitted")
        look(page, f"{name}-{number:02}-{slide}")
        if name.startswith("projector"):
            fits_the_projector(page, f"{name} {slide}")
            if slide == live.RULES:
                assert within_view(page, ".join-code") and within_view(page, "img.qr-code"), name
            if slide == live.CLOSE:  # a slide with room keeps the projector's full size
                assert page.evaluate(BODY_FONT) >= 20, name
    for index, page in enumerate(students):
        expect(page).to_have_url(re.compile(re.escape(live.student_url(slide))), timeout=6000)
        if index == 0:
            look(page, f"student-phone-{number:02}-{slide}")
        else:
            assert page.evaluate(NO_SIDEWAYS_SCROLL), f"student {index} on {slide} scrolls sideways"


def _vote_and_reveal(screens: dict[str, Page], students: list[Page], lesson, number: int) -> None:
    """Five of the six vote; the console counts them, and the results the teacher reveals are on the board."""
    console = screens["console-laptop"]
    for page in students:
        page.get_by_role("group", name="Your vote").get_by_role("radio").first.check()
        page.get_by_role("button", name="Vote").click()
        expect(page.get_by_text("Your vote is in")).to_be_visible()
    look(students[0], f"student-phone-{number:02}-go-back-voted")
    expect(console.get_by_text("5 of 6")).to_be_visible(timeout=8000)
    console.get_by_role("button", name="Reveal results").click()
    for name in ("projector-720p", "projector-1080p"):
        expect(screens[name].locator(".responses-chart")).to_be_visible(timeout=6000)
        look(screens[name], f"{name}-{number:02}-go-back-revealed")
        # The chart the teacher reveals is on the board, not below its bottom edge.
        assert within_view(screens[name], ".responses-chart"), f"{name}: the chart is off the screen"
    # The reveal moved the version on: both consoles load it (the laptop's by its own form's redirect) before
    # they are looked at, not while the page is being replaced.
    lesson.refresh_from_db()
    for name in ("console-laptop", "console-phone"):
        expect(screens[name].locator("[data-live-screen]")).to_have_attribute(
            "data-live-version", str(lesson.live_version), timeout=6000
        )
    look(console, f"console-laptop-{number:02}-go-back-revealed")
    # On the phone, the class's answers are one tap from the controls, not a long scroll below the notes.
    phone = screens["console-phone"]
    phone.get_by_role("link", name="Class answers").click()
    expect(phone.get_by_text("5 of 6")).to_be_in_viewport()


def _pause_and_resume(console: Page, students: list[Page], offline: Page) -> None:
    console.get_by_role("button", name="Pause screens: Eyes on the board").click()
    clock = Clock(STUDENTS_FOLLOW_MS)
    for student in students:
        expect(student.get_by_role("dialog", name="Eyes on the board")).to_be_visible(timeout=clock.left())
    assert_no_axe_violations(students[0])
    expect(students[0].locator("[data-quick-exit]")).to_be_visible()  # the way out stays in reach
    offline.get_by_role("link", name="Next", exact=True).click()  # a step behind the class: paused too
    expect(offline.get_by_role("heading", level=1)).to_have_text("Eyes on the board")
    students[1].reload()  # a page opened while paused says so itself, with JavaScript or without
    expect(students[1].get_by_role("heading", level=1)).to_have_text("Eyes on the board")
    assert_no_axe_violations(students[1])
    console.get_by_role("button", name="Resume students' screens").click()
    clock = Clock(STUDENTS_FOLLOW_MS)
    for student in students:
        expect(student.get_by_role("dialog", name="Eyes on the board")).to_be_hidden(timeout=clock.left())
    expect(students[1].get_by_role("heading", level=1)).not_to_have_text(
        "Eyes on the board", timeout=clock.left()
    )
    offline.get_by_role("link", name="Check again").click()
    expect(offline.get_by_role("heading", level=1)).not_to_have_text("Eyes on the board")


@pytest.mark.timed
def test_a_student_who_reloads_or_loses_the_network_lands_on_the_teachers_slide(
    new_context, live_server, bundled_package
):
    alice = make_teacher("alice")
    lesson = make_class_session(teacher=alice, package=bundled_package)
    live.bump(lesson, pace=Pace.TEACHER, live_slide="meet-jordan")
    context = new_context()
    student = context.new_page()
    _join(student, lesson)
    expect(student).to_have_url(url_of("/lesson/meet-jordan/"))
    has_followed(student)
    student.get_by_role("link", name="Back to the ground rules").click()  # looking back is allowed
    expect(student).to_have_url(url_of("/lesson/"))
    student.reload()
    student.wait_for_timeout(2000)
    expect(student).to_have_url(url_of("/lesson/"))  # the teacher has not moved: the student may stay
    context.set_offline(True)
    live.bump(lesson, live_slide="alex-asks")
    student.wait_for_timeout(2000)
    context.set_offline(False)
    expect(student).to_have_url(url_of("/lesson/alex-asks/"), timeout=6000)


@pytest.mark.timed
def test_a_student_typing_is_told_the_class_moved_on_and_keeps_what_they_typed(
    new_context, live_server, bundled_package
):
    alice = make_teacher("alice")
    lesson = make_class_session(teacher=alice, package=bundled_package)
    live.bump(lesson, pace=Pace.TEACHER, live_slide=live.PLAN)
    student = new_context().new_page()
    _join(student, lesson)
    expect(student).to_have_url(url_of("/plan/"))
    student.goto("/plan/people/")
    student.locator("input[type=text]").first.fill("my aunt")
    live.bump(lesson, live_slide=live.FEEDBACK)
    expect(
        student.get_by_role("status").filter(has_text="Your teacher has moved the class on")
    ).to_be_visible(timeout=STUDENTS_FOLLOW_MS)
    expect(student).to_have_url(url_of("/plan/people/"))
    expect(student.locator("input[type=text]").first).to_have_value("my aunt")
    expect(student.get_by_role("link", name="Go to where the class is")).to_have_attribute(
        "href", "/feedback/"
    )
