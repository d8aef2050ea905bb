"""Top-level URL map: student pages, teacher pages, accounts and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("lessons.urls")),
    path("teach/", include("lessons.teach_urls")),
    path("plan/", include("plans.urls")),
    path("feedback/", include("feedback.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
