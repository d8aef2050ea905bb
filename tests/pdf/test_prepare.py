"""Fonts and every PDF's stylesheets are prepared when a gunicorn worker starts, not on the first download."""

import queue
import runpy
from pathlib import Path

import pytest
from django.conf import settings

from pdf import engine, stylesheets
from pdf.engine import BASE_STYLESHEET, PdfUnavailable

GUNICORN_CONF = Path(settings.BASE_DIR) / "gunicorn.conf.py"


class Log:
    """What gunicorn's worker.log would be told."""

    def __init__(self):
        self.warnings: list[str] = []

    def warning(self, message, *args):
        self.warnings.append(message % args if args else message)


class Worker:
    def __init__(self):
        self.log = Log()


@pytest.fixture
def idle(monkeypatch):
    """The renderer's pool of prepared font configurations, empty to start with."""
    pool = queue.SimpleQueue()
    monkeypatch.setattr(engine, "_idle", pool)
    return pool


def _prepared_stylesheets(pool) -> set[Path]:
    prepared = pool.get_nowait()
    assert pool.empty()
    return set(prepared.stylesheets)


def test_it_prepares_the_base_and_every_registered_stylesheet(idle):
    engine.prepare()

    assert _prepared_stylesheets(idle) == {BASE_STYLESHEET, *stylesheets.registered()}


def test_the_worker_start_prepares_the_plan_the_report_and_the_handout(idle):
    worker = Worker()

    runpy.run_path(str(GUNICORN_CONF))["post_worker_init"](worker)

    assert _prepared_stylesheets(idle) == {
        BASE_STYLESHEET,
        stylesheets.stylesheet("plans/pdf-plan.css"),
        stylesheets.stylesheet("feedback/report.css"),
        stylesheets.stylesheet("lessons/parents/handout.css"),
    }
    assert worker.log.warnings == []


def test_the_worker_still_starts_when_weasyprint_cannot_load(idle, monkeypatch):
    def unavailable():
        raise PdfUnavailable("no Pango")

    monkeypatch.setattr(engine, "_engine", unavailable)
    worker = Worker()

    runpy.run_path(str(GUNICORN_CONF))["post_worker_init"](worker)

    assert worker.log.warnings == ["WeasyPrint cannot load: PDFs are unavailable (see manage.py check)."]
    assert idle.empty()
