"""URLs of the live lesson's answers: students' under lesson/responses/, the teacher's under their session."""

from django.urls import path

from lessons.live_responses import views

app_name = "live_responses"
urlpatterns = [
    path("lesson/responses/question/", views.question, name="question"),
    path("lesson/responses/<slug:key>/vote/", views.vote, name="vote"),
    path("lesson/responses/<slug:key>/words/", views.words, name="words"),
    path("lesson/responses/<slug:key>/text/", views.text, name="text"),
    path("teach/sessions/<int:pk>/responses/<slug:key>/", views.console, name="console"),
    path("teach/sessions/<int:pk>/responses/<slug:key>/<slug:action>/", views.poll_action, name="poll"),
    path(
        "teach/sessions/<int:pk>/responses/texts/<int:text_id>/<slug:action>/",
        views.text_action,
        name="text_action",
    ),
    path(
        "teach/sessions/<int:pk>/responses/questions/<int:question_id>/<slug:action>/",
        views.question_action,
        name="question_action",
    ),
]
