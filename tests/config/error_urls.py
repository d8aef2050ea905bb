"""URLs that fail on purpose, to see the error pages a user would get."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.db import OperationalError
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("a bug with a secret in it: SECRET-DETAIL")


def database_away(request):
    raise OperationalError("could not connect to server: SECRET-DETAIL")


def bad(request):
    raise BadRequest("SECRET-DETAIL")


def forbidden(request):
    raise PermissionDenied("SECRET-DETAIL")


urlpatterns = [
    path("broken/", broken),
    path("database-away/", database_away),
    path("bad/", bad),
    path("forbidden/", forbidden),
    *site_urlpatterns,
]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
