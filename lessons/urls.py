"""Student URLs: no account, no name."""

from django.urls import path

from lessons import views

app_name = "lessons"
urlpatterns = [
    path("", views.home, name="home"),
    path("start/<int:package_id>/", views.start_self_guided, name="start"),
    path("join", views.join, name="join_bare"),
    path("join/", views.join, name="join"),
    path("help/", views.help_page, name="help"),
    path("lesson/", views.rules, name="rules"),
    path("lesson/resume/", views.resume, name="resume"),
    path("lesson/end/", views.end, name="end"),
    path("lesson/<slug:key>/", views.step, name="step"),
]
