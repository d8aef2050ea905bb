"""Votes on a choice step: one per device, changeable until closed, hidden until Reveal, and only from five."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lessons.live_responses.models import Poll, Vote
from lessons.models import ClassSession
from tests.lessons.live_responses.builders import (
    PANEL,
    VOTE_STEP,
    option_positions,
    page_text,
    students,
    teacher_action,
    vote,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.lessons.live_responses.pages")]


def _pages(teacher: Client, student: Client, class_session: ClassSession) -> dict[str, str]:
    return {
        "console": page_text(teacher.get(f"/test-live/console/{class_session.pk}/{VOTE_STEP}/")),
        "projector": page_text(teacher.get(f"/test-live/projector/{class_session.pk}/{VOTE_STEP}/")),
        "student": page_text(student.get(f"/test-live/student/{VOTE_STEP}/")),
    }


def test_it_counts_the_votes_but_shows_nobody_how_they_split_until_reveal(teacher, live_class):
    first, second = option_positions(live_class)[:2]
    class_of_six = students(live_class, 6)
    for number, browser in enumerate(class_of_six):
        assert vote(browser, first if number < 4 else second).status_code == 302
    pages = _pages(teacher, class_of_six[0], live_class)
    assert "6 of 6 have voted" in pages["console"]
    for page in pages.values():
        assert "%)" not in page  # no share of the votes anywhere
        assert "4 (67%)" not in page and "2 (33%)" not in page

    assert teacher_action(teacher, live_class, VOTE_STEP, "reveal").status_code == 302
    pages = _pages(teacher, class_of_six[0], live_class)
    assert "4 (67%)" in pages["projector"] and "2 (33%)" in pages["projector"]
    assert "6 voted" in pages["projector"]
    assert "4 (67%)" in pages["console"]
    assert "%)" not in pages["student"]  # students see the board, not a chart of their own


def test_it_refuses_to_reveal_four_votes_when_five_are_needed(teacher, live_class, settings):
    settings.FEEDBACK_MIN_GROUP = 5
    for browser in students(live_class, 4):
        vote(browser, option_positions(live_class)[0])
    response = teacher_action(teacher, live_class, VOTE_STEP, "reveal", **PANEL)
    assert response.status_code == 400
    assert "4 students have answered so far. The results show once at least 5 have" in page_text(response)
    assert not Poll.objects.get(class_session=live_class).revealed
    assert "%)" not in page_text(teacher.get(f"/test-live/projector/{live_class.pk}/{VOTE_STEP}/"))

    plain = teacher_action(teacher, live_class, VOTE_STEP, "reveal", follow=True)
    assert "The results show once at least 5 have" in page_text(plain)  # without JavaScript: a message


def test_a_vote_can_be_changed_until_the_teacher_closes_it_and_is_then_refused(teacher, live_class):
    first, second = option_positions(live_class)[:2]
    (student,) = students(live_class, 1)
    vote(student, first)
    vote(student, second)
    assert list(Vote.objects.values_list("option", flat=True)) == [second]

    teacher_action(teacher, live_class, VOTE_STEP, "close")
    refused = vote(student, first, **PANEL)
    assert refused.status_code == 400
    assert "Your teacher has closed this question" in page_text(refused)
    assert list(Vote.objects.values_list("option", flat=True)) == [second]
    assert "The vote is closed. You voted:" in page_text(student.get(f"/test-live/student/{VOTE_STEP}/"))

    teacher_action(teacher, live_class, VOTE_STEP, "reopen")
    assert vote(student, first, **PANEL).status_code == 200
    assert list(Vote.objects.values_list("option", flat=True)) == [first]


def test_closing_or_revealing_raises_the_lessons_version_but_a_vote_does_not(teacher, live_class):
    version = live_class.live_version
    for browser in students(live_class, 5):
        vote(browser, option_positions(live_class)[0])
    live_class.refresh_from_db()
    assert live_class.live_version == version
    teacher_action(teacher, live_class, VOTE_STEP, "reveal")
    live_class.refresh_from_db()
    assert live_class.live_version == version + 1


def test_a_vote_for_no_option_or_another_steps_option_gets_a_message_not_an_error(live_class):
    (student,) = students(live_class, 1)
    for option in ["", "999", "x"]:
        response = vote(student, option, **PANEL)
        assert response.status_code == 400
        assert "Choose one" in page_text(response)
    assert not Vote.objects.exists()
    plain = vote(student, "", follow=True)
    assert plain.redirect_chain[0][0] == f"/lesson/{VOTE_STEP}/#live-responses"


def test_a_plain_vote_returns_to_the_page_and_says_once_that_it_is_in(live_class):
    (student,) = students(live_class, 1)
    first = option_positions(live_class)[0]
    response = student.post(
        f"/lesson/responses/{VOTE_STEP}/vote/", {"option": first, "next": f"/test-live/student/{VOTE_STEP}/"}
    )
    assert response["Location"] == f"/test-live/student/{VOTE_STEP}/#live-responses"
    page = page_text(student.get(response["Location"]))
    assert "Your vote is in:" in page
    assert "Your vote is in:" not in page_text(student.get(response["Location"]))


def test_a_page_from_another_site_is_never_where_a_vote_returns(live_class):
    (student,) = students(live_class, 1)
    response = student.post(
        f"/lesson/responses/{VOTE_STEP}/vote/",
        {"option": option_positions(live_class)[0], "next": "//evil.example/"},
    )
    assert response["Location"] == "/lesson/resume/#live-responses"


def test_a_vote_sent_by_fetch_gets_its_panel_back_without_reading_the_step_again(live_class):
    (pupil,) = students(live_class, 1)
    first = option_positions(live_class)[0]
    with CaptureQueriesContext(connection) as queries:
        response = vote(pupil, first, **PANEL)
    assert response.status_code == 200 and "Your vote is in" in response.content.decode()
    steps_read = [query for query in queries if query["sql"].startswith('SELECT "lessons_step"')]
    options_read = [
        query for query in queries if query["sql"].startswith('SELECT "lessons_choiceoption"."id"')
    ]
    assert len(steps_read) == 1 and len(options_read) == 1  # for the form, and the panel shows the same


def test_a_students_panel_on_a_vote_counts_no_answers(live_class):
    """A student sees neither how many answered nor the chart, so their panel never counts the class's answers
    (the console and the projector do)."""
    pupils = students(live_class, 2)
    vote(pupils[0], option_positions(live_class)[0])
    with CaptureQueriesContext(connection) as queries:
        page = page_text(pupils[1].get(f"/test-live/student/{VOTE_STEP}/"))
    assert "Vote for what you think" in page
    assert not [query for query in queries if "COUNT(" in query["sql"]]
