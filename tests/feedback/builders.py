"""Builders for feedback tests: answers given the way a student gives them, or stored directly in bulk."""

import secrets

from feedback.models import Stage
from feedback.services import feedback_submit
from lessons.models import ClassSession, Package
from tests.builders import walk_lesson


def give(client, stage: str = Stage.FEEDBACK, *, walk: bool = True, **answers):
    """A student's browser opens the check-in or feedback page and sends these answers; before the feedback it
    walks the whole story first (unless `walk` is False), as the feedback counts only from a device that did."""
    url = "/feedback/check-in/" if stage == Stage.CHECKIN else "/feedback/"
    if stage == Stage.FEEDBACK and walk:
        walk_lesson(client)
    client.get(url)
    return client.post(url, answers)


def store(
    *,
    package: Package,
    class_session: ClassSession | None = None,
    stage: str = Stage.FEEDBACK,
    token: str | None = None,
    **answers,
):
    """One device's answers stored through the service, for building result data sets quickly."""
    return feedback_submit(
        package=package,
        class_session=class_session,
        stage=stage,
        token=token or secrets.token_urlsafe(16),
        answers=answers,
    )


def store_many(answer_sets: list[dict], **where) -> None:
    for answers in answer_sets:
        store(**where, **answers)


def publish_next_version(package: Package) -> Package:
    """The next published version of a package, copied from this one as a pilot lead would in the admin."""
    from lessons.services import package_publish, package_start_draft

    return package_publish(package=package_start_draft(source=package))


def answer_in_class(class_session: ClassSession, checkins: list[dict], feedback: list[dict]) -> None:
    """Stores a class's check-ins and feedback, one device per answer set."""
    store_many(checkins, package=class_session.package, class_session=class_session, stage=Stage.CHECKIN)
    store_many(feedback, package=class_session.package, class_session=class_session)
