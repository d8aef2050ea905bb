"""A whole class answers in the same second: every answer is acknowledged and stored exactly once."""

import pytest
from django.db import connection
from django.test import Client

from lessons.live_responses.models import AnonymousQuestion, Vote, WordPick
from tests.builders import make_class_session
from tests.concurrency import all_at_once
from tests.lessons.live_responses.builders import PANEL, ask, option_positions, share_words, students, vote

STUDENTS = 30


def _statuses(count: int, send) -> list[int]:
    return [response.status_code for response in all_at_once(count, send)]


@pytest.mark.django_db(transaction=True)
def test_thirty_students_voting_and_asking_at_once_are_each_stored_once(alice, bundled_package):
    assert connection.vendor != "sqlite" or str(connection.settings_dict["NAME"]) != ":memory:"
    class_session = make_class_session(teacher=alice, package=bundled_package)
    browsers = students(class_session, STUDENTS)
    options = option_positions(class_session)

    statuses = _statuses(STUDENTS, lambda n: vote(browsers[n], options[n % len(options)], **PANEL))
    assert statuses == [200] * STUDENTS
    assert Vote.objects.count() == STUDENTS
    assert sorted(Vote.objects.values_list("option", flat=True)) == sorted(
        options[n % len(options)] for n in range(STUDENTS)
    )

    # The same devices change their votes at once: still one each, each the new one.
    statuses = _statuses(STUDENTS, lambda n: vote(browsers[n], options[0], **PANEL))
    assert statuses == [200] * STUDENTS
    assert list(Vote.objects.values_list("option", flat=True).distinct()) == [options[0]]
    assert Vote.objects.count() == STUDENTS

    statuses = _statuses(STUDENTS, lambda n: share_words(browsers[n], ["scared", "alone"], **PANEL))
    assert statuses == [200] * STUDENTS and WordPick.objects.count() == 2 * STUDENTS

    statuses = _statuses(STUDENTS, lambda n: ask(browsers[n], f"Question {n}?", **PANEL))
    assert statuses == [200] * STUDENTS
    assert sorted(AnonymousQuestion.objects.values_list("text", flat=True)) == sorted(
        f"Question {n}?" for n in range(STUDENTS)
    )


@pytest.mark.django_db(transaction=True)
def test_one_device_sending_six_questions_at_once_gets_five_stored(alice, bundled_package):
    class_session = make_class_session(teacher=alice, package=bundled_package)
    (browser,) = students(class_session, 1)
    session_key = browser.cookies["sessionid"].value
    ask(browser, "First?")  # the device's token is in its session before the burst
    copies = []
    for _ in range(6):
        copy = Client()
        copy.cookies["sessionid"] = session_key
        copies.append(copy)
    statuses = _statuses(6, lambda n: ask(copies[n], f"Again {n}?", **PANEL))
    assert sorted(statuses) == [200] * 4 + [400] * 2
    assert AnonymousQuestion.objects.count() == 5
