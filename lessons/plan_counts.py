"""Plans made and plans downloaded, counted per class session and package version for the results.

A count is a number on a PlanCount row and nothing else: no plan, feedback response, device or time is kept
with it. Each student's lesson counts once for each (flags in its session: walkthrough.LessonState), and
concurrent students never lose a count: the row is found or made, then raised in one UPDATE ... SET n = n + 1.
"""

from django.db import IntegrityError, transaction
from django.db.models import F

from lessons import walkthrough
from lessons.models import ClassSession, Package, PlanCount


def _raise(*, package_id: int, class_session_id: int | None, field: str) -> None:
    """One UPDATE when the row is there (every count but the first); else make it, which another student may
    be doing at the same moment: then raise theirs."""
    rows = PlanCount.objects.filter(package_id=package_id, class_session_id=class_session_id)
    if rows.update(**{field: F(field) + 1}):
        return
    if class_session_id is not None and not ClassSession.objects.filter(pk=class_session_id).exists():
        return _raise(package_id=package_id, class_session_id=None, field=field)  # a class that has gone
    if not Package.objects.filter(pk=package_id).exists():
        return None  # a version deleted by a pilot lead: nothing to count it under
    try:
        with transaction.atomic():  # a savepoint, so that a lost race leaves the caller's transaction sound
            PlanCount.objects.create(package_id=package_id, class_session_id=class_session_id, **{field: 1})
    except IntegrityError:
        rows.update(**{field: F(field) + 1})
    return None


def plan_made(session) -> None:
    """Count this lesson's plan as made, once (the first time a part of it is saved)."""
    state = walkthrough.lesson_state(session)
    if state is None or state.made_counted:
        return
    _raise(package_id=state.package_id, class_session_id=state.class_session_id, field="made")
    walkthrough.remember_plan_counted(session, made=True)


def plan_downloaded(session) -> None:
    """Count this lesson's plan as downloaded, once (its first PDF)."""
    state = walkthrough.lesson_state(session)
    if state is None or state.download_counted:
        return
    _raise(package_id=state.package_id, class_session_id=state.class_session_id, field="downloaded")
    walkthrough.remember_plan_counted(session, downloaded=True)
