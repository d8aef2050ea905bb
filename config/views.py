"""Project-level views: the health check and friendly error pages (never a traceback)."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

ERROR_TITLES = {
    400: "Something went wrong with that request",
    403: "You can't open this page",
    404: "We can't find that page",
    413: "That was too much to send",
    500: "Something went wrong on our side",
    503: "The site is busy or being looked after",
}


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers, 503 when it does not; says nothing more."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means unhealthy, and the detail stays in the logs
        return HttpResponse("unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def bare(request):
    """Benchmarks only (BENCH_VIEWS=true): the cheapest Django response, to compare real pages against."""
    return HttpResponse("ok", content_type="text/plain")


def _error_page(request, status: int) -> HttpResponse:
    # Rendered without database access (no session, no user), so it works when the database is away.
    template = loader.get_template("error.html")
    context = {
        "status": status,
        "title": ERROR_TITLES[status],
        "site_name": settings.SITE_NAME,
        "quick_exit_url": settings.QUICK_EXIT_URL,
    }
    body = template.render(context)
    response = HttpResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request, exception=None):
    return _error_page(request, 400)


def permission_denied(request, exception=None):
    return _error_page(request, 403)


def page_not_found(request, exception=None):
    return _error_page(request, 404)


def request_too_large(request):
    return _error_page(request, 413)


def server_error(request):
    """Django calls this inside its exception handler, so the error can be told apart: a database that is
    away (restarting, unreachable, locked for too long) is a 503 to try again, not a fault of ours."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return service_unavailable(request)
    return _error_page(request, 500)


def service_unavailable(request):
    response = _error_page(request, 503)
    response["Retry-After"] = "30"
    return response
