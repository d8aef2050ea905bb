"""In Chromium: the comparison of two versions gives plans made and downloaded as shares of the students who
joined, with the difference's 95% interval, on a phone and a laptop; axe finds nothing."""

import os

import pytest
from playwright.sync_api import expect

from feedback.models import Stage
from lessons.models import ClassSession, PlanCount
from tests.browser import journeys
from tests.browser.axe import assert_no_axe_violations
from tests.builders import make_class_session, make_teacher
from tests.feedback.builders import answer_in_class, publish_next_version
from tests.feedback.data import V1_CHECKINS, V1_FEEDBACK, V2_CHECKINS, V2_FEEDBACK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bundled_package(db):
    from tests.builders import load_bundled_package

    return load_bundled_package(version=1)


def _class(teacher, package, *, joined, made, downloaded, checkins, feedback):
    class_session = make_class_session(teacher=teacher, package=package)
    ClassSession.objects.filter(pk=class_session.pk).update(max_students=joined, students_joined=joined)
    PlanCount.objects.create(package=package, class_session=class_session, made=made, downloaded=downloaded)
    answer_in_class(class_session, checkins, feedback)


def test_the_comparison_shows_plans_made_and_downloaded_with_intervals(
    new_context, bundled_package, outside_requests
):
    make_teacher("lead", staff=True)
    alice = make_teacher("alice")
    version_2 = publish_next_version(bundled_package)
    _class(
        alice, bundled_package, joined=80, made=48, downloaded=20, checkins=V1_CHECKINS, feedback=V1_FEEDBACK
    )
    _class(alice, version_2, joined=70, made=56, downloaded=7, checkins=V2_CHECKINS, feedback=V2_FEEDBACK)
    assert version_2.feedback_responses.filter(stage=Stage.FEEDBACK).exists()
    folder = os.environ.get("SCREENSHOTS")  # a folder to keep the summary's pictures in, to look at

    lead = new_context(viewport={"width": 1280, "height": 800}).new_page()
    journeys.log_in(lead, "lead")
    lead.goto("/feedback/results/compare/personal-plan/?first=1&second=2")
    rows = lead.locator(".compare-summary tbody tr.plan-row")
    expect(rows.nth(0).locator("th, td")).to_have_text(
        [
            "Plans made",
            "48 of 80 students who joined (60%)",
            "56 of 70 students who joined (80%)",
            "+20 points (95% interval +5 to +33)",
            "higher in version 2",
        ]
    )
    expect(rows.nth(1).locator("th")).to_have_text("Plans downloaded")
    expect(lead.get_by_role("main")).to_contain_text("shares of the students who joined")
    if folder:
        lead.locator(".results-summary").screenshot(path=f"{folder}/compare-plans-laptop.png")
    assert_no_axe_violations(lead)
    lead.set_viewport_size({"width": 360, "height": 740})
    if folder:
        lead.locator(".results-summary").screenshot(path=f"{folder}/compare-plans-phone.png")
    assert_no_axe_violations(lead)
    outside_requests.assert_none()
