"""Feedback URLs: students' check-in and feedback (no account) and teachers' results (login)."""

from django.urls import include, path

from feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.start, name="start"),
    path("thanks/", views.thanks, name="thanks"),
    path("check-in/", views.checkin, name="checkin"),
    path("check-in/thanks/", views.checkin_thanks, name="checkin_thanks"),
    path("results/", views.results_page, {"scope": "all"}, name="results"),
    path("results/answers.csv", views.results_csv, {"scope": "all"}, name="results_csv"),
    path("results/report.pdf", views.results_pdf, {"scope": "all"}, name="results_pdf"),
    path("results/sessions/<int:pk>/", views.results_page, {"scope": "session"}, name="session_results"),
    path(
        "results/sessions/<int:pk>/answers.csv",
        views.results_csv,
        {"scope": "session"},
        name="session_results_csv",
    ),
    path(
        "results/sessions/<int:pk>/report.pdf",
        views.results_pdf,
        {"scope": "session"},
        name="session_results_pdf",
    ),
    path("results/sessions/<int:pk>/notes/new/", views.note_add, name="note_add"),
    path("results/packages/<int:pk>/", views.results_page, {"scope": "package"}, name="package_results"),
    path(
        "results/packages/<int:pk>/answers.csv",
        views.results_csv,
        {"scope": "package"},
        name="package_results_csv",
    ),
    path(
        "results/packages/<int:pk>/report.pdf",
        views.results_pdf,
        {"scope": "package"},
        name="package_results_pdf",
    ),
    path("results/compare/<slug:slug>/", views.compare_versions, name="compare_versions"),
    path("bundles/", include("feedback.bundles.urls")),
    path("comments/<uuid:pk>/hide/", views.comment_hide, name="comment_hide"),
    path("notes/<int:pk>/delete/", views.note_delete, name="note_delete"),
]
