"""A burst of downloads queues: no more renders run at once in a process than PDF_CONCURRENT_RENDERS."""

import threading
import time
from types import SimpleNamespace

import pytest

from pdf import engine as pdf
from tests.concurrency import all_at_once


class CountingEngine:
    """Stands in for WeasyPrint and records how many renders overlap."""

    def __init__(self):
        self.running = 0
        self.most = 0
        self.lock = threading.Lock()
        self.fetcher = object()
        self.base_url = "file:///bundle/"
        engine = self

        class HTML:
            def __init__(self, **kwargs):
                pass

            def render(self, **kwargs):
                with engine.lock:
                    engine.running += 1
                    engine.most = max(engine.most, engine.running)
                time.sleep(0.05)
                with engine.lock:
                    engine.running -= 1
                return SimpleNamespace(metadata=SimpleNamespace(), write_pdf=lambda **kwargs: b"%PDF-fake")

        self.HTML = HTML
        self.CSS = lambda **kwargs: object()
        self.FontConfiguration = object


@pytest.fixture
def engine(monkeypatch, settings):
    counting = CountingEngine()
    monkeypatch.setattr(pdf, "_engine", lambda: counting)
    slots = pdf.threading.BoundedSemaphore(2)
    monkeypatch.setattr(pdf, "_render_slots", lambda: slots)
    monkeypatch.setattr(pdf, "_idle", pdf.queue.SimpleQueue())
    return counting


def _burst(downloads: int = 8) -> None:
    """Many renders asked for at once, as when a class presses "Download" together; returns when all are done."""
    all_at_once(downloads, lambda n: pdf.render_pdf("<p>x</p>", title="x"))


def test_it_runs_no_more_renders_at_once_than_its_slots(engine):
    _burst()
    assert engine.most == 2


def test_it_prepares_one_font_configuration_per_slot_and_reuses_them(engine):
    _burst()
    prepared = []
    while not pdf._idle.empty():
        prepared.append(pdf._idle.get_nowait())
    assert len(prepared) == 2


def test_it_gives_up_when_every_slot_stays_busy(engine, settings):
    settings.PDF_QUEUE_SECONDS = 0
    slots = pdf._render_slots()
    slots.acquire()
    slots.acquire()
    try:
        with pytest.raises(pdf.PdfBusy):
            pdf.render_pdf("<p>x</p>", title="x")
    finally:
        slots.release()
        slots.release()
