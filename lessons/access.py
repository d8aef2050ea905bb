"""Fetching a class session for a page: a teacher's own (a pilot lead's: any), or the class a student is in."""

from django.shortcuts import get_object_or_404

from lessons.models import ClassSession
from lessons.walkthrough import lesson_state


def class_session_for_teacher(user, pk: int) -> ClassSession:
    """The class session `pk` if `user` may see it (ClassSession.objects.visible_to); a 404 otherwise, the
    same answer as for a session that does not exist, so nobody learns which numbers are taken."""
    queryset = ClassSession.objects.visible_to(user).select_related("package", "teacher")
    return get_object_or_404(queryset, pk=pk)


def class_session_for_student(session) -> ClassSession | None:
    """The class session a student's lesson is in, whether or not it is still open; None when the lesson is
    self-guided or none was started. Only a browser that joined the class (lessons.views.join) has it."""
    state = lesson_state(session)
    if state is None or state.class_session_id is None:
        return None
    return ClassSession.objects.select_related("package").filter(pk=state.class_session_id).first()
