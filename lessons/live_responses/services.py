"""Writes of the live lesson's answers: students send, the teacher closes, reveals, approves and shows.

A student's answer never raises the lesson's version (thirty votes would make every screen fetch thirty
times); a teacher's action that changes what the projector or students' screens show does (lessons.live.bump).
"""

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from lessons import live
from lessons.live_responses.models import (
    AnonymousQuestion,
    DeviceAllowance,
    Poll,
    SharedText,
    Vote,
    WordPick,
)
from lessons.models import ClassSession, Step

WORDS_PER_DEVICE = 3
# How many of a limited thing one device may send: questions in a lesson, and texts on one step.
QUESTIONS_PER_DEVICE = 5
TEXTS_PER_DEVICE = 1


class Refused(Exception):
    """An answer or action that cannot be taken; the message says why, in words a student or teacher reads."""


def _poll(class_session: ClassSession, step_key: str, *, lock: bool) -> Poll:
    """The step's poll, made on first use; locked for this transaction when `lock` (PostgreSQL holds the row;
    SQLite's IMMEDIATE transactions already take one writer at a time)."""
    poll, _ = Poll.objects.get_or_create(class_session=class_session, step_key=step_key)
    return Poll.objects.select_for_update().get(pk=poll.pk) if lock else poll


def _open_poll(class_session: ClassSession, step: Step) -> Poll:
    if not class_session.is_open:
        raise Refused("This lesson has ended, so answers can no longer be sent.")
    poll = _poll(class_session, step.key, lock=True)
    if poll.closed:
        raise Refused("Your teacher has closed this question, so answers can no longer be changed.")
    return poll


@transaction.atomic
def vote_cast(*, class_session: ClassSession, step: Step, device: str, option: int) -> None:
    """Store the device's vote, or change it, until the teacher closes the vote: one row per device."""
    if not step.options.filter(position=option).exists():
        raise Refused("Choose one of the answers.")
    poll = _open_poll(class_session, step)
    Vote.objects.bulk_create(
        [Vote(poll=poll, device=device, option=option)],
        update_conflicts=True,
        unique_fields=["poll", "device"],
        update_fields=["option"],
    )


@transaction.atomic
def words_share(*, class_session: ClassSession, step: Step, device: str, words: list[str]) -> None:
    """Replace the device's words on the step with `words` (one to three of the step's list)."""
    allowed = step.word_list
    words = list(dict.fromkeys(words))
    if not words or any(word not in allowed for word in words):
        raise Refused("Choose at least one of the words.")
    if len(words) > WORDS_PER_DEVICE:
        raise Refused(f"Choose up to {WORDS_PER_DEVICE} words.")
    poll = _open_poll(class_session, step)
    WordPick.objects.filter(poll=poll, device=device).delete()
    WordPick.objects.bulk_create(WordPick(poll=poll, device=device, word=word) for word in words)


def _take_allowance(class_session: ClassSession, device: str, limit: int) -> bool:
    """Count one more for the device; False (and nothing counted) once it has used `limit`."""
    DeviceAllowance.objects.bulk_create(
        [DeviceAllowance(class_session=class_session, device=device)], ignore_conflicts=True
    )
    counted = DeviceAllowance.objects.filter(
        class_session=class_session, device=device, used__lt=limit
    ).update(used=F("used") + 1)
    return counted == 1


def allowance_left(class_session: ClassSession, device: str | None, limit: int) -> int:
    if device is None:
        return limit
    used = DeviceAllowance.objects.filter(class_session=class_session, device=device).values_list(
        "used", flat=True
    )
    return max(0, limit - (used.first() or 0))


@transaction.atomic
def text_share(*, class_session: ClassSession, step: Step, device: str, text: str) -> None:
    poll = _open_poll(class_session, step)
    if not _take_allowance(class_session, device, TEXTS_PER_DEVICE):
        raise Refused("You have already shared an answer to this question.")
    SharedText.objects.create(poll=poll, text=text)


@transaction.atomic
def question_ask(*, class_session: ClassSession, device: str, text: str) -> None:
    if not class_session.is_open:
        raise Refused("This lesson has ended, so questions can no longer be sent.")
    if not _take_allowance(class_session, device, QUESTIONS_PER_DEVICE):
        raise Refused(
            f"You have sent {QUESTIONS_PER_DEVICE} questions in this lesson, which is the most you can send. "
            "You can still talk to your teacher or another adult you trust, or call Childline on 0800 1111."
        )
    AnonymousQuestion.objects.create(class_session=class_session, text=text)


@transaction.atomic
def poll_close(*, class_session: ClassSession, step: Step) -> None:
    poll = _poll(class_session, step.key, lock=True)
    Poll.objects.filter(pk=poll.pk).update(closed=True)
    live.bump(class_session)


@transaction.atomic
def poll_reopen(*, class_session: ClassSession, step: Step) -> None:
    """Open the poll again; its chart is hidden until the teacher reveals it again."""
    poll = _poll(class_session, step.key, lock=True)
    Poll.objects.filter(pk=poll.pk).update(closed=False, revealed=False)
    live.bump(class_session)


@transaction.atomic
def poll_reveal(*, class_session: ClassSession, step: Step) -> None:
    """Close the poll and show its chart, only once enough devices answered that nobody can be picked out."""
    poll = _poll(class_session, step.key, lock=True)
    answered = responders(poll)
    least = settings.FEEDBACK_MIN_GROUP
    if answered < least:
        raise Refused(
            f"{answered} {'student has' if answered == 1 else 'students have'} answered so far. The results "
            f"show once at least {least} have, so that nobody's answer can be picked out."
        )
    Poll.objects.filter(pk=poll.pk).update(closed=True, revealed=True)
    live.bump(class_session)


def responders(poll: Poll | None) -> int:
    """How many devices have answered the poll (voted, or shared words)."""
    if poll is None or poll.pk is None:
        return 0
    return (
        Vote.objects.filter(poll=poll).count()
        + WordPick.objects.filter(poll=poll).values("device").distinct().count()
    )


def text_set_status(*, class_session: ClassSession, text: SharedText, status: str) -> None:
    SharedText.objects.filter(pk=text.pk, poll__class_session=class_session).update(status=status)
    live.bump(class_session)


@transaction.atomic
def question_show(*, class_session: ClassSession, question: AnonymousQuestion) -> None:
    """Put one question on the projector, in place of any other."""
    class_session.anonymous_questions.filter(on_projector=True).update(on_projector=False)
    class_session.anonymous_questions.filter(pk=question.pk).update(on_projector=True)
    live.bump(class_session)


def question_set_status(*, class_session: ClassSession, question: AnonymousQuestion, status: str) -> None:
    """Mark answered, hide, or (status None) take off the projector; each takes it off the projector."""
    changes = {"on_projector": False, **({"status": status} if status else {})}
    class_session.anonymous_questions.filter(pk=question.pk).update(**changes)
    live.bump(class_session)


def responses_delete(*, class_session: ClassSession) -> int:
    """Delete everything the class sent in the live lesson (called when the session closes)."""
    return _delete(Q(pk=class_session.pk))


def responses_delete_ended() -> int:
    """Delete the answers of every class session that has closed or run out of time; returns how many rows."""
    return _delete(Q(closed_at__isnull=False) | Q(closes_at__lte=timezone.now()))


@transaction.atomic
def _delete(sessions: Q) -> int:
    ended = ClassSession.objects.filter(sessions).values("pk")
    deleted = 0
    for model in (Poll, AnonymousQuestion, DeviceAllowance):  # a poll takes its votes, words and texts
        count, _ = model.objects.filter(class_session__in=ended).delete()
        deleted += count
    return deleted
