"""A student's poll (GET /live/): the state of the class their screen follows, answered as cheaply as Django can.

A school's 1,000 students in a live lesson poll about 500 times a second, so the poll is answered by
`StudentPollMiddleware`, which sits just after the security headers (settings.MIDDLEWARE) and answers before
the rest: a poll needs no session, user, CSRF token, message or static file, and it reads its class's state
from the process's recent copy (live.recent_states, at most a quarter of a second old) or, once per class and
quarter second, with one query by primary key. The URL map still routes /live/ to the same function, so it answers
the same wherever it is reached from.
"""

import json

from django.http import HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.views.decorators.http import require_safe

from lessons import live

# What the middleware after this one would add to a JSON answer that a browser never shows as a page.
HEADERS = {
    "Cache-Control": "no-cache, private",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
}


def state_data(state: live.LiveState) -> dict:
    """What a screen needs to follow its class: the slide, its student page, and how to follow."""
    url, special = live.student_url(state.slide), live.SPECIAL.get(state.slide)
    return {
        "version": state.version,
        "slide": state.slide,
        "url": url,
        "section": url if special and special.whole_section else "",
        "follow": state.leads,
        "paused": state.paused and state.is_open,
        "open": state.is_open,
    }


def conditional(request, state: live.LiveState) -> HttpResponse:
    """The state as JSON with its version as ETag, or 304 Not Modified when the screen has that version."""
    if request.headers.get("If-None-Match") == state.etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(json.dumps(state_data(state)), content_type="application/json")
        response["Content-Length"] = str(len(response.content))
    response["ETag"] = state.etag
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


@require_safe
def student_state(request) -> HttpResponse:
    """A student's poll: the state of the class the device follows (its signed note, no session read); 204
    when it follows no open class, so that its screen stops asking."""
    class_session_id = live.followed_class(request)
    state = live.recent_states.get(class_session_id) if class_session_id is not None else None
    if state is None or not state.is_open:
        response = HttpResponse(status=204)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
    return conditional(request, state)


class StudentPollMiddleware:
    """Answers GET and HEAD of the student poll's path with `student_state`, skipping the middleware after."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._path = ""

    def __call__(self, request):
        if not self._path:
            self._path = reverse("lessons:live_state")
        if request.path_info == self._path and request.method in ("GET", "HEAD"):
            return student_state(request)
        return self.get_response(request)
