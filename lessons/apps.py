"""The lessons app: packages, steps, class sessions and the walk-through."""

from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "Lessons"
