"""Every student and teacher page passes axe-core's WCAG 2.2 AA rules and loads nothing from another host.

Each test sweeps a group of pages in one browser context and reports every failing page, not just the first.
"""

import re

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from lessons import live
from lessons.models import ChoiceOption, ClassSession, Step
from tests.browser.axe import assert_no_axe_violations
from tests.browser.teachers import log_in
from tests.browser.urls import url_of
from tests.builders import make_class_session, make_teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUNDLED_STEPS = 16  # 13 on the main path and three endings off the first choice


class Sweep:
    """Runs axe on page after page and keeps every failure for one report at the end."""

    def __init__(self, page: Page, outside_requests):
        self.page = page
        self.outside_requests = outside_requests
        self.checked: list[str] = []
        self.failures: list[str] = []

    def visit(self, path: str, *, lands_on: str | None = None) -> None:
        response = self.page.goto(path)
        assert response is not None and response.ok, f"{path} answered {response and response.status}"
        expect(self.page).to_have_url(url_of(lands_on or path))
        self.check()

    def check(self) -> None:
        self.checked.append(self.page.url)
        try:
            assert_no_axe_violations(self.page)
        except AssertionError as error:
            self.failures.append(str(error))

    def assert_all_passed(self) -> None:
        self.outside_requests.assert_none()
        if self.failures:
            raise AssertionError("\n\n".join(self.failures))


def start_self_guided(page: Page) -> None:
    page.goto("/")
    page.get_by_role("button", name="Start on my own").click()
    page.wait_for_url(url_of("/lesson/"))


def all_steps(package) -> list[Step]:
    steps = list(Step.objects.filter(package=package).order_by("position"))
    assert len(steps) == BUNDLED_STEPS
    assert any(step.detour for step in steps)
    return steps


def test_student_pages_before_a_lesson(page, bundled_package, outside_requests):
    sweep = Sweep(page, outside_requests)
    sweep.visit("/")
    sweep.visit("/join/")
    sweep.visit("/help/")
    # Lesson pages without a lesson send the student home with a message.
    sweep.visit("/lesson/resume/", lands_on="/")
    expect(page.get_by_role("status")).to_contain_text("Start the lesson here")

    page.goto("/join/")
    page.get_by_label("Class code").fill("ZZ")
    page.get_by_role("button", name="Join the lesson").click()
    expect(page.get_by_text("A class code is 6 letters and numbers")).to_be_visible()
    sweep.check()

    sweep.assert_all_passed()
    assert len(sweep.checked) == 5


def test_the_join_page_in_check_mode_and_a_full_class(page, bundled_package, outside_requests, settings):
    settings.JOIN_FAILURES_PER_ADDRESS = 2
    class_session = make_class_session(teacher=make_teacher("alice"), package=bundled_package)
    wrong = "ACDEFG" if class_session.join_code != "ACDEFG" else "GFEDCA"
    for _ in range(2):
        assert Client().post("/join/", {"code": wrong}).status_code == 400
    sweep = Sweep(page, outside_requests)
    sweep.visit("/join/")
    expect(page.get_by_label("Class word")).to_be_visible()
    page.get_by_label("Class code").fill(class_session.join_code)
    page.get_by_label("Class word").fill("not-the-word")
    page.get_by_role("button", name="Join the lesson").click()
    expect(page.get_by_text("There is no open lesson with that code and class word")).to_be_visible()
    sweep.check()

    ClassSession.objects.filter(pk=class_session.pk).update(max_students=1, students_joined=1)
    page.get_by_label("Class word").fill(class_session.class_word)
    page.get_by_role("button", name="Join the lesson").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This lesson is full")
    expect(page.get_by_text("This lesson is full. Ask your teacher.")).to_be_visible()
    sweep.check()
    sweep.assert_all_passed()


@pytest.mark.long
def test_every_student_page_during_a_lesson(page, bundled_package, outside_requests):
    sweep = Sweep(page, outside_requests)
    start_self_guided(page)
    sweep.visit("/lesson/")
    for step in all_steps(bundled_package):
        sweep.visit(f"/lesson/{step.key}/")
    for option in ChoiceOption.objects.filter(step__package=bundled_package).exclude(leads_to=""):
        path = f"/lesson/{option.step.key}/?option={option.position}#choice-result"
        sweep.visit(path)
        expect(page.locator(f"#choice-{option.position}")).to_contain_text(f"You picked: {option.label}")
        expect(page.get_by_role("link", name="See how it could go")).to_be_visible()
    riley = ChoiceOption.objects.get(step__package=bundled_package, step__key="riley-gets-it", position=0)
    sweep.visit(f"/lesson/riley-gets-it/?option={riley.position}#choice-result")
    expect(page.locator(f"#choice-{riley.position}")).to_contain_text(f"You picked: {riley.label}")
    # Shown in place by the script: axe checks the page with an option's feedback revealed without a reload.
    page.get_by_role("button", name="Check in on Jordan").click()
    expect(page.locator(".choice-feedback:visible")).to_contain_text("You picked: Check in on Jordan")
    sweep.check()
    sweep.visit("/lesson/end/")
    sweep.visit("/")
    expect(page.get_by_role("link", name="Carry on where you left off")).to_be_visible()

    sweep.assert_all_passed()


def test_teacher_login_page_and_its_error(page, bundled_package, outside_requests):
    sweep = Sweep(page, outside_requests)
    sweep.visit("/accounts/login/")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    sweep.check()
    sweep.assert_all_passed()


@pytest.mark.long
def test_every_teacher_page(new_context, live_server, bundled_package, outside_requests):
    alice = make_teacher("alice")
    class_session = make_class_session(teacher=alice, package=bundled_package)
    context = new_context()
    log_in(context, alice, live_server.url)
    page = context.new_page()
    sweep = Sweep(page, outside_requests)

    sweep.visit("/teach/")
    expect(page.get_by_role("cell", name=class_session.join_code)).to_be_visible()
    session_page = f"/teach/sessions/{class_session.pk}/"
    sweep.visit(session_page)
    expect(page.locator(".join-code")).to_have_text(class_session.join_code)
    expect(page.locator(".class-word")).to_have_text(f"Class word: {class_session.class_word}")
    expect(page.get_by_text("0 of 40 places taken")).to_be_visible()
    page.get_by_label("Places").fill("45")
    page.get_by_role("button", name="Change the places").click()
    expect(page.get_by_text("0 of 45 places taken")).to_be_visible()
    sweep.check()
    # The live lesson's console and projector screen on every slide (the console's controls: test_live_lesson).
    for slide in live.slides_for(bundled_package.pk):
        page.goto("about:blank")  # a projector left open would reload for the move, under the next visit
        live.bump(class_session, live_slide=slide.key)
        sweep.visit(f"/teach/sessions/{class_session.pk}/console/")
        expect(page.get_by_role("heading", level=2, name=re.compile("^Showing slide"))).to_contain_text(
            slide.title
        )
        sweep.visit(f"/teach/sessions/{class_session.pk}/projector/")

    page.goto(session_page)
    page.get_by_role("button", name="Close the session").click()
    expect(page.get_by_role("status")).to_contain_text("The session is closed")
    sweep.check()
    class_session.refresh_from_db()
    assert not class_session.is_open

    sweep.assert_all_passed()
