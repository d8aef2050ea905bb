"""Plans made and plans downloaded, counted per class session and package version for the results.

A count is a number on a PlanCount row and nothing else: no plan, feedback response, device or time is kept
with it. Each student's lesson counts once for each (flags in its session: walkthrough.LessonState), and
concurrent students never lose a count: the row is found or made, then raised in one UPDATE ... SET n = n + 1.
"""

from django.db import IntegrityError, transaction
from django.db.models import F, Sum

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


def _count(session, *, field: str, already: bool) -> None:
    state = walkthrough.lesson_state(session)
    if state is None or already:
        return
    _raise(package_id=state.package_id, class_session_id=state.class_session_id, field=field)


def plan_made(session) -> None:
    """Count this lesson's plan as made, once (the first time a part of it is saved)."""
    state = walkthrough.lesson_state(session)
    _count(session, field="made", already=state is None or state.made_counted)
    if state is not None and not state.made_counted:
        walkthrough.remember_plan_counted(session, made=True)


def plan_downloaded(session) -> None:
    """Count this lesson's plan as downloaded, once (its first PDF)."""
    state = walkthrough.lesson_state(session)
    _count(session, field="downloaded", already=state is None or state.download_counted)
    if state is not None and not state.download_counted:
        walkthrough.remember_plan_counted(session, downloaded=True)


def counts_for(rows) -> tuple[int, int]:
    """Plans made and downloaded in these PlanCount rows (a QuerySet): one query."""
    totals = rows.aggregate(made=Sum("made"), downloaded=Sum("downloaded"))
    return totals["made"] or 0, totals["downloaded"] or 0
