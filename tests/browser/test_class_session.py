"""A teacher starts a class session in Chromium and a student on another device joins it with the code."""

import re

import pytest
from playwright.sync_api import expect

from lessons.models import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, ClassSession
from tests.browser.urls import url_of
from tests.builders import PASSWORD, make_teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_student_joins_the_session_a_teacher_started(new_context, bundled_package, outside_requests):
    make_teacher("alice")

    teacher = new_context().new_page()
    teacher.goto("/accounts/login/")
    teacher.get_by_label("Username").fill("alice")
    teacher.get_by_label("Password").fill(PASSWORD)
    teacher.get_by_role("button", name="Log in").click()
    teacher.wait_for_url(url_of("/teach/"))
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Your class sessions")

    teacher.get_by_label("Lesson package").select_option(value=str(bundled_package.pk))
    teacher.get_by_label("Class (optional)").fill("Year 9, period 3")
    teacher.get_by_role("button", name="Start a class session").click()
    teacher.wait_for_url(re.compile(r"/teach/sessions/\d+/$"))
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Year 9, period 3")
    code = teacher.locator(".join-code").inner_text().strip()
    assert len(code) == JOIN_CODE_LENGTH
    assert set(code) <= set(JOIN_CODE_ALPHABET)
    class_session = ClassSession.objects.get()
    assert class_session.join_code == code
    assert class_session.package == bundled_package

    student = new_context().new_page()
    student.goto("/join/")
    student.get_by_label("Class code").press_sequentially(code)
    student.get_by_role("button", name="Join the lesson").click()
    student.wait_for_url(url_of("/lesson/"))
    expect(student.get_by_role("heading", level=1)).to_have_text("Before we start")
    expect(student.get_by_text(bundled_package.title)).to_be_visible()
    expect(student.get_by_role("link", name="Next: a quick check-in")).to_be_visible()
    # The student's device is not the teacher's: it was never logged in.
    student.goto("/teach/")
    expect(student).to_have_url(re.compile(r"/accounts/login/\?next=/teach/$"))

    outside_requests.assert_none()


def _flood_wrong_codes(class_session: ClassSession, guesses: int) -> None:
    """Wrong codes from the browsers' own address (the live server sees 127.0.0.1), each without a cookie."""
    from django.test import Client

    wrong = "ACDEFG" if class_session.join_code != "ACDEFG" else "GFEDCA"
    for _ in range(guesses):
        assert Client().post("/join/", {"code": wrong}).status_code == 400


def test_after_a_flood_a_student_types_the_code_and_word_with_javascript_off(
    new_context, bundled_package, outside_requests, settings
):
    from tests.builders import make_class_session

    settings.JOIN_FAILURES_PER_ADDRESS = 5
    class_session = make_class_session(teacher=make_teacher("alice"), package=bundled_package)
    _flood_wrong_codes(class_session, 5)

    student = new_context(java_script_enabled=False).new_page()
    student.goto("/join/")
    expect(student.get_by_text("Lots of wrong codes have come from your school's network")).to_be_visible()
    student.get_by_label("Class code").fill(class_session.join_code)
    student.get_by_role("button", name="Join the lesson").click()
    expect(student.get_by_text("Type the class word too")).to_be_visible()
    student.get_by_label("Class word").fill(class_session.class_word.upper())
    student.get_by_role("button", name="Join the lesson").click()
    student.wait_for_url(url_of("/lesson/"))
    expect(student.get_by_role("heading", level=1)).to_have_text("Before we start")
    outside_requests.assert_none()


def test_the_join_link_with_its_word_needs_no_typing_even_after_a_flood(
    new_context, bundled_package, outside_requests, settings
):
    from tests.builders import make_class_session

    settings.JOIN_FAILURES_PER_ADDRESS = 5
    class_session = make_class_session(teacher=make_teacher("alice"), package=bundled_package)
    _flood_wrong_codes(class_session, 5)
    for java_script_enabled in (True, False):
        student = new_context(java_script_enabled=java_script_enabled).new_page()
        student.goto(f"/join/?code={class_session.join_code}&word={class_session.class_word}")
        expect(student.get_by_label("Class word")).to_have_value(class_session.class_word)
        student.get_by_role("button", name="Join the lesson").click()
        student.wait_for_url(url_of("/lesson/"))
    class_session.refresh_from_db()
    assert class_session.students_joined == 2
    outside_requests.assert_none()
