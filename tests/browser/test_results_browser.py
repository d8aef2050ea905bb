"""In Chromium: the results page starts with its summary, the comparison shows intervals and what changed, the
pilot lead's packages page works, and text edited in the admin keeps its paragraphs. axe checks each page.

Set SCREENSHOT_DIR to keep screenshots of the results summary and the comparison at laptop (1280×800) and phone
(360×740) sizes.
"""

import io
import os
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from lessons.models import Package
from lessons.services import package_publish, package_start_draft
from tests.browser import journeys
from tests.browser.axe import assert_no_axe_violations
from tests.browser.urls import url_of
from tests.builders import make_class_session, make_teacher
from tests.feedback.builders import answer_in_class

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.bundled_version(1)]

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
CONFIDENCE = "confidence-saying-no"
HELP = "know-where-help"
# Twenty students in each class: confidence 2 and 3 before (mean 2.5), 4 and 5 after (mean 4.5); five then
# eighteen of twenty know where to get help. Version 2's class: 3 and 4 before, 4 and 5 after.
CHECKINS = [{CONFIDENCE: 2 + n % 2, HELP: "Yes" if n < 5 else "No"} for n in range(20)]
FEEDBACK = [
    {CONFIDENCE: 4 + n % 2, HELP: "Yes" if n < 18 else "Not sure", "what-change": f"Idea {n}"}
    for n in range(20)
]
V2_CHECKINS = [{CONFIDENCE: 3 + n % 2, HELP: "Yes" if n < 10 else "No"} for n in range(20)]
V2_FEEDBACK = [{CONFIDENCE: 4 + n % 2, HELP: "Yes"} for n in range(20)]


@pytest.fixture
def bundled_package(db):
    """The bundled package as version 1 with the questions versions up to 2 asked (know-where-help at check-in
    too), so the comparison is of versions 1 and 2 and the summary has a choice's change."""
    from tests.builders import EARLIER_QUESTIONS, load_bundled_package

    return load_bundled_package(version=1, questions=EARLIER_QUESTIONS)


def _screenshots(new_context, username: str, path: str, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if not folder:
        return
    for size_name, size in (("laptop", LAPTOP), ("phone", PHONE)):
        page = new_context(viewport=size).new_page()
        journeys.log_in(page, username)
        page.goto(path)
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}-{size_name}.png"), full_page=False)
        page.screenshot(path=str(Path(folder) / f"{name}-{size_name}-whole-page.png"), full_page=True)
        page.context.close()


def test_the_results_page_starts_with_a_summary_that_says_what_changed(new_context, bundled_package):
    alice = make_teacher("alice")
    session = make_class_session(teacher=alice, package=bundled_package, label="Period 3")
    answer_in_class(session, CHECKINS, FEEDBACK)
    page = new_context(viewport=LAPTOP).new_page()
    journeys.log_in(page, "alice")
    page.goto(f"/feedback/results/sessions/{session.pk}/")
    summary = page.locator(".results-summary").first
    expect(summary.get_by_role("heading", level=2)).to_have_text(re.compile("^Summary: Period 3"))
    rows = summary.locator(".summary-row")
    expect(rows).to_have_count(5)
    expect(rows.nth(0)).to_contain_text("20 at check-in, 20 in feedback")
    expect(rows.nth(1)).to_contain_text("+2.0 (95% interval +1.7 to +2.3)")
    expect(rows.nth(1)).to_contain_text("higher after the lesson")
    expect(rows.nth(2)).to_contain_text("“Yes”: 25% at check-in, 90% after the lesson")
    expect(rows.nth(3)).to_contain_text("Plans made none yet")
    expect(rows.nth(4)).to_contain_text("Plans downloaded none yet")
    expect(summary.locator(".summary-comments li")).to_have_count(3)
    # The summary fits the first screen of a laptop: its last row is visible without scrolling.
    assert rows.nth(4).bounding_box()["y"] + rows.nth(4).bounding_box()["height"] <= LAPTOP["height"]
    assert_no_axe_violations(page)
    _screenshots(new_context, "alice", f"/feedback/results/sessions/{session.pk}/", "results-summary")


def test_the_comparison_shows_intervals_and_what_changed_word_by_word(
    new_context, bundled_package, outside_requests
):
    make_teacher("lead", staff=True)
    alice = make_teacher("alice")
    draft = package_start_draft(source=bundled_package)
    step = draft.steps.get(key="meet-jordan")
    step.body = step.body.replace("likes drawing", "loves drawing")
    step.save()
    version_2 = package_publish(package=draft)
    answer_in_class(make_class_session(teacher=alice, package=bundled_package), CHECKINS, FEEDBACK)
    answer_in_class(make_class_session(teacher=alice, package=version_2), V2_CHECKINS, V2_FEEDBACK)

    page = new_context(viewport=LAPTOP).new_page()
    journeys.log_in(page, "lead")
    page.goto("/feedback/results/compare/personal-plan/?first=1&second=2")
    main = page.get_by_role("main")
    summary = main.locator(".compare-summary")
    expect(summary.locator("tbody tr").nth(2)).to_contain_text("mean 4.5 mean 4.5 0.0 (95% interval")
    expect(summary.locator("tbody tr").nth(2)).to_contain_text("too few answers to tell")
    expect(summary.locator("tbody tr").nth(3)).to_contain_text(
        "“Yes”: 90% “Yes”: 100% +10 points (95% interval"
    )

    change = main.locator(".step-change").first
    expect(change.get_by_role("heading")).to_have_text("Step 1: Jordan and Alex")
    expect(change.locator("del")).to_have_text("[removed: likes]")
    expect(change.locator("ins")).to_have_text("[added: loves]")
    # A screen reader hears "removed" and "added" around the words (text shown only to assistive technology).
    expect(change.locator("del .visually-hidden").first).to_have_class("visually-hidden")
    expect(main.locator(".compare-options").first).to_contain_text("Yes")
    assert_no_axe_violations(page)
    outside_requests.assert_none()
    _screenshots(
        new_context, "lead", "/feedback/results/compare/personal-plan/?first=1&second=2", "comparison"
    )


def test_a_pilot_lead_uses_the_packages_page_and_text_edited_in_the_admin_keeps_its_paragraphs(
    new_context, bundled_package, tmp_path
):
    make_teacher("lead", staff=True)
    page = new_context(viewport=LAPTOP).new_page()
    journeys.log_in(page, "lead")
    page.get_by_role("link", name=re.compile("^Packages")).click()
    page.wait_for_url(url_of("/teach/packages/"))
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Start a draft from version 1").click()
    page.wait_for_url(url_of("/teach/packages/"))
    expect(page.get_by_role("status")).to_contain_text("Editing")
    draft = Package.objects.drafts().get()
    step = draft.steps.get(key="meet-jordan")

    # Edit the step's text in the admin, reached from the draft's row; the browser sends \r\n line ends.
    page.get_by_role("link", name=re.compile("^Edit its steps")).click()
    page.locator("#steps-group").get_by_role("link", name="Change", exact=True).first.click()
    page.wait_for_url(re.compile(rf"/admin/lessons/step/{step.pk}/change/"))
    page.get_by_label("Body:").fill("Jordan is in Year 9.\n\nAlex is in the same year.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/lessons/step/"))

    page.goto(f"/teach/preview/{draft.pk}/{step.key}/")
    paragraphs = page.get_by_role("main").locator(
        "p", has_text=re.compile("^(Jordan is in Year 9|Alex is in the same year)")
    )
    expect(paragraphs).to_have_text(["Jordan is in Year 9.", "Alex is in the same year."])

    page.goto("/teach/packages/")
    page.get_by_role("button", name=re.compile("^Publish as the next version")).click()
    page.wait_for_url(url_of("/teach/packages/"))
    expect(page.get_by_role("status")).to_contain_text("Published")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the file of Personal Plan", exact=False).first.click()
    exported = tmp_path / "v2.zip"
    download.value.save_as(exported)
    with zipfile.ZipFile(exported) as package_file:  # the package's pictures travel with it
        raw = package_file.read("package.yaml")
    assert b"\r" not in raw
    data = yaml.safe_load(io.BytesIO(raw))
    (meet,) = [s for s in data["steps"] if s["key"] == "meet-jordan"]
    assert meet["body"] == "Jordan is in Year 9.\n\nAlex is in the same year."
    assert "body: |" in raw.decode()  # readable block text
    expect(page.get_by_role("link", name="Compare with version 1")).to_be_visible()
    assert_no_axe_violations(page)
