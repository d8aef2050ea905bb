"""Project-wide middleware: security headers that Django does not set itself, and no-store for teachers."""

from functools import cache

from django.urls import reverse
from django.utils.cache import add_never_cache_headers

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
        session = getattr(request, "session", None)
        return bool(session is not None and session.accessed and request.user.is_authenticated)
