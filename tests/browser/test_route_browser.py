"""In Chromium on a phone: a student joins a class with its code and goes along the one lesson route to the end
by clicking alone (no address typed after joining): ground rules → check-in → every story step → make your
plan → the plan builder → the plan's summary → feedback → the end. Screenshots of each stage are kept
to be looked at when ROUTE_SCREENSHOTS_DIR names a folder."""

import re

import pytest
from playwright.sync_api import Page, expect

from feedback.models import FeedbackAnswer, FeedbackResponse, Stage
from lessons.models import PlanCount, Step
from tests.browser.axe import assert_no_axe_violations
from tests.browser.journeys import CONFIDENCE, choose
from tests.browser.screenshots import Looks
from tests.browser.urls import url_of
from tests.builders import make_class_session, make_teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


look = Looks("ROUTE_SCREENSHOTS_DIR")


def _progress(page: Page, text: str) -> None:
    expect(page.locator("#progress-label")).to_have_text(text)


def _click(page: Page, role: str, name: str, path: str) -> None:
    page.get_by_role(role, name=name, exact=True).click()
    page.wait_for_url(url_of(path))


def test_a_student_goes_from_joining_to_the_end_by_clicking_alone(
    new_context, live_server, bundled_package, outside_requests
):
    lesson = make_class_session(teacher=make_teacher("alice"), package=bundled_package)
    main = list(Step.objects.filter(package=bundled_package, detour=False).order_by("position"))
    total = len(main) + 3  # the check-in, the story, the plan, the feedback
    page = new_context(viewport=PHONE).new_page()

    page.goto("/join/")  # the one address typed: the teacher shows it on the board
    page.get_by_label("Class code").fill(lesson.join_code)
    _click(page, "button", "Join the lesson", "/lesson/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Before we start")
    primary = page.locator("main .btn-primary")
    expect(primary).to_have_count(1)  # no bigger way past the check-in
    expect(primary).to_have_text("Next: a quick check-in")
    expect(page.get_by_role("link", name="Start step 1")).to_have_count(0)
    look(page, "1-rules-phone")

    _click(page, "link", "Next: a quick check-in", "/feedback/check-in/")
    _progress(page, f"Step 1 of {total}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quick check-in")
    assert_no_axe_violations(page)
    look(page, "2-checkin-phone")
    choose(page, CONFIDENCE, "3")  # one answered; the rest skipped (the right to pass)
    _click(page, "button", "Send and start the story", f"/lesson/{main[0].key}/")
    expect(page.get_by_text("Thank you for your answers. Now the story starts.")).to_be_visible()

    for number, step in enumerate(main, start=2):
        expect(page).to_have_url(url_of(f"/lesson/{step.key}/"))
        _progress(page, f"Step {number} of {total}")
        nav = page.get_by_role("navigation", name="Steps")
        if step != main[-1]:
            nav.get_by_role("link", name="Next", exact=True).click()
            page.wait_for_url(url_of(f"/lesson/{main[number - 1].key}/"))
    look(page, "3-last-step-phone")
    page.get_by_role("navigation", name="Steps").get_by_role("link", name="Next: make your plan").click()
    page.wait_for_url(url_of("/plan/"))
    _progress(page, f"Step {total - 1} of {total}")
    look(page, "4-make-your-plan-phone")

    _click(page, "link", "Start my plan", "/plan/strategies/")
    expect(page.locator(".plan-lesson-step")).to_have_text(f"Step {total - 1} of {total}: my plan")
    page.get_by_role("checkbox", name=re.compile(r"^Say no clearly")).check()
    _click(page, "button", "Save and continue", "/plan/lines/")
    page.get_by_role("checkbox", name="No. I'm not sending that.").check()
    for following in ["words", "signs", "people", "help", "already", "why", "summary"]:
        _click(page, "button", "Save and continue", f"/plan/{following}/")

    expect(page.get_by_role("heading", level=1)).to_have_text("My plan")
    _progress(page, f"Step {total - 1} of {total}")
    primary = page.locator("main .btn-primary")
    expect(primary).to_have_count(1)  # the main action leads on; the download stays beside the plan
    expect(primary).to_have_text("Next: tell us what you thought")
    expect(page.get_by_role("link", name="Download my plan (PDF)")).to_be_visible()
    look(page, "5-summary-phone")

    _click(page, "link", "Next: tell us what you thought", "/feedback/")
    _progress(page, f"Step {total} of {total}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us what you thought")
    expect(page.get_by_role("group", name="I would use my plan")).to_be_visible()  # they made one
    assert_no_axe_violations(page)
    look(page, "6-feedback-phone")
    choose(page, "I would use my plan", "4")
    _click(page, "button", "Send my answers", "/feedback/thanks/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(page.get_by_text("That is the end of the lesson.")).to_be_visible()
    expect(page.get_by_role("link", name="Download my plan (PDF)")).to_be_visible()  # the reminder
    expect(page.get_by_role("main").get_by_role("link", name="More places to get help")).to_be_visible()
    assert_no_axe_violations(page)
    look(page, "7-the-end-phone")

    checkin = FeedbackResponse.objects.get(stage=Stage.CHECKIN, class_session=lesson)
    assert list(checkin.answers.values_list("question__key", flat=True)) == ["confidence-saying-no"]
    assert (
        FeedbackAnswer.objects.get(response__stage=Stage.FEEDBACK, question__key="would-use-plan").scale_value
        == 4
    )
    counts = PlanCount.objects.get(class_session=lesson)
    assert (counts.made, counts.downloaded) == (1, 0)
    outside_requests.assert_none()


def test_the_route_pages_on_a_laptop(new_context, live_server, bundled_package):
    """The same stages at 1280×800, to be looked at."""
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto("/")
    _click(page, "button", "Start on my own", "/lesson/")
    look(page, "1-rules-laptop")
    _click(page, "link", "Next: a quick check-in", "/feedback/check-in/")
    look(page, "2-checkin-laptop")
    first = Step.objects.filter(package=bundled_package, detour=False).order_by("position").first()
    _click(page, "link", "Skip the check-in and start the story", f"/lesson/{first.key}/")
    look(page, "3-first-step-laptop")
