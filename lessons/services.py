"""Writes that change a class session: opening, closing and reopening."""

from django.db import transaction
from django.utils import timezone

from lessons.models import ClassSession, Package


@transaction.atomic
def class_session_open(*, teacher, package: Package, label: str = "") -> ClassSession:
    now = timezone.now()
    return ClassSession.objects.create(
        teacher=teacher,
        package=package,
        label=label,
        join_code=ClassSession.unused_join_code(),
        created_at=now,
        closes_at=now + ClassSession.lifetime(),
    )


@transaction.atomic
def class_session_close(*, class_session: ClassSession) -> None:
    if class_session.closed_at is None:
        class_session.closed_at = timezone.now()
        class_session.save(update_fields=["closed_at"])


@transaction.atomic
def class_session_reopen(*, class_session: ClassSession) -> None:
    """Reopen for another day; a new code is issued if another open session took the old one meanwhile."""
    if class_session.is_open:
        return
    if ClassSession.objects.open().filter(join_code=class_session.join_code).exists():
        class_session.join_code = ClassSession.unused_join_code()
    class_session.closed_at = None
    class_session.closes_at = timezone.now() + ClassSession.lifetime()
    class_session.save(update_fields=["join_code", "closed_at", "closes_at"])
