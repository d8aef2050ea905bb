"""The live lesson in Chromium: a teacher's console and projector screen and six students' devices work as one
class. The projector and every JavaScript student follow the console within seconds; a student without
JavaScript follows by "Check again"; a pause reaches every screen; the QR code reads back as the join link."""

import io
import time

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from lessons import live
from lessons.models import Pace, Step
from tests.browser.axe import assert_no_axe_violations
from tests.browser.teachers import log_in
from tests.browser.urls import url_of
from tests.builders import make_class_session, make_teacher

pytestmark = [pytest.mark.browser, pytest.mark.timed, pytest.mark.django_db(transaction=True)]

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


def test_six_students_and_the_projector_follow_the_console(
    new_context, live_server, bundled_package, outside_requests
):
    alice = make_teacher("alice")
    lesson = make_class_session(teacher=alice, package=bundled_package)
    live.bump(lesson, pace=Pace.TEACHER)
    teacher = new_context(viewport={"width": 1280, "height": 800})
    log_in(teacher, alice, live_server.url)
    console = teacher.new_page()
    console.goto(f"/teach/sessions/{lesson.pk}/console/")
    projector = teacher.new_page()
    projector.goto(f"/teach/sessions/{lesson.pk}/projector/")
    students = [new_context(viewport={"width": 360, "height": 740}).new_page() for _ in range(5)]
    offline = new_context(java_script_enabled=False, viewport={"width": 360, "height": 740}).new_page()
    for student in [*students, offline]:
        _join(student, lesson)
        expect(student).to_have_url(url_of("/lesson/"))
    expect(console.locator('[data-count="joined"]')).to_have_text("6")  # the console's counts refresh
    expect(console.locator('[data-on-slide="rules"]')).to_have_text("6")
    assert_no_axe_violations(console)
    assert_no_axe_violations(projector)

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
    for slide in slides[1:]:
        console.get_by_role("button", name=f"Next: {slide.title}").click()
        clock = Clock(STUDENTS_FOLLOW_MS)
        projected = projector.locator("[data-live-slide]")
        expect(projected).to_have_attribute("data-live-slide", slide.key, timeout=PROJECTOR_FOLLOWS_MS)
        for student in students:
            expect(student).to_have_url(url_of(slide.student_url), timeout=clock.left())
        text = projected.inner_text()
        assert not [secret for secret in secrets if secret in text], slide.key
        if (
            slide.key
            == bundled_package.steps.get(position=min(s.step.position for s in slides if s.step)).key
        ):
            offline.get_by_role("link", name="Check again").click()
            expect(offline.get_by_role("heading", level=1)).to_have_text(slide.title)
        if slide.key == "how-jordan-feels":
            _pause_and_resume(console, students, offline)
    outside_requests.assert_none()


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
