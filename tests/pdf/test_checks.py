"""System checks: plans.W001 when WeasyPrint cannot load; bad plan settings are errors."""

import sys

from plans.checks import plan_settings, weasyprint_loads


def test_it_warns_when_weasyprint_cannot_load(monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    [warning] = weasyprint_loads(None)
    assert warning.id == "plans.W001"
    assert "cannot download their plan" in warning.msg


def test_it_is_quiet_when_weasyprint_loads():
    assert weasyprint_loads(None) == []


def test_it_refuses_fewer_than_one_render_at_a_time(settings):
    settings.PLAN_PDF_CONCURRENT_RENDERS = 0
    assert [error.id for error in plan_settings(None)] == ["plans.E001"]
