"""System checks: pdf.W001 when WeasyPrint cannot load; fewer than one render at a time is an error."""

import sys

from pdf.checks import pdf_settings, weasyprint_loads


def test_it_warns_when_weasyprint_cannot_load(monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    [warning] = weasyprint_loads(None)
    assert warning.id == "pdf.W001"
    assert "cannot download their plan" in warning.msg


def test_it_is_quiet_when_weasyprint_loads():
    assert weasyprint_loads(None) == []


def test_it_refuses_fewer_than_one_render_at_a_time(settings):
    settings.PDF_CONCURRENT_RENDERS = 0
    assert [error.id for error in pdf_settings(None)] == ["pdf.E001"]


def test_it_is_quiet_with_one_render_at_a_time(settings):
    settings.PDF_CONCURRENT_RENDERS = 1
    assert pdf_settings(None) == []
