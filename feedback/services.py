"""Writes for feedback: storing a student's answers once per device and stage, and hiding a comment."""

import enum
from collections.abc import Mapping

from django.conf import settings
from django.db import IntegrityError, transaction

from feedback.models import FeedbackAnswer, FeedbackResponse, Stage
from feedback.tokens import hash_token, scope_of
from lessons.models import ClassSession, Package, Question, Step


class Outcome(enum.Enum):
    STORED = "stored"
    ALREADY_GIVEN = "already given"
    CLOSED = "closed"


def questions_for(package: Package, stage: str, *, has_plan: bool = True) -> list[Question]:
    """The stage's questions, in order; without a plan made in this lesson, none of those about the plan."""
    flag = "in_checkin" if stage == Stage.CHECKIN else "in_feedback"
    questions = package.questions.filter(**{flag: True})
    if not has_plan:
        questions = questions.filter(needs_plan=False)
    return list(questions.order_by("position"))


def main_steps(package: Package) -> list[Step]:
    """The steps a student can name as most useful: the main path, not the detours."""
    return list(package.steps.filter(detour=False).order_by("position"))


@transaction.atomic
def feedback_submit(
    *,
    package: Package,
    class_session: ClassSession | None,
    stage: str,
    token: str,
    answers: Mapping[str, object],
) -> Outcome:
    """Store one device's answers for a stage; a second submission stores nothing and changes nothing.

    `answers` maps question keys to cleaned values: an int for a scale, a string for a choice, knowledge
    (True, False or Not sure), year group or text, a list of step keys for useful steps. A missing or empty value is a skipped question.

    The response waits, out of every result, until FEEDBACK_MIN_GROUP responses of its group are waiting;
    then they are released together (see _release_batch).
    """
    if stage not in Stage.values:
        raise ValueError(f"unknown stage {stage!r}")
    if class_session is not None and class_session.package_id != package.pk:
        raise ValueError("the class session uses a different package version")
    _lock_release_group(package, class_session)
    if class_session is not None and not ClassSession.objects.open().filter(pk=class_session.pk).exists():
        return Outcome.CLOSED
    scope = scope_of(package_id=package.pk, class_session_id=class_session.pk if class_session else None)
    token_hash = hash_token(token, stage=stage, scope=scope)
    if FeedbackResponse.objects.filter(token_hash=token_hash, stage=stage).exists():
        return Outcome.ALREADY_GIVEN
    try:
        with transaction.atomic():
            response = FeedbackResponse.objects.create(
                package=package, class_session=class_session, stage=stage, token_hash=token_hash
            )
    except IntegrityError:  # the same device's other request (a double click) got there first
        return Outcome.ALREADY_GIVEN
    FeedbackAnswer.objects.bulk_create(_answer_rows(response, package, stage, answers))
    _release_batch(package, class_session, stage)
    return Outcome.STORED


def _lock_release_group(package: Package, class_session: ClassSession | None) -> None:
    """Submissions to one group take turns, so two arriving together can neither both release a batch (the
    second would release a batch of one) nor both see too few waiting. PostgreSQL locks the class session's
    row (the package's for self-guided lessons) until the transaction ends; SQLite needs nothing more, as its
    IMMEDIATE transactions already take the database's write lock at BEGIN."""
    if class_session is not None:
        list(ClassSession.objects.select_for_update().filter(pk=class_session.pk).values_list("pk"))
    else:
        list(Package.objects.select_for_update().filter(pk=package.pk).values_list("pk"))


def _release_batch(package: Package, class_session: ClassSession | None, stage: str) -> None:
    """Release the group's waiting responses once there are FEEDBACK_MIN_GROUP of them, all at once.

    Results then change only by whole batches: an export from before one student answered and one from after
    are the same, and two exports a batch apart differ by at least FEEDBACK_MIN_GROUP students' answers.
    """
    waiting = FeedbackResponse.objects.release_group(
        package=package, class_session=class_session, stage=stage
    ).filter(released=False)
    if waiting.count() >= settings.FEEDBACK_MIN_GROUP:
        waiting.update(released=True)


def _answer_rows(response, package, stage, answers) -> list[FeedbackAnswer]:
    rows = []
    steps = None
    for question in questions_for(package, stage):
        value = answers.get(question.key)
        if value in (None, "", [], ()):
            continue
        answer = {"response": response, "question": question}
        if question.kind == Question.Kind.SCALE:
            if value not in (1, 2, 3, 4, 5):
                raise ValueError(f"{question.key}: a scale answer is 1 to 5, not {value!r}")
            rows.append(FeedbackAnswer(**answer, scale_value=value))
        elif question.kind in (Question.Kind.CHOICE, Question.Kind.YEAR_GROUP, Question.Kind.KNOWLEDGE):
            if value not in question.choice_list:
                raise ValueError(f"{question.key}: {value!r} is not one of the answers")
            rows.append(FeedbackAnswer(**answer, choice=value))
        elif question.kind == Question.Kind.USEFUL_STEPS:
            steps = steps if steps is not None else {step.key: step for step in main_steps(package)}
            for key in dict.fromkeys(value):
                if key not in steps:
                    raise ValueError(f"{question.key}: {key!r} is not a main step")
                rows.append(FeedbackAnswer(**answer, step=steps[key]))
        elif question.kind == Question.Kind.TEXT:
            text = str(value).strip()
            if text:
                rows.append(FeedbackAnswer(**answer, text=text[:1000]))
    return rows


@transaction.atomic
def comment_hide(*, answer: FeedbackAnswer) -> None:
    """Hide a comment from every result and export, for everyone; it is never shown again."""
    if not answer.hidden:
        answer.hidden = True
        answer.save(update_fields=["hidden"])
