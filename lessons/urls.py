"""Student URLs: no account, no name."""

from django.urls import path, re_path

from lessons import live_poll, picture_views, views

app_name = "lessons"
urlpatterns = [
    path("", views.home, name="home"),
    path("start/<int:package_id>/", views.start_self_guided, name="start"),
    path("join", views.join, name="join_bare"),
    path("join/", views.join, name="join"),
    path("help/", views.help_page, name="help"),
    # Steps' and start pages' pictures, named by their content (lessons/pictures.py).
    re_path(r"^pictures/(?P<sha256>[0-9a-f]{64})\.webp$", picture_views.picture, name="picture"),
    re_path(
        r"^pictures/(?P<sha256>[0-9a-f]{64})-small\.webp$",
        picture_views.picture,
        {"small": True},
        name="picture_small",
    ),
    # Polled by a student's screen in a class: the class's live state (lessons/live.py).
    path("live/", live_poll.student_state, name="live_state"),
    path("lesson/", views.rules, name="rules"),
    path("lesson/resume/", views.resume, name="resume"),
    path("lesson/end/", views.end, name="end"),
    path("lesson/<slug:key>/", views.step, name="step"),
]
