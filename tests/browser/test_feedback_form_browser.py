"""In Chromium on a phone: the check-in and feedback forms are short (the feedback at most 2.5 screens of a
360 × 740 phone), pass axe, and can be answered by keyboard with JavaScript off."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from feedback.models import FeedbackAnswer
from tests.browser import journeys
from tests.browser.axe import assert_no_axe_violations
from tests.browser.urls import url_of
from tests.builders import make_class_session, make_teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}
MOST_SCREENS = 2.5
LAW = "It is against the law to share a nude of someone under 18, even of yourself."
# Set SCREENSHOTS=/some/folder to keep pictures of the forms to look at.
SCREENSHOTS = os.environ.get("SCREENSHOTS")


def _student_at_the_feedback(new_context, class_session, **options) -> Page:
    page = new_context(**options).new_page()
    page.goto("/join/")
    page.get_by_label("Class code").fill(class_session.join_code)
    page.get_by_role("button", name="Join the lesson").click()
    page.wait_for_url(url_of("/lesson/"))
    # The feedback opens once every main step has been seen; with a plan made it asks every question.
    for key in class_session.package.steps.filter(detour=False).values_list("key", flat=True):
        page.goto(f"/lesson/{key}/")
    page.goto("/plan/")
    journeys.make_a_short_plan(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us what you thought")
    return page


def _height(page: Page) -> int:
    return page.evaluate("() => document.documentElement.scrollHeight")


def _screenshot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)
        heights = page.evaluate(
            """() => [...document.querySelectorAll('header, main > *, main form > *, aside, footer')]
                .map(e => `${Math.round(e.getBoundingClientRect().height)} ${e.tagName} ${e.className}`)"""
        )
        (Path(SCREENSHOTS) / f"{name}.txt").write_text("\n".join(heights))


def test_the_feedback_page_is_at_most_two_and_a_half_phone_screens_and_passes_axe(
    new_context, bundled_package, outside_requests
):
    class_session = make_class_session(teacher=make_teacher("alice"), package=bundled_package)
    page = _student_at_the_feedback(new_context, class_session, viewport=PHONE)
    _screenshot(page, "feedback-phone")
    height = _height(page)
    assert height <= MOST_SCREENS * PHONE["height"], f"{height}px tall on a phone"
    # Every question is on the page, as one compact row of answers each.
    for question in [LAW, "I would use my plan", "Which parts were most useful?"]:
        expect(page.get_by_role("group", name=question)).to_be_visible()
    # True, False, Not sure, and Skip (the right to pass, which takes back an answer) last
    expect(page.get_by_role("group", name=LAW).get_by_role("radio")).to_have_count(4)
    expect(page.get_by_role("group", name=LAW).get_by_role("radio").last).to_have_accessible_name(
        "Skip this question"
    )
    scale = page.get_by_role("group", name="I would use my plan").get_by_role("radio")
    expect(scale).to_have_count(6)
    tops = {round(box["y"]) for box in (scale.nth(n).bounding_box() for n in range(6))}
    assert len(tops) == 1, "the five answers of a scale and its Skip sit in one row"
    row = page.get_by_role("group", name="I would use my plan").locator(".answer-row")
    assert page.evaluate("(row) => row.scrollWidth <= row.clientWidth", row.element_handle())
    # Each answer's box is a target of at least 24 × 24 px (WCAG 2.2, 2.5.8), the text larger than its answers.
    boxes = page.locator(".answer")
    for n in range(boxes.count()):
        box = boxes.nth(n).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, boxes.nth(n).inner_text()
    sizes = page.evaluate(
        """() => [".question-text", ".answer"].map(
            s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"""
    )
    assert sizes[0] > sizes[1]
    expect(page.get_by_text("Every question is optional")).to_have_count(1)
    assert_no_axe_violations(page)

    page.set_viewport_size(LAPTOP)
    _screenshot(page, "feedback-laptop")
    assert _height(page) <= MOST_SCREENS * PHONE["height"]
    assert_no_axe_violations(page)
    outside_requests.assert_none()


def test_a_student_answers_by_keyboard_with_javascript_off(new_context, bundled_package):
    class_session = make_class_session(teacher=make_teacher("alice"), package=bundled_package)
    page = _student_at_the_feedback(new_context, class_session, java_script_enabled=False, viewport=PHONE)
    law = page.get_by_role("group", name=LAW)
    law.get_by_role("radio", name="True").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")  # moves the choice to False in the same row
    expect(law.get_by_role("radio", name="False")).to_be_checked()
    scale = page.get_by_role("group", name="I would use my plan")
    scale.get_by_role("radio").first.focus()
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(scale.get_by_role("radio", name="4")).to_be_checked()
    page.get_by_role("group", name="Which parts were most useful?").get_by_role(
        "checkbox", name="Alex asks"
    ).check()
    page.get_by_role("button", name="Send my answers").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(url_of("/feedback/thanks/"))
    stored = {a.question.key: a.choice or a.scale_value or a.step.key for a in FeedbackAnswer.objects.all()}
    assert stored == {"law-under-18": "False", "would-use-plan": 4, "useful-steps": "alex-asks"}


def test_a_student_takes_back_an_answer_with_skip_by_keyboard_with_javascript_off(
    new_context, bundled_package
):
    """Radios cannot be unticked: "Skip", the last choice of each row, takes an answer back, and the question is
    stored as not answered."""
    class_session = make_class_session(teacher=make_teacher("alice"), package=bundled_package)
    page = _student_at_the_feedback(new_context, class_session, java_script_enabled=False, viewport=PHONE)
    scale = page.get_by_role("group", name="I would use my plan")
    scale.get_by_role("radio", name="4").check()
    scale.get_by_role("radio", name="4").focus()
    page.keyboard.press("ArrowRight")  # 5
    page.keyboard.press("ArrowRight")  # Skip
    skip = scale.get_by_role("radio", name="Skip this question")
    expect(skip).to_be_checked()
    expect(scale.get_by_role("radio", name="4")).not_to_be_checked()
    law = page.get_by_role("group", name=LAW)
    law.get_by_role("radio", name="True").check()
    law.get_by_role("radio", name="Skip this question").check()
    page.get_by_role("group", name="Which parts were most useful?").get_by_role(
        "checkbox", name="Alex asks"
    ).check()
    page.get_by_role("button", name="Send my answers").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(url_of("/feedback/thanks/"))
    stored = {a.question.key for a in FeedbackAnswer.objects.all()}
    assert stored == {"useful-steps"}  # the response was kept, with no answer to the two questions passed


def test_the_check_in_is_four_questions_on_under_two_phone_screens(new_context, bundled_package):
    class_session = make_class_session(teacher=make_teacher("alice"), package=bundled_package)
    page = new_context(viewport=PHONE).new_page()
    page.goto("/join/")
    page.get_by_label("Class code").fill(class_session.join_code)
    page.get_by_role("button", name="Join the lesson").click()
    page.wait_for_url(url_of("/lesson/"))
    page.goto("/feedback/check-in/")
    _screenshot(page, "checkin-phone")
    expect(page.locator("fieldset.question")).to_have_count(4)
    assert _height(page) <= 1.75 * PHONE["height"]
    assert_no_axe_violations(page)
