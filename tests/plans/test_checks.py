"""System checks for plans: a plan that would expire within a minute is a configuration error."""

from plans.checks import plan_settings


def test_it_refuses_a_plan_age_under_a_minute(settings):
    settings.PLAN_MAX_AGE_SECONDS = 59
    assert [error.id for error in plan_settings(None)] == ["plans.E002"]


def test_it_is_quiet_with_a_minute_or_more(settings):
    settings.PLAN_MAX_AGE_SECONDS = 60
    assert plan_settings(None) == []
