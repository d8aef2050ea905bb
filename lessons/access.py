"""Fetching one class session for a teacher page: the teacher's own (a pilot lead's: any), else a 404."""

from django.shortcuts import get_object_or_404

from lessons.models import ClassSession


def class_session_for_teacher(user, pk: int) -> ClassSession:
    """The class session `pk` if `user` may see it (ClassSession.objects.visible_to); a 404 otherwise, the
    same answer as for a session that does not exist, so nobody learns which numbers are taken."""
    queryset = ClassSession.objects.visible_to(user).select_related("package", "teacher")
    return get_object_or_404(queryset, pk=pk)
