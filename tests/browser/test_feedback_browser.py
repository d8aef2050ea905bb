"""In Chromium: a class does the check-in and feedback on their own devices and the teacher reads the results.

One student of the class answers in Chromium; the others' devices send the same forms through Django's test
client (the teacher's results page is what these tests look at, and a browser a student costs about ten
seconds): the pages a student answers on are walked in Chromium here, in test_feedback_form_browser and in
test_route_browser."""

import re

import pytest
from playwright.sync_api import Page, expect

from feedback.models import FeedbackResponse
from tests.browser import journeys
from tests.browser.axe import assert_no_axe_violations
from tests.browser.urls import url_of
from tests.builders import PASSWORD, make_teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in_and_open_a_session(page: Page, bundled_package) -> str:
    make_teacher("alice")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(url_of("/teach/"))
    page.get_by_label("Lesson package").select_option(value=str(bundled_package.pk))
    page.get_by_label("Class (optional)").fill("Year 9, period 3")
    page.get_by_label("Students go at their own pace").check()  # they walk the story on their own here
    page.get_by_role("button", name="Start a class session").click()
    page.wait_for_url(re.compile(r"/teach/sessions/\d+/$"))
    return page.locator(".join-code").inner_text().strip()


def _results(teacher: Page) -> None:
    teacher.get_by_role("link", name=re.compile("anonymous feedback")).click()
    teacher.wait_for_url(re.compile(r"/feedback/results/sessions/\d+/$"))


@pytest.mark.long
def test_six_students_check_in_and_give_feedback_and_the_teacher_sees_the_figures(
    new_context, bundled_package, outside_requests
):
    """(Student 1 answers in Chromium, students 2 to 6 on devices of their own through the test client.)"""
    teacher = new_context().new_page()
    code = _log_in_and_open_a_session(teacher, bundled_package)

    student = new_context().new_page()
    journeys.join(student, code)
    journeys.check_in(student, journeys.BEFORE[0], axe=True)
    journeys.give_feedback(student, 0, axe=True)
    # Sending again from the same device changes nothing.
    student.goto("/feedback/")
    expect(student).to_have_url(url_of("/feedback/thanks/"))
    assert FeedbackResponse.objects.count() == 2
    for number in range(1, 6):
        journeys.answer_without_a_browser(code, number)
    assert FeedbackResponse.objects.count() == 12

    # Answers are added in batches of five: the first five are in, the sixth waits for four more.
    _results(teacher)
    main = teacher.get_by_role("main")
    expect(main.locator(".response-count")).to_have_text(["5 responses.", "5 responses."])
    expect(main.locator(".waiting-note")).to_have_count(2)
    expect(main.locator(".waiting-note").first).to_contain_text(
        "1 more answer will be added when 4 more arrive."
    )
    expect(main).to_contain_text("5 answered: mean 3.6, median 4.0 (1 to 5).")
    change = main.locator(".change-table tbody tr")
    expect(change).to_have_count(1)
    expect(change.locator("td")).to_have_text(["2.8 (5)", "4.2 (5)", "+1.4", "3.0", "4.0", "+1.0"])
    for number in range(5):  # all five below, where they can be hidden (the summary above quotes three)
        expect(main.locator(".comments").get_by_text(f"Idea number {number + 1}")).to_be_visible()
    expect(main).not_to_contain_text("Idea number 6")
    expect(main.locator("svg.bar-chart").first).to_be_visible()
    assert_no_axe_violations(teacher)

    # The form posts back to this same page, so wait for the new page rather than for its address.
    with teacher.expect_navigation(url=re.compile(r"/feedback/results/sessions/\d+/$")):
        teacher.get_by_role("button", name="Hide this comment").first.click()
    expect(teacher.get_by_role("main")).to_contain_text("1 comment hidden by a teacher.")
    assert_no_axe_violations(teacher)

    teacher.get_by_role("link", name="Add focus-group notes").click()
    teacher.wait_for_url(re.compile(r"/feedback/results/sessions/\d+/notes/new/$"))
    assert_no_axe_violations(teacher)
    outside_requests.assert_none()


def test_with_four_students_the_results_are_suppressed(new_context, bundled_package, outside_requests):
    """(The four answer through the test client: the test above has a student answer in Chromium.)"""
    teacher = new_context().new_page()
    code = _log_in_and_open_a_session(teacher, bundled_package)
    for number in range(4):
        journeys.answer_without_a_browser(code, number, check_in=False)
    assert FeedbackResponse.objects.count() == 4

    _results(teacher)
    main = teacher.get_by_role("main")
    expect(main.locator(".suppressed")).to_have_count(2)
    expect(main).to_contain_text("Not enough responses yet to keep answers anonymous")
    expect(main).not_to_contain_text("mean")
    expect(main).not_to_contain_text("Idea number")
    expect(main.locator("svg.bar-chart")).to_have_count(0)
    assert_no_axe_violations(teacher)

    teacher.goto("/feedback/results/")
    expect(teacher.get_by_role("main")).to_contain_text("4 answers will be added when 1 more arrives.")
    expect(teacher.get_by_role("main")).not_to_contain_text("Idea number")
    assert_no_axe_violations(teacher)
    outside_requests.assert_none()


@pytest.mark.long
def test_a_student_is_sent_back_to_finish_the_story_and_a_busy_network_is_told_kindly(
    new_context, bundled_package, outside_requests, settings
):
    settings.SELF_GUIDED_FEEDBACK_PER_ADDRESS = 1
    first = new_context().new_page()
    first.goto("/")
    first.get_by_role("button", name="Start on my own").click()
    journeys.start_the_story(first)
    first.get_by_role("link", name="Next", exact=True).click()
    place = first.url
    first.goto("/feedback/")
    expect(first.get_by_role("heading", level=1)).to_have_text("Finish the story first")
    assert_no_axe_violations(first)
    first.get_by_role("link", name="Go back to where I was").click()
    expect(first).to_have_url(place)
    journeys.give_feedback(first, 0)

    second = new_context().new_page()  # another device on the same network: over this test's limit of one
    second.goto("/")
    second.get_by_role("button", name="Start on my own").click()
    journeys.walk_the_story(second)
    second.get_by_role("link", name="Skip the plan and tell us what you thought").click()
    second.get_by_role("button", name="Send my answers").click()
    expect(second.get_by_role("heading", level=1)).to_have_text("We cannot take more answers just now")
    assert_no_axe_violations(second)
    assert FeedbackResponse.objects.count() == 1
    outside_requests.assert_none()
