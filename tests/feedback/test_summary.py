"""The summary that starts each results page and report: responses, change since check-in with its interval,
a few comments; and rows added by kind or by section appear without touching the templates."""

import io
import re

import pytest
from pypdf import PdfReader

from feedback import stats, summary
from feedback.results import session_report
from tests.builders import make_class_session
from tests.feedback.builders import answer_in_class

pytestmark = pytest.mark.django_db

CONFIDENCE = "confidence-saying-no"
HELP = "know-where-help"


def _text(content: bytes) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", content.decode()).split())


@pytest.fixture
def twenty_students(alice, bundled_package):
    """Check-in: confidence 2 ×10 and 3 ×10 (mean 2.5), 5 of 20 know where to get help. Feedback: 4 ×10 and
    5 ×10 (mean 4.5), 18 of 20 know; two comments."""
    session = make_class_session(teacher=alice, package=bundled_package, label="Period 3")
    checkins = [{CONFIDENCE: 2 + n % 2, HELP: "Yes" if n < 5 else "No"} for n in range(20)]
    feedback = [{CONFIDENCE: 4 + n % 2, HELP: "Yes" if n < 18 else "Not sure"} for n in range(20)]
    feedback[0]["what-change"] = "More about apps"
    feedback[1]["what-change"] = "Shorter story"
    answer_in_class(session, checkins, feedback)
    return session


def test_it_summarises_responses_and_the_change_since_check_in(twenty_students):
    rows = summary.summarise(session_report(twenty_students).groups[0]).rows
    assert [row.label for row in rows] == [
        "Responses",
        "If someone asked you for a nude, how confident would you feel saying no?",
        "Do you know where to get help?",
        "Plans made",
        "Plans downloaded",
    ]
    assert rows[0].value == "20 at check-in, 20 in feedback"
    assert rows[1].value == "mean 2.5 at check-in, 4.5 after the lesson (1 to 5)"
    assert rows[1].difference == stats.mean_difference_interval([0, 10, 10, 0, 0], [0, 0, 0, 10, 10])
    assert rows[1].difference.verdict == "higher"
    assert rows[2].value == "“Yes”: 25% at check-in, 90% after the lesson"
    assert rows[2].difference == stats.proportion_difference_interval(5, 20, 18, 20)
    assert rows[2].unit == "points"


def test_the_page_and_the_report_start_with_the_summary(client, alice, twenty_students):
    client.force_login(alice)
    text = _text(client.get(f"/feedback/results/sessions/{twenty_students.pk}/").content)
    # Means 2.5 → 4.5, each with variance 20 × 0.25 / 19 = 0.26316: SE √(2 × 0.26316 / 20) = 0.16222,
    # df 38, t 2.0244: +2.0 ± 0.33.
    row = (
        "mean 2.5 at check-in, 4.5 after the lesson (1 to 5) Change: +2.0 (95% interval +1.7 to +2.3) "
        "higher after the lesson"
    )
    assert row in text
    assert "“Yes”: 25% at check-in, 90% after the lesson Change: +65 points (95% interval" in text
    assert text.index("Summary: ") < text.index(row) < text.index("Check-in 20 responses")
    assert "A few comments:" in text and "Shorter story" in text

    response = client.get(f"/feedback/results/sessions/{twenty_students.pk}/report.pdf")
    first_page = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "+2.0 (95% interval +1.7 to +2.3)" in " ".join(first_page.split())


def test_too_few_answers_say_so(client, alice, bundled_package):
    session = make_class_session(teacher=alice, package=bundled_package, label="Period 4")
    answer_in_class(session, [{CONFIDENCE: 2}] * 5, [{CONFIDENCE: 5}] * 5)
    client.force_login(alice)
    text = _text(client.get(f"/feedback/results/sessions/{session.pk}/").content)
    assert (
        "mean 2.0 at check-in, 5.0 after the lesson (1 to 5) Change: +3.0 (95% interval +3.0 to +3.0) too few answers to tell"
        in text
    )


def test_a_new_measure_is_a_row_added_by_kind_or_by_section(client, alice, twenty_students, monkeypatch):
    """How the knowledge questions and plan counters will arrive: a function, and the page shows its row."""
    monkeypatch.setattr(
        summary, "SECTIONS", [*summary.SECTIONS, lambda figures: [summary.SummaryRow("Plans made", "17")]]
    )
    client.force_login(alice)
    assert "Plans made 17" in _text(client.get(f"/feedback/results/sessions/{twenty_students.pk}/").content)
