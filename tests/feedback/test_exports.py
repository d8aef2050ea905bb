"""CSV and pilot-report PDF exports: read back with csv and pypdf, with the page's suppression."""

import csv
import io
import re

import pytest
from pypdf import PdfReader

from feedback.export import CSV_HEADER, NOT_ENOUGH
from feedback.models import FeedbackAnswer, FocusGroupNote, Stage
from tests.builders import make_class_session
from tests.feedback.builders import store, store_many
from tests.feedback.data import CLASS_CHECKINS as CHECKINS
from tests.feedback.data import CLASS_FEEDBACK as FEEDBACK

pytestmark = pytest.mark.django_db


def _all_rows(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    text = response.content.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    assert next(reader) == CSV_HEADER
    return [dict(zip(CSV_HEADER, row, strict=True)) for row in reader]


def _rows(response) -> list[dict]:
    """The CSV's rows of answers: without the two rows of each group's plan counts (see the tests of those)."""
    return [row for row in _all_rows(response) if row["Stage"] != "Plan"]


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join((page.extract_text() or "") for page in reader.pages).split())


@pytest.fixture
def five_students(class_session):
    store_many(CHECKINS, package=class_session.package, class_session=class_session, stage=Stage.CHECKIN)
    store_many(FEEDBACK, package=class_session.package, class_session=class_session)
    return class_session


def test_the_csv_has_one_row_per_answer_behind_the_results(client, alice, five_students):
    client.force_login(alice)
    rows = _rows(client.get(f"/feedback/results/sessions/{five_students.pk}/answers.csv"))
    attention = [r["Answer"] for r in rows if r["Question key"] == "kept-attention"]
    assert attention == ["2", "3", "4", "4", "5"]
    checkin = [r["Answer"] for r in rows if r["Stage"] == "Check-in"]
    assert checkin == ["2", "2", "3", "3", "4"]
    comments = {r["Answer"] for r in rows if r["Question key"] == "what-change"}
    assert comments == {"More on blocking", "Shorter story"}
    assert {r["Source"] for r in rows} == {f"Year 9, period 3 ({five_students.created_at:%d %b %Y})"}
    assert {r["Version"] for r in rows} == {str(five_students.package.version)}
    assert len(rows) == FeedbackAnswer.objects.count()


def test_the_csv_rows_carry_nothing_that_links_one_students_answers(client, alice, five_students):
    client.force_login(alice)
    rows = _rows(client.get(f"/feedback/results/sessions/{five_students.pk}/answers.csv"))
    ids = {str(v) for row in FeedbackAnswer.objects.values_list("id", "response_id") for v in row}
    hashes = {answer.response.token_hash for answer in FeedbackAnswer.objects.select_related("response")}
    cells = {value for row in rows for value in row.values()}
    assert not cells & (ids | hashes)
    assert not any(word in " ".join(CSV_HEADER).lower() for word in ["id", "response", "date", "token"])


def test_the_csv_is_suppressed_like_the_page(client, alice, class_session):
    store_many(FEEDBACK[:4], package=class_session.package, class_session=class_session)
    client.force_login(alice)
    rows = _rows(client.get(f"/feedback/results/sessions/{class_session.pk}/answers.csv"))
    assert [(r["Stage"], r["Answer"]) for r in rows] == [("Check-in", NOT_ENOUGH), ("Feedback", NOT_ENOUGH)]


def test_the_combined_csv_leaves_out_small_sessions(client, alice, bundled_package, five_students):
    small = make_class_session(teacher=alice, package=bundled_package, label="Small class")
    store_many([{"what-change": "SMALL"}] * 4, package=bundled_package, class_session=small)
    client.force_login(alice)
    for url in [
        "/feedback/results/answers.csv",
        f"/feedback/results/packages/{bundled_package.pk}/answers.csv",
    ]:
        rows = _rows(client.get(url))
        assert "SMALL" not in {r["Answer"] for r in rows}, url
        assert not any(r["Source"].startswith("Small class") for r in rows)
        assert len([r for r in rows if r["Question key"] == "kept-attention"]) == 5


def test_the_csv_leaves_out_hidden_comments_and_defuses_formulas(client, alice, class_session):
    store(package=class_session.package, class_session=class_session, **{"what-change": '=HYPERLINK("x")'})
    store_many(FEEDBACK[:4], package=class_session.package, class_session=class_session)
    FeedbackAnswer.objects.filter(text="Shorter story").update(hidden=True)
    client.force_login(alice)
    rows = _rows(client.get(f"/feedback/results/sessions/{class_session.pk}/answers.csv"))
    comments = {r["Answer"] for r in rows if r["Question key"] == "what-change"}
    assert comments == {"More on blocking", '\'=HYPERLINK("x")'}


def test_the_report_pdf_has_the_counts_figures_comments_and_notes(client, alice, five_students):
    FocusGroupNote.objects.create(
        class_session=five_students, group_size=6, themes="tone, humour", notes="They liked the potato reply."
    )
    client.force_login(alice)
    response = client.get(f"/feedback/results/sessions/{five_students.pk}/report.pdf")
    assert (
        response["Content-Disposition"] == f'attachment; filename="feedback-session-{five_students.pk}.pdf"'
    )
    text = _pdf_text(response)
    assert "Feedback: Year 9, period 3" in text
    assert "5 responses" in text
    assert "mean 3.6, median 4.0" in text
    assert re.search(r"2\.8 \(5\) 4\.2 \(5\) \+1\.4", text)
    assert "More on blocking" in text
    assert "Shorter story" in text
    assert "They liked the potato reply." in text
    assert "6 students took part" in text
    assert "Hide this comment" not in text


def test_the_report_pdf_is_suppressed_below_five(client, alice, class_session):
    store_many(FEEDBACK[:4], package=class_session.package, class_session=class_session)
    client.force_login(alice)
    text = _pdf_text(client.get(f"/feedback/results/sessions/{class_session.pk}/report.pdf"))
    assert "Not enough responses yet to keep answers anonymous" in text
    assert "More on blocking" not in text
    assert "mean" not in text


def test_the_combined_and_package_reports_render(client, lead, bundled_package, five_students):
    store_many([{"kept-attention": 1}] * 5, package=bundled_package)
    client.force_login(lead)
    text = _pdf_text(client.get("/feedback/results/report.pdf"))
    assert "Feedback from every class session" in text
    assert "5 responses" in text
    text = _pdf_text(client.get(f"/feedback/results/packages/{bundled_package.pk}/report.pdf"))
    assert "Self-guided (counted apart from classes)" in text
    assert "mean 1.0" in text


def test_a_busy_pdf_renderer_gives_a_try_again_page(client, alice, five_students, monkeypatch):
    from pdf.engine import PdfBusy

    def busy(*args, **kwargs):
        raise PdfBusy("busy")

    monkeypatch.setattr("feedback.export.render_pdf", busy)
    client.force_login(alice)
    response = client.get(f"/feedback/results/sessions/{five_students.pk}/report.pdf")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "try again in a minute" in response.content.decode()
