"""The lessons app: packages, steps, class sessions and the walk-through."""

from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "Lessons"

    def ready(self):
        from lessons.live_responses import models  # noqa: F401 (the live lesson's answers are lessons models)
        from lessons.parents import HANDOUT_STYLESHEET
        from pdf import stylesheets

        stylesheets.register(HANDOUT_STYLESHEET)
