"""Everything a class sent in the live lesson is deleted when the session closes or runs out of time."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from lessons.live_responses.models import (
    AnonymousQuestion,
    DeviceAllowance,
    Poll,
    SharedText,
    Vote,
    WordPick,
)
from lessons.models import ClassSession
from tests.builders import make_class_session
from tests.lessons.live_responses.builders import (
    ask,
    option_positions,
    share_text,
    share_words,
    students,
    vote,
)

pytestmark = pytest.mark.django_db
MODELS = [Poll, Vote, WordPick, SharedText, AnonymousQuestion, DeviceAllowance]


def _answer_everything(class_session: ClassSession) -> None:
    for student in students(class_session, 2):
        vote(student, option_positions(class_session)[0])
        share_words(student, ["alone"])
        share_text(student, "An answer")
        ask(student, "A question?")


def _rows(class_session: ClassSession) -> dict[str, int]:
    return {
        model.__name__: model.objects.filter(
            **{
                "poll__class_session"
                if model in (Vote, WordPick, SharedText)
                else "class_session": class_session
            }
        ).count()
        for model in MODELS
    }


def test_closing_the_session_deletes_every_vote_answer_and_question(live_class, alice, bundled_package):
    other = make_class_session(teacher=alice, package=bundled_package)
    _answer_everything(live_class)
    _answer_everything(other)
    assert all(_rows(live_class).values())
    client = Client()
    client.force_login(alice)
    assert client.post(f"/teach/sessions/{live_class.pk}/close/").status_code == 302
    assert _rows(live_class) == dict.fromkeys(_rows(live_class), 0)
    assert all(_rows(other).values())  # another class's lesson goes on


def test_purge_deletes_the_answers_of_sessions_that_ran_out_of_time(
    live_class, alice, bundled_package, capsys
):
    running = make_class_session(teacher=alice, package=bundled_package)
    _answer_everything(live_class)
    _answer_everything(running)
    ClassSession.objects.filter(pk=live_class.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    call_command("purge_expired")
    # Three polls, two votes, two words, two texts, two questions, and two devices' counts of texts and questions.
    assert (
        "Deleted 15 records of what classes sent in live lessons that have ended." in capsys.readouterr().out
    )
    assert not any(_rows(live_class).values())
    assert all(_rows(running).values())


def test_after_the_lesson_ends_nothing_more_is_taken(live_class):
    (student,) = students(live_class, 1)
    ClassSession.objects.filter(pk=live_class.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    vote(student, option_positions(live_class)[0])
    ask(student, "Still there?")
    assert not any(model.objects.exists() for model in MODELS)
