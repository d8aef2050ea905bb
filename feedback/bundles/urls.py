"""Results bundle URLs, included under feedback/bundles/ in the feedback namespace."""

from django.urls import path

from feedback.bundles import views

urlpatterns = [
    path("", views.bundle_list, name="bundles"),
    path("export/", views.bundle_export, name="bundle_export"),
    path("<int:pk>/delete/", views.bundle_delete, name="bundle_delete"),
    path("keys/<int:pk>/accept/", views.school_key_accept, name="school_key_accept"),
    path("keys/<int:pk>/dismiss/", views.school_key_dismiss, name="school_key_dismiss"),
    path(
        "results/<slug:slug>/<int:version>/<slug:digest>/",
        views.bundle_results,
        name="bundle_results",
    ),
]
