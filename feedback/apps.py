"""The feedback app: anonymous pilot feedback, results and reports."""

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Pilot feedback"
