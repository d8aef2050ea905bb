"""A class answers in Chromium, with JavaScript and without; the console counts and reveals; axe on each panel.

Students vote, share and ask in place with JavaScript, one without it; the projector shows only what was
revealed or approved.

The live lesson's own pages are built alongside; until then tests/lessons/live_responses/pages.py holds the
panels the way those pages include them. SCREENSHOT_DIR=... keeps a picture of each panel for a person to see.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lessons.live_responses.models import AnonymousQuestion, SharedText, Vote, WordPick
from tests.browser import journeys
from tests.browser.axe import assert_no_axe_violations
from tests.browser.urls import url_of
from tests.builders import make_class_session, make_teacher

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.lessons.live_responses.pages"),
]
PHONE = {"width": 360, "height": 740}
VOTE_STEP, WORDS_STEP, TEXT_STEP = "go-back", "how-jordan-feels", "spot-the-pressure"


def _picture(page: Page, name: str) -> None:
    if folder := os.environ.get("SCREENSHOT_DIR"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _log_in(context, username: str) -> Page:
    """A teacher's device, logged in through the form."""
    page = context.new_page()
    journeys.log_in(page, username)
    return page


def _join(page: Page, class_session) -> None:
    page.goto(f"/join/?code={class_session.join_code}")
    page.get_by_role("button", name="Join the lesson").click()
    page.wait_for_url(url_of("/lesson/"))


def _stays_on_the_page(page: Page) -> None:
    """Marks the page, so that a later check can prove an answer was sent without loading a new page."""
    page.evaluate("() => { window.stillHere = true; }")


def _still_on_the_page(page: Page) -> bool:
    return page.evaluate("() => window.stillHere === true")


@pytest.mark.long
def test_a_class_votes_shares_and_asks_and_the_teacher_reveals(new_context, bundled_package):
    alice = make_teacher("alice")
    class_session = make_class_session(teacher=alice, package=bundled_package)
    students = []
    for _ in range(5):
        page = new_context(viewport=PHONE).new_page()
        _join(page, class_session)
        students.append(page)
    no_js = new_context(java_script_enabled=False, viewport=PHONE).new_page()
    _join(no_js, class_session)

    console = _log_in(new_context(viewport={"width": 1280, "height": 800}), "alice")
    console.goto(f"/test-live/console/{class_session.pk}/{VOTE_STEP}/")
    expect(console.get_by_text("0 of 6")).to_be_visible()

    options = ["Say no clearly", "Talk to someone"]
    for number, page in enumerate(students):
        page.goto(f"/test-live/student/{VOTE_STEP}/")
        if number == 0:
            assert_no_axe_violations(page)
            _picture(page, "student-vote-phone")
        _stays_on_the_page(page)
        choice = options[0] if number < 4 else options[1]
        page.get_by_label(choice).check()
        page.get_by_role("button", name="Vote").click()
        expect(page.get_by_role("status")).to_contain_text("Your vote is in: " + choice)
        assert _still_on_the_page(page)
    no_js.goto(f"/test-live/student/{VOTE_STEP}/")
    no_js.get_by_label(options[1]).check()
    no_js.get_by_role("button", name="Vote").click()
    no_js.wait_for_url(url_of(f"/test-live/student/{VOTE_STEP}/#live-responses"))
    expect(no_js.get_by_text("Your vote is in: Talk to someone")).to_be_visible()
    assert Vote.objects.count() == 6

    # The console's count follows without a reload; the distribution shows nowhere until Reveal.
    expect(console.get_by_text("6 of 6")).to_be_visible(timeout=10_000)
    assert "%)" not in console.content()
    _picture(console, "console-vote-laptop")
    console.get_by_role("button", name="Reveal results").click()
    expect(console.get_by_role("status")).to_contain_text("The results are on the projector.")
    projector = _log_in(new_context(viewport={"width": 1280, "height": 720}), "alice")
    projector.goto(f"/test-live/projector/{class_session.pk}/{VOTE_STEP}/")
    expect(projector.get_by_text("4 (67%)")).to_be_visible()
    expect(projector.get_by_text("2 (33%)")).to_be_visible()
    assert_no_axe_violations(projector)
    _picture(projector, "projector-vote-1280x720")

    # Words and a text on the think steps; a question from the box.
    first = students[0]
    first.goto(f"/test-live/student/{WORDS_STEP}/")
    assert_no_axe_violations(first)
    _picture(first, "student-words-phone")
    for word in ["scared", "alone"]:
        first.get_by_label(word, exact=True).check()
    first.get_by_role("button", name="Share my words").click()
    expect(first.get_by_role("status")).to_contain_text("Your words are in: scared, alone")
    assert set(WordPick.objects.values_list("word", flat=True)) == {"scared", "alone"}

    first.goto(f"/test-live/student/{TEXT_STEP}/")
    first.get_by_label("Share a short answer with the class").fill("To make Jordan feel it was normal")
    first.get_by_role("button", name="Send to my teacher").click()
    expect(first.get_by_role("status")).to_contain_text("Sent to your teacher.")
    first.get_by_text("Ask your teacher a question privately").click()
    assert_no_axe_violations(first)
    _picture(first, "student-text-and-question-phone")
    first.get_by_label("Your question").fill("What if it was sent years ago?")
    first.get_by_role("button", name="Send my question").click()
    expect(first.get_by_role("status")).to_contain_text("Your teacher cannot tell who sent it")
    assert AnonymousQuestion.objects.get().text == "What if it was sent years ago?"

    no_js.goto(f"/test-live/student/{TEXT_STEP}/")
    no_js.get_by_text("Ask your teacher a question privately").click()
    no_js.get_by_label("Your question").fill("Can the police see it?")
    no_js.get_by_role("button", name="Send my question").click()
    expect(no_js.get_by_text("Your question was sent.")).to_be_visible()

    # The teacher shows the text on the projector and the question; the projector shows them, nothing else.
    console.goto(f"/test-live/console/{class_session.pk}/{TEXT_STEP}/")
    expect(console.get_by_text("To make Jordan feel it was normal", exact=True)).to_be_visible()
    assert_no_axe_violations(console)
    _picture(console, "console-text-and-questions-laptop")
    console.get_by_role("button", name=re.compile("^Show on projector.*To make Jordan")).click()
    expect(console.get_by_role("status")).to_contain_text("The answer is on the projector.")
    console.get_by_role("button", name=re.compile("^Show on projector.*Can the police")).click()
    expect(console.get_by_role("status")).to_contain_text("The question is on the projector.")
    assert SharedText.objects.get().status == SharedText.Status.APPROVED
    projector.goto(f"/test-live/projector/{class_session.pk}/{TEXT_STEP}/")
    expect(projector.get_by_text("To make Jordan feel it was normal")).to_be_visible()
    expect(projector.get_by_text("Can the police see it?")).to_be_visible()
    assert "What if it was sent years ago?" not in projector.content()
    assert_no_axe_violations(projector)
    _picture(projector, "projector-text-and-question-1280x720")
