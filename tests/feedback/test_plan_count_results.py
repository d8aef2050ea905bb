"""Plans made and downloaded on the results: in the summary of the page and the report PDF and in the CSV,
a count below the minimum shown as "fewer than 5", and a combined figure taking only sessions big enough."""

import csv
import io
import re

import pytest
from django.test import Client
from pypdf import PdfReader

from lessons.models import PlanCount
from tests.builders import join_class, make_class_session
from tests.plans.builders import build_plan

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", content.decode()).split())


def _plan_rows(response) -> dict[str, str]:
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    return {row["Question"]: row["Answer"] for row in reader if row["Stage"] == "Plan"}


def test_students_plans_are_counted_on_their_class_results(client, alice, class_session):
    for n in range(6):
        student = Client()
        join_class(student, class_session)
        build_plan(student, class_session.package)
        if n < 2:
            assert student.get("/plan/download/").status_code == 200
    client.force_login(alice)
    text = _text(client.get(f"/feedback/results/sessions/{class_session.pk}/").content)
    assert "Plans made 6" in text
    assert "Plans downloaded fewer than 5" in text
    assert "Plans downloaded 2" not in text
    rows = _plan_rows(client.get(f"/feedback/results/sessions/{class_session.pk}/answers.csv"))
    assert rows == {"Plans made": "6", "Plans downloaded": "fewer than 5"}
    pdf = client.get(f"/feedback/results/sessions/{class_session.pk}/report.pdf")
    first_page = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    assert "Plans made 6" in first_page and "Plans downloaded fewer than 5" in first_page


def test_a_big_enough_count_shows_its_share_of_the_plans_made(client, alice, class_session):
    PlanCount.objects.create(
        package=class_session.package, class_session=class_session, made=20, downloaded=15
    )
    client.force_login(alice)
    text = _text(client.get(f"/feedback/results/sessions/{class_session.pk}/").content)
    assert "Plans made 20" in text and "Plans downloaded 15 (75% of the plans made)" in text


def test_a_small_class_is_left_out_of_the_combined_counts(client, alice, class_session, bundled_package):
    small = make_class_session(teacher=alice, package=bundled_package, label="Small class")
    PlanCount.objects.create(package=bundled_package, class_session=class_session, made=12, downloaded=6)
    PlanCount.objects.create(package=bundled_package, class_session=small, made=3, downloaded=1)
    client.force_login(alice)
    for url in ["/feedback/results/", f"/feedback/results/packages/{bundled_package.pk}/"]:
        text = _text(client.get(url).content)
        assert "Plans made 12 (class sessions with fewer than 5 are left out)" in text, url
        assert "15" not in re.findall(r"Plans made (\d+)", text), (
            url
        )  # 12 + 3 would give the small class away
    small_text = _text(client.get(f"/feedback/results/sessions/{small.pk}/").content)
    assert "Plans made fewer than 5" in small_text and "Plans made 3" not in small_text
    rows = _plan_rows(client.get("/feedback/results/answers.csv"))
    assert rows["Plans made"].startswith("12")


def test_self_guided_plans_are_counted_apart_for_a_pilot_lead(client, lead, bundled_package):
    for _ in range(5):
        build_plan(Client(), bundled_package)  # straight to the plan, no class
    client.force_login(lead)
    text = _text(client.get(f"/feedback/results/packages/{bundled_package.pk}/").content)
    self_guided = text[text.index("Summary: Self-guided") :]
    assert "Plans made 5" in self_guided
    class_part = text[text.index("Summary: Class sessions") : text.index("Summary: Self-guided")]
    assert "Plans made none yet" in class_part
