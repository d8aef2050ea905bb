"""System checks for the plans app: a plan must live long enough to be made."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def plan_settings(app_configs, **kwargs):
    if settings.PLAN_MAX_AGE_SECONDS < 60:
        return [Error("PLAN_MAX_AGE_SECONDS must be at least 60 seconds.", id="plans.E002")]
    return []
