"""Test pages holding the three answer panels as the live lesson's console, projector and student pages will.

Tests (and the browser tests) open them before those pages exist: the project's URLs plus these.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as project_urls
from lessons.access import class_session_for_student, class_session_for_teacher


def _page(base: str, include: str):
    """A page of the site (`base`) with the panel's include in it, as the live pages will include it."""
    source = (
        f'{{% extends "{base}" %}}{{% block content %}}<h1>Slide {{{{ slide }}}}</h1>'
        f'{{% include "lessons/live/includes/{include}_responses.html" %}}{{% endblock %}}'
    )
    return engines["django"].from_string(source)


PAGES = {
    "console": _page("teacher_base.html", "console"),
    "projector": _page("teacher_base.html", "projector"),
    "student": _page("student_base.html", "student"),
}


def render(request, page: str, context: dict) -> HttpResponse:
    return HttpResponse(PAGES[page].render(context, request))


@login_required
def console(request, pk: int, slide: str):
    context = {"class_session": class_session_for_teacher(request.user, pk), "slide": slide}
    return render(request, "console", context)


@login_required
def projector(request, pk: int, slide: str):
    context = {"class_session": class_session_for_teacher(request.user, pk), "slide": slide}
    return render(request, "projector", context)


def student(request, slide: str):
    class_session = class_session_for_student(request.session)
    if class_session is None:
        raise Http404("Not in a class.")
    return render(request, "student", {"class_session": class_session, "slide": slide})


urlpatterns = [
    *project_urls,
    path("test-live/console/<int:pk>/<slug:slide>/", console),
    path("test-live/projector/<int:pk>/<slug:slide>/", projector),
    path("test-live/student/<slug:slide>/", student),
]
