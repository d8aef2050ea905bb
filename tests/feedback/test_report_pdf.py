"""The pilot report PDF for one class: the summary first, at most 4 pages, and every chart label in full."""

import io

import pytest
from pypdf import PdfReader

from feedback.models import FocusGroupNote
from lessons.models import Step
from tests.builders import make_class_session
from tests.feedback.builders import answer_in_class

pytestmark = pytest.mark.django_db

MAX_PAGES = 4


@pytest.fixture
def full_class(alice, bundled_package):
    """Thirty students who answer every question, each step found useful by someone, long comments and notes:
    the longest a one-class report gets."""
    session = make_class_session(teacher=alice, package=bundled_package, label="Period 3")
    # Half the steps without a short title, as in versions before short titles: those are named by number and
    # title ("Step 11: If someone threatens you: what to do"), the longest labels a chart gets.
    main_steps = Step.objects.filter(package=bundled_package, detour=False).order_by("position")
    Step.objects.filter(pk__in=[step.pk for step in main_steps][6:]).update(short_title="")
    keys = list(Step.objects.filter(package=bundled_package, detour=False).values_list("key", flat=True))
    checkins = [
        {"confidence-saying-no": 1 + n % 5, "know-where-help": ["Yes", "No", "Not sure"][n % 3]}
        for n in range(30)
    ]
    feedback = [
        {
            "confidence-saying-no": 1 + (n + 2) % 5,
            "know-where-help": ["Yes", "Yes", "Not sure"][n % 3],
            "kept-attention": 1 + n % 5,
            "tone-right": 1 + (n + 1) % 5,
            "understand-risks": 1 + (n + 3) % 5,
            "would-use-plan": 1 + (n + 4) % 5,
            "would-recommend": 1 + n % 5,
            "useful-steps": keys[n % len(keys) :][:3],
            "year-group": ["Year 8", "Year 9"][n % 2],
            "what-change": f"Comment {n}: the story could say more about what to do when a friend is pressured online.",
        }
        for n in range(30)
    ]
    answer_in_class(session, checkins, feedback)
    FocusGroupNote.objects.create(
        class_session=session, group_size=6, themes="tone, length", notes="Liked the chat. " * 20
    )
    return session


def test_the_report_for_one_class_is_at_most_four_pages_and_no_label_is_cut(client, alice, full_class):
    client.force_login(alice)
    response = client.get(f"/feedback/results/sessions/{full_class.pk}/report.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) <= MAX_PAGES
    text = " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
    steps = Step.objects.filter(package=full_class.package, detour=False).order_by("position")
    labels = [
        "1 – Not at all confident",
        "5 – Very confident",
        "1 – Strongly disagree",
        "5 – Strongly agree",
        # As students named them in feedback: by short title, or by number and title where there is none.
        *(step.short_title or f"Step {n}: {step.title}" for n, step in enumerate(steps, start=1)),
    ]
    assert any(len(label) > 24 for label in labels)  # longer than a chart line: they wrap, never cut
    for label in labels:
        assert label in text, label
    assert "…" not in text
    assert text.index("Summary") < text.index("Check-in 30 responses")
