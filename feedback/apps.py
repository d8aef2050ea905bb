"""The feedback app: anonymous pilot feedback, results and reports."""

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Pilot feedback"

    def ready(self) -> None:
        from feedback.export import REPORT_STYLESHEET
        from pdf import stylesheets

        checks.register(check_minimum_group, checks.Tags.security)
        stylesheets.register(REPORT_STYLESHEET)


def check_minimum_group(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    minimum = settings.FEEDBACK_MIN_GROUP
    if minimum < 1:
        return [
            checks.Error(
                f"FEEDBACK_MIN_GROUP is {minimum}; it must be at least 1.",
                hint="Leave it unset to use 5.",
                id="feedback.E001",
            )
        ]
    if minimum < 5:
        return [
            checks.Warning(
                f"FEEDBACK_MIN_GROUP is {minimum}: results for groups this small can single students out.",
                hint="Use 5 or more outside tests.",
                id="feedback.W001",
            )
        ]
    return []
