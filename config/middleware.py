"""Project-wide middleware: security headers Django does not set itself, no-store for teachers, body limits."""

from functools import cache

from django.conf import settings
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from accounts.access import is_pilot_lead
from config.views import request_too_large

# Nothing in the app needs a camera, microphone, location, payment or any other powerful feature.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


@cache
def _teacher_url_prefixes() -> tuple[str, ...]:
    """Where teachers' and pilot leads' pages live (the log-in page included), read from the URL map."""
    return (
        reverse("teach:dashboard"),
        reverse("admin:index"),
        reverse("login").rsplit("/", 2)[0] + "/",  # /accounts/: log-in and log-out
        reverse("feedback:results"),
        reverse("feedback:bundles"),
    )


class NoStoreForTeachersMiddleware:
    """Browsers and proxies keep no copy of what a teacher or pilot lead sees: results, class sessions,
    CSV and PDF exports, the admin. `Cache-Control: no-store` goes on any response under a teacher URL
    (redirects to the log-in page included) and on any response to a signed-in user. A response that never
    read the session cannot depend on who asked, so only a request whose session was read is checked for a
    user (no extra query). Static files (WhiteNoise answers before this) and public student pages keep their
    caching; plan pages are no-store on their own (plans/views.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self._for_a_teacher(request):
            add_never_cache_headers(response)
        return response

    @staticmethod
    def _for_a_teacher(request) -> bool:
        if request.path.startswith(_teacher_url_prefixes()):
            return True
        session, user = getattr(request, "session", None), getattr(request, "user", None)
        return bool(session is not None and session.accessed and user is not None and user.is_authenticated)


class RequestBodyLimitMiddleware:
    """Refuses a request whose body is over the limit with a friendly 413 page, before anything reads it:
    REQUEST_BODY_MAX_BYTES for students and teachers, STAFF_REQUEST_BODY_MAX_BYTES for pilot leads (staff),
    who upload package files and results bundles. The size is the declared Content-Length: Django reads no
    more than that, and a body sent without one (chunked) is not read at all under WSGI. Who is asking is only
    looked up for a body over the smaller limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0  # Django reads no body then either
        if size > settings.REQUEST_BODY_MAX_BYTES and size > self._limit_for(request):
            return request_too_large(request)
        return self.get_response(request)

    @staticmethod
    def _limit_for(request) -> int:
        user = getattr(request, "user", None)
        if user is not None and is_pilot_lead(user):
            return settings.STAFF_REQUEST_BODY_MAX_BYTES
        return settings.REQUEST_BODY_MAX_BYTES
