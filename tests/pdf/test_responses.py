"""pdf_response: the PDF as a file, or a 503 page (with Retry-After when busy) for every view that makes one."""

import pytest
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from lessons import parents
from pdf import engine
from pdf.engine import PdfBusy, PdfUnavailable
from pdf.responses import pdf_response
from tests.builders import make_class_session
from tests.plans.builders import build_plan


def _request():
    request = RequestFactory().get("/report.pdf")
    request.session = SessionStore()
    return request


def _raise(error):
    def render():
        raise error

    return render


def test_it_sends_the_pdf_as_a_download_by_default():
    response = pdf_response(
        _request(), lambda: b"%PDF-made", filename="my-plan.pdf", problem_template="plans/pdf_problem.html"
    )
    assert response.status_code == 200
    assert response.content == b"%PDF-made"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="my-plan.pdf"'


def test_it_shows_the_pdf_in_the_browser_when_inline():
    response = pdf_response(
        _request(),
        lambda: b"%PDF-made",
        filename="handout.pdf",
        problem_template="lessons/parents/handout_unavailable.html",
        inline=True,
    )
    assert response["Content-Disposition"] == 'inline; filename="handout.pdf"'


def test_it_asks_to_try_again_later_when_busy():
    response = pdf_response(
        _request(), _raise(PdfBusy("busy")), filename="x.pdf", problem_template="plans/pdf_problem.html"
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Lots of people are downloading right now" in response.content.decode()


def test_it_says_pdfs_are_not_available_without_a_retry_time():
    response = pdf_response(
        _request(),
        _raise(PdfUnavailable("no Pango")),
        filename="x.pdf",
        problem_template="plans/pdf_problem.html",
    )
    assert response.status_code == 503
    assert not response.has_header("Retry-After")
    assert "The download isn't working on this site" in response.content.decode()


def test_it_lets_any_other_error_through():
    with pytest.raises(ZeroDivisionError):
        pdf_response(
            _request(),
            _raise(ZeroDivisionError()),
            filename="x.pdf",
            problem_template="plans/pdf_problem.html",
        )


@pytest.fixture
def every_slot_held(settings):
    """The real render slots, all taken (as by a class downloading at once), and no time to wait for one."""
    settings.PDF_QUEUE_SECONDS = 0
    slots = engine._render_slots()
    taken = 0
    while slots.acquire(blocking=False):
        taken += 1
    parents._handouts.clear()  # so the handout must be rendered, not served from memory
    yield
    for _ in range(taken):
        slots.release()
    parents._handouts.clear()


def _plan_download(client, bundled_package, alice):
    build_plan(client, bundled_package)
    return "/plan/download/", "Lots of people are downloading right now"


def _results_report(client, bundled_package, alice):
    class_session = make_class_session(teacher=alice, package=bundled_package)
    client.force_login(alice)
    return f"/feedback/results/sessions/{class_session.pk}/report.pdf", "try again in a minute"


def _parents_handout(client, bundled_package, alice):
    return "/parents/handout.pdf", "The handout is not available right now"


@pytest.mark.django_db
@pytest.mark.parametrize("pdf_view", [_plan_download, _results_report, _parents_handout])
def test_every_pdf_view_answers_503_with_retry_after_when_every_slot_is_busy(
    client, bundled_package, alice, every_slot_held, pdf_view
):
    url, busy_text = pdf_view(client, bundled_package, alice)

    response = client.get(url)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert busy_text in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("pdf_view", [_plan_download, _results_report, _parents_handout])
def test_every_pdf_view_makes_its_pdf_once_a_slot_is_free(client, bundled_package, alice, pdf_view):
    parents._handouts.clear()
    url, _ = pdf_view(client, bundled_package, alice)

    response = client.get(url)

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert not response.has_header("Retry-After")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("pdf_view", "unavailable_text"),
    [
        (_plan_download, "The download isn't working on this site"),
        (_results_report, "This server cannot make PDFs at the moment"),
        (_parents_handout, "The handout is not available right now"),
    ],
)
def test_every_pdf_view_answers_503_without_retry_after_when_weasyprint_cannot_load(
    client, bundled_package, alice, monkeypatch, pdf_view, unavailable_text
):
    def unavailable():
        raise PdfUnavailable("no Pango")

    parents._handouts.clear()
    url, _ = pdf_view(client, bundled_package, alice)
    monkeypatch.setattr(engine, "_engine", unavailable)  # as on a server without WeasyPrint's libraries

    response = client.get(url)

    assert response.status_code == 503
    assert not response.has_header("Retry-After")
    assert unavailable_text in response.content.decode()
