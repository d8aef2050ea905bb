"""Top-level URL map: student pages, teacher pages, live answers, accounts, the health check and the admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts.views import admin_login
from config import views

urlpatterns = [
    path("", include("lessons.urls")),
    path("teach/", include("lessons.teach_urls")),
    path("", include("lessons.live_responses.urls")),
    path("plan/", include("plans.urls")),
    path("parents/", include("lessons.parents_urls")),
    path("feedback/", include("feedback.urls")),
    path("accounts/", include("accounts.urls")),
    # Ahead of the admin's own log-in, which has no limit on wrong passwords.
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]

if settings.BENCH_VIEWS:
    urlpatterns.append(path("bench/bare", views.bare, name="bench_bare"))

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
