"""Teacher URLs, all behind login."""

from django.urls import path

from lessons import live_views, package_views, teach_views

app_name = "teach"
urlpatterns = [
    path("", teach_views.dashboard, name="dashboard"),
    path("sessions/<int:pk>/", teach_views.session_detail, name="session"),
    path("sessions/<int:pk>/qr.svg", teach_views.session_qr, name="session_qr"),
    path("sessions/<int:pk>/places/", teach_views.session_places, name="session_places"),
    path("sessions/<int:pk>/close/", teach_views.session_close, name="session_close"),
    path("sessions/<int:pk>/reopen/", teach_views.session_reopen, name="session_reopen"),
    path("sessions/<int:pk>/console/", live_views.console, name="console"),
    path("sessions/<int:pk>/projector/", live_views.projector, name="projector"),
    path("sessions/<int:pk>/live/", live_views.screen_state, name="live_state"),
    path("sessions/<int:pk>/live/show/", live_views.show, name="live_show"),
    path("sessions/<int:pk>/live/pace/", live_views.set_pace, name="live_pace"),
    path("sessions/<int:pk>/live/pause/", live_views.pause, name="live_pause"),
    path("packages/", package_views.packages, name="packages"),
    path("packages/import/", package_views.package_import, name="package_import"),
    path("packages/<int:pk>/draft/", package_views.package_start_draft, name="package_start_draft"),
    path("packages/<int:pk>/publish/", package_views.package_publish, name="package_publish"),
    path("packages/<int:pk>/file.yaml", package_views.package_download, name="package_download"),
    path("preview/<int:package_id>/", teach_views.preview, name="preview"),
    path("preview/<int:package_id>/<slug:key>/", teach_views.preview_step, name="preview_step"),
]
