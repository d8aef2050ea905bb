"""A year group with one student is counted nowhere: on every results page, export and bundle.

Ten students answer in one class: nine say Year 8 and one says Year 9. Every batch is released, so the figures
are shown; the breakdown by year group is withheld, and Year 9's count must be too, everywhere a count of it
could be read (page text, chart descriptions, CSV rows, PDF text, bundle JSON, the combined page).
"""

import csv
import io
import json
import re

import pytest
from pypdf import PdfReader

from feedback.bundles import importing as bundle_importing
from feedback.models import FeedbackResponse
from tests.builders import make_class_session
from tests.feedback.builders import (
    answer_in_class,
    bundle_contents,
    bundle_version,
    options_item,
    publish_next_version,
    signed,
)

pytestmark = pytest.mark.django_db

YEARS = ["Year 8"] * 9 + ["Year 9"]
# "Year 9" followed (after spaces, a colon, a dash or a bracket) by a number: a count of the group.
YEAR_9_COUNT = re.compile(r"Year 9[\s:–(\-|]*\d")
YEAR_8_COUNT = re.compile(r"Year 8[\s:–(\-|]*9\b")


def _text(content: bytes) -> str:
    """A page's words, tags taken out (a chart's description and its table included)."""
    return " ".join(re.sub(r"<[^>]+>", " ", content.decode()).split())


@pytest.fixture
def class_session(alice, bundled_package):
    session = make_class_session(teacher=alice, package=bundled_package, label="Period 3")
    checkins = [{"confidence-saying-no": 3, "know-where-help": "Not sure"}] * 10
    feedback = [
        {"confidence-saying-no": 4, "know-where-help": "Yes", "kept-attention": 4, "year-group": year}
        for year in YEARS
    ]
    answer_in_class(session, checkins, feedback)
    assert not FeedbackResponse.objects.filter(released=False).exists()
    return session


def _assert_year_9_uncounted(text: str) -> None:
    assert "Year 9" in text  # the group is named (as "fewer than 5")…
    assert not YEAR_9_COUNT.search(text), YEAR_9_COUNT.search(text).group(0)  # …never counted


def test_the_pages_name_year_8_with_its_count_and_year_9_without(client, alice, lead, class_session):
    """The pattern that must not match Year 9 does match Year 8's count: the check can fail."""
    package = class_session.package
    publish_next_version(package)
    client.force_login(alice)
    pages = [
        f"/feedback/results/sessions/{class_session.pk}/",
        "/feedback/results/",
        f"/feedback/results/packages/{package.pk}/",
    ]
    for url in pages:
        text = _text(client.get(url).content)
        assert YEAR_8_COUNT.search(text), url
        _assert_year_9_uncounted(text)
        assert "Year 9: fewer than 5" in text
    client.force_login(lead)
    for url in [*pages, f"/feedback/results/compare/{package.slug}/?first=1&second=2"]:
        response = client.get(url)
        assert response.status_code == 200
        text = _text(response.content)
        assert YEAR_8_COUNT.search(text), url
        _assert_year_9_uncounted(text)


def test_the_csvs_say_only_that_a_year_group_was_too_small(client, alice, class_session):
    client.force_login(alice)
    for url in [
        f"/feedback/results/sessions/{class_session.pk}/answers.csv",
        "/feedback/results/answers.csv",
        f"/feedback/results/packages/{class_session.package.pk}/answers.csv",
    ]:
        rows = list(csv.DictReader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
        years = [row["Answer"] for row in rows if row["Question key"] == "year-group"]
        assert years.count("Year 8") == 9
        assert "Year 9" not in years
        assert not any("Year 9" in value for row in rows for value in row.values())
        assert years.count("A year group with fewer than 5 answers") == 1


def test_the_report_pdf_never_counts_year_9(client, alice, class_session):
    client.force_login(alice)
    response = client.get(f"/feedback/results/sessions/{class_session.pk}/report.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
    assert YEAR_8_COUNT.search(text)
    _assert_year_9_uncounted(text)


def test_the_bundle_and_the_combined_results_leave_year_9_out(client, alice, lead, class_session):
    client.force_login(alice)
    response = client.post("/feedback/bundles/export/", {"school": "Northfield"})
    contents = json.loads(response.content)["contents"]
    (version,) = contents["package_versions"]
    (year_item,) = [i for i in version["stages"]["feedback"]["items"] if i["question"] == "year-group"]
    assert year_item["options"] == [{"label": "Year 8", "count": 9}]
    assert year_item["answered"] == 9
    assert "Year 9" not in response.content.decode()

    client.force_login(lead)
    upload = io.BytesIO(response.content)
    upload.name = "bundle.json"
    assert client.post("/feedback/bundles/", {"file": upload}).status_code == 302
    package = class_session.package
    page = client.get(f"/feedback/bundles/results/{package.slug}/{package.version}/{package.digest}/")
    text = _text(page.content)
    assert YEAR_8_COUNT.search(text)
    assert not YEAR_9_COUNT.search(text)


def test_a_bundle_from_before_groups_were_withheld_still_shows_no_small_group(client, lead):
    """A school's server that had not been updated could send a year group of one: the combined page withholds it."""
    years = options_item("year-group", "year_group", 10, [9, 1])
    years["options"] = [{"label": "Year 8", "count": 9}, {"label": "Year 9", "count": 1}]
    bundle_importing.bundle_import(
        raw=signed(bundle_contents("Northfield", bundle_version(responses=10, feedback=[years])))
    )
    client.force_login(lead)
    text = _text(client.get("/feedback/bundles/results/hand-made/1/" + "a" * 64 + "/").content)
    assert YEAR_8_COUNT.search(text)
    _assert_year_9_uncounted(text)
