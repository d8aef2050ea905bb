"""What a student or a teacher does in the browser, step by step, shared by the browser tests."""

import re

from django.test import Client
from playwright.sync_api import Page, expect

from feedback.models import Stage
from tests.browser.axe import assert_no_axe_violations
from tests.browser.urls import url_of
from tests.builders import PASSWORD, walk_lesson
from tests.feedback.builders import give
from tests.plans.builders import post_part

CONFIDENCE = "If someone asked you for a nude, how confident would you feel saying no?"
# Six students, of whom the first five make the first batch shown: check-in confidence 2, 2, 3, 3, 4 (mean 2.8,
# median 3.0); after the lesson 3, 4, 4, 5, 5 (mean 4.2, median 4.0); "I would use my plan" 5, 4, 4, 3, 2
# (mean 3.6, median 4.0); "It is against the law ..." True (right) for all but the fifth, who is not sure.
# The sixth (4, 5 and 3) waits for the next batch.
BEFORE = [2, 2, 3, 3, 4, 4]
AFTER = [3, 4, 4, 5, 5, 5]
ATTENTION = [5, 4, 4, 3, 2, 3]  # "I would use my plan"
LAW = "It is against the law to share a nude of someone under 18, even of yourself."


def log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(url_of("/teach/"))


def join(page: Page, code: str) -> None:
    page.goto("/join/")
    page.get_by_label("Class code").fill(code)
    page.get_by_role("button", name="Join the lesson").click()
    page.wait_for_url(url_of("/lesson/"))


def choose(page: Page, question: str, answer: str) -> None:
    """Picks an answer by its label; the ends of a scale also carry their words ("5 – Strongly agree")."""
    label = re.compile(rf"^\s*{re.escape(answer)}(\s+–.*)?\s*$", re.S)
    page.get_by_role("group", name=question).get_by_label(label).check()


def check_in(page: Page, confidence: int, *, axe: bool = False) -> None:
    """From the ground rules, the check-in (step 1 of the lesson), on to the story's first step."""
    page.get_by_role("link", name="Next: a quick check-in").click()
    page.wait_for_url(url_of("/feedback/check-in/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Quick check-in")
    expect(page.locator("#progress-label")).to_have_text(re.compile(r"^Step 1 of \d+$"))
    if axe:
        assert_no_axe_violations(page)
    choose(page, CONFIDENCE, str(confidence))
    page.get_by_role("button", name="Send and start the story").click()
    expect(page.get_by_text("Thank you for your answers. Now the story starts.")).to_be_visible()
    expect(page.locator("#progress-label")).to_have_text(re.compile(r"^Step 2 of \d+$"))


def start_the_story(page: Page) -> None:
    """From the ground rules to the story's first step: through the check-in, skipping it if it is not done."""
    page.goto("/lesson/")
    with page.expect_navigation():
        page.get_by_role("link", name="Next: a quick check-in").click()
    skip = page.get_by_role("link", name="Skip the check-in and start the story")
    if skip.count():
        with page.expect_navigation():
            skip.click()
    expect(page.locator("#progress-label")).to_have_text(re.compile(r"^Step 2 of \d+$"))


def walk_the_story(page: Page) -> None:
    """Reads the story from its first step to the end with its Next buttons (the feedback opens only after
    that), and goes on to "make your plan"."""
    start_the_story(page)
    finish = page.get_by_role("link", name="Next: make your plan", exact=True)
    while not finish.count():
        with page.expect_navigation():
            page.get_by_role("link", name="Next", exact=True).click()
    finish.click()
    page.wait_for_url(url_of("/plan/"))


def make_a_short_plan(page: Page) -> None:
    """From "make your plan", a plan of one way to say no, then its summary's main action: on to the feedback."""
    page.get_by_role("link", name="Start my plan").click()
    page.wait_for_url(url_of("/plan/strategies/"))
    page.get_by_role("checkbox", name=re.compile(r"^Say no clearly")).check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(url_of("/plan/lines/"))
    page.goto("/plan/summary/")  # the other parts may stay empty (the route test clicks through each)
    page.locator("main .btn-primary").filter(has_text="Next: tell us what you thought").click()
    page.wait_for_url(url_of("/feedback/"))


def give_feedback(page: Page, number: int, *, axe: bool = False) -> None:
    """The story, a short plan, and the feedback with every question (the plan ones too, as a plan was made)."""
    walk_the_story(page)
    make_a_short_plan(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us what you thought")
    expect(page.get_by_text("Nobody will know you wrote this.", exact=True)).to_be_visible()
    if axe:
        assert_no_axe_violations(page)
    choose(page, CONFIDENCE, str(AFTER[number]))
    choose(page, LAW, "Not sure" if number == 4 else "True")
    choose(page, "I would use my plan", str(ATTENTION[number]))
    page.get_by_role("group", name="Which parts were most useful?").get_by_role("checkbox").first.check()
    page.get_by_label("What would you change?").fill(f"Idea number {number + 1}")
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(url_of("/feedback/thanks/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    if axe:
        assert_no_axe_violations(page)


def answer_without_a_browser(code: str, number: int, *, check_in: bool = True) -> None:
    """Student `number` answers as check_in and give_feedback do in Chromium, on a device of their own, through
    Django's test client (the same forms, posted; about a second rather than ten): the check-in, the story, a
    short plan (say no), then the feedback with the first part ticked as most useful. For tests whose subject
    is the teacher's or pilot lead's page, while one of the class still answers in Chromium."""
    client = Client()
    assert client.post("/join/", {"code": code}).status_code == 302
    if check_in:
        sent = give(client, Stage.CHECKIN, **{"confidence-saying-no": str(BEFORE[number])})
        assert sent.status_code == 302, sent.content.decode()
    walk_lesson(client)
    assert post_part(client, "strategies", {"strategies": ["say-no"]}).status_code == 302
    page = client.get("/feedback/").content.decode()
    first_part = re.search(r'<input type="checkbox" name="useful-steps"[^>]* value="([^"]+)"', page)[1]
    sent = give(
        client,
        walk=False,
        **{
            "confidence-saying-no": str(AFTER[number]),
            "law-under-18": "Not sure" if number == 4 else "True",
            "would-use-plan": str(ATTENTION[number]),
            "useful-steps": [first_part],
            "what-change": f"Idea number {number + 1}",
        },
    )
    assert sent.status_code == 302 and sent.url == "/feedback/thanks/", sent.content.decode()
