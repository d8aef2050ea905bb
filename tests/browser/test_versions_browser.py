"""In Chromium: a pilot lead edits a step in a new draft, previews and publishes it as version 2, a class runs
on version 2, and the comparison page shows both versions; then schools' results bundles are exported,
imported and combined. axe-core checks every new page (not Django's own admin pages)."""

import re

import pytest
from playwright.sync_api import Page, expect

from feedback.models import Stage
from lessons.models import Package
from tests.browser import journeys
from tests.browser.axe import assert_no_axe_violations
from tests.browser.urls import url_of
from tests.builders import make_class_session, make_teacher
from tests.feedback.builders import answer_in_class

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.bundled_version(1)]

NEW_TITLE = "Alex sends a message (revised)"
# Version 1's class, stored directly: confidence 1, 2, 2, 2, 3 before and 3, 3, 3, 4, 4 after (change +1.4);
# "I would use my plan" 3 for everyone. Version 2's class answers (one in the browser): confidence 2, 2, 3, 3, 4
# before and 3, 4, 4, 5, 5 after (+1.4); would use the plan 5, 4, 4, 3, 2 (mean 3.6).
V1_CHECKINS = [{"confidence-saying-no": value} for value in [1, 2, 2, 2, 3]]
V1_FEEDBACK = [{"confidence-saying-no": value, "would-use-plan": 3} for value in [3, 3, 3, 4, 4]]
STUDENTS = 5
BEFORE = [2, 2, 3, 3, 4]


@pytest.fixture
def bundled_package(db):
    """The bundled package numbered as the first version of its slug, so the lead publishes version 2."""
    from tests.builders import load_bundled_package

    return load_bundled_package(version=1)


def _admin_action(page: Page, package: Package, action: str) -> None:
    page.goto("/admin/lessons/package/")
    page.locator(f'input[name="_selected_action"][value="{package.pk}"]').check()
    page.locator('select[name="action"]').select_option(label=action)
    page.get_by_role("button", name="Go").click()
    page.wait_for_url(url_of("/admin/lessons/package/"))


@pytest.mark.long
def test_a_pilot_lead_edits_previews_and_publishes_version_2_and_compares_it_with_version_1(
    new_context, bundled_package, outside_requests
):
    make_teacher("lead", staff=True)
    alice = make_teacher("alice")
    answer_in_class(make_class_session(teacher=alice, package=bundled_package), V1_CHECKINS, V1_FEEDBACK)

    lead = new_context().new_page()
    journeys.log_in(lead, "lead")

    # A new draft from version 1, from the admin's package list.
    _admin_action(lead, bundled_package, "Start a new draft from the selected version")
    expect(lead.locator(".messagelist")).to_contain_text("Editing")
    draft = Package.objects.drafts().get(slug=bundled_package.slug)
    assert draft.version == 2
    first_step = draft.steps.order_by("position").first()

    # Edit the first step's title: from the package's page, through the step inline's Change link.
    lead.goto(f"/admin/lessons/package/{draft.pk}/change/")
    lead.locator("#steps-group").get_by_role("link", name="Change", exact=True).first.click()
    lead.wait_for_url(re.compile(rf"/admin/lessons/step/{first_step.pk}/change/"))
    lead.get_by_label("Title:", exact=True).fill(NEW_TITLE)
    lead.get_by_role("button", name="Save", exact=True).click()
    lead.wait_for_url(re.compile(r"/admin/lessons/step/"))
    expect(lead.locator(".messagelist")).to_contain_text("was changed successfully")

    # The preview shows the draft as a student would see it.
    lead.goto(f"/teach/preview/{draft.pk}/")
    expect(lead.get_by_role("status")).to_contain_text("Preview of")
    assert_no_axe_violations(lead)
    lead.goto(f"/teach/preview/{draft.pk}/{first_step.key}/")
    expect(lead.get_by_role("heading", level=1)).to_have_text(NEW_TITLE)
    assert_no_axe_violations(lead)
    # Version 1 is unchanged.
    assert bundled_package.steps.get(key=first_step.key).title != NEW_TITLE

    _admin_action(lead, draft, "Publish the selected drafts as new versions")
    expect(lead.locator(".messagelist")).to_contain_text("Published")
    version_2 = Package.objects.published().get(slug=bundled_package.slug, version=2)

    # A teacher starts a class on the newest version; five students check in and give feedback.
    make_teacher("bob")
    teacher = new_context().new_page()
    journeys.log_in(teacher, "bob")
    offered = teacher.get_by_label("Lesson package")
    expect(offered.locator("option")).to_have_count(1)
    expect(offered.locator("option")).to_have_attribute("value", str(version_2.pk))
    teacher.get_by_label("Class (optional)").fill("Year 8, period 1")
    teacher.get_by_label("Students go at their own pace").check()  # they walk the story on their own here
    teacher.get_by_role("button", name="Start a class session").click()
    teacher.wait_for_url(re.compile(r"/teach/sessions/\d+/$"))
    code = teacher.locator(".join-code").inner_text().strip()
    # The first answers in Chromium and sees the new title; the other four answer the same forms on devices
    # of their own through the test client (the comparison page is what this test looks at).
    student = new_context().new_page()
    journeys.join(student, code)
    student.goto(f"/lesson/{first_step.key}/")
    expect(student.get_by_role("heading", level=1)).to_have_text(NEW_TITLE)
    student.goto("/lesson/")
    journeys.check_in(student, journeys.BEFORE[0])
    journeys.give_feedback(student, 0)
    student.context.close()
    for number in range(1, STUDENTS):
        journeys.answer_without_a_browser(code, number)
    assert version_2.feedback_responses.filter(stage=Stage.FEEDBACK).count() == STUDENTS

    # The comparison page, reached from the results index, shows both versions.
    lead.goto("/feedback/results/")
    lead.get_by_role("link", name=re.compile("^Compare versions of")).click()
    lead.wait_for_url(re.compile(r"/feedback/results/compare/personal-plan/$"))
    main = lead.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(re.compile("^Compare versions of"))
    summary = main.locator(".compare-summary")
    expect(summary.locator("thead th").nth(1)).to_have_text("Version 1")
    expect(summary.locator("thead th").nth(2)).to_have_text("Version 2")
    expect(summary.locator("tbody tr").nth(0).locator("th, td")).to_have_text(
        ["Check-in responses", "5", "5", "–", "–"]
    )
    expect(summary.locator("tbody tr").nth(1).locator("th, td")).to_have_text(
        ["Feedback responses", "5", "5", "–", "–"]
    )
    changes = main.locator(".compare-changes tbody tr")
    expect(changes.nth(0)).to_contain_text("2.0 (5) 3.4 (5) +1.4 (95% interval")
    expect(changes.nth(1)).to_contain_text("2.8 (5) 4.2 (5) +1.4 (95% interval")
    expect(changes.nth(1)).to_contain_text("too few answers to tell")
    expect(main).to_contain_text("Change in mean from version 1 to version 2: +0.6")
    expect(main.locator(".side-summary")).not_to_have_count(0)
    expect(main.locator("svg.bar-chart").first).to_be_visible()
    assert_no_axe_violations(lead)

    # Choosing the versions the other way round with the form (a plain GET form).
    lead.get_by_label("First version").select_option("2")
    lead.get_by_label("Second version").select_option("1")
    lead.get_by_role("button", name="Compare").click()
    lead.wait_for_url(re.compile(r"\?first=2&second=1"))
    expect(lead.locator(".compare-summary thead th").nth(1)).to_have_text("Version 2")
    assert_no_axe_violations(lead)
    outside_requests.assert_none()


def test_schools_export_bundles_and_a_pilot_lead_imports_them_and_reads_the_combined_results(
    new_context, bundled_package, outside_requests, tmp_path
):
    make_teacher("lead", staff=True)
    alice = make_teacher("alice")
    answer_in_class(make_class_session(teacher=alice, package=bundled_package), V1_CHECKINS, V1_FEEDBACK)

    teacher = new_context().new_page()
    journeys.log_in(teacher, "alice")
    teacher.goto("/feedback/results/")
    teacher.get_by_role("link", name="Export an anonymous results bundle").click()
    teacher.wait_for_url(url_of("/feedback/bundles/export/"))
    expect(teacher.locator(".bundle-preview tbody tr")).to_have_count(1)
    assert_no_axe_violations(teacher)
    teacher.get_by_label("School name (optional)").fill("Ashby School")
    with teacher.expect_download() as download:
        teacher.get_by_role("button", name="Download the results bundle").click()
    bundle_path = tmp_path / download.value.suggested_filename
    download.value.save_as(bundle_path)
    assert bundle_path.name.startswith("results-bundle-ashby-school-")

    lead = new_context().new_page()
    journeys.log_in(lead, "lead")
    lead.goto("/feedback/results/")
    lead.get_by_role("link", name=re.compile("^Schools' results bundles")).click()
    lead.wait_for_url(url_of("/feedback/bundles/"))
    assert_no_axe_violations(lead)

    # A changed bundle is refused, with the reason next to the file field.
    altered = tmp_path / "altered.json"
    altered.write_text(bundle_path.read_text().replace('"Ashby School"', '"Another School"'))
    lead.get_by_label("Results bundle (.json)").set_input_files(altered)
    # Each import posts back to this same page: wait for the new page, not for its address.
    with lead.expect_navigation(url=url_of("/feedback/bundles/")):
        lead.get_by_role("button", name="Import the bundle").click()
    expect(lead.get_by_role("main")).to_contain_text("Nothing was imported. The signature does not match")
    assert_no_axe_violations(lead)

    for _ in range(2):  # the second import changes nothing
        lead.get_by_label("Results bundle (.json)").set_input_files(bundle_path)
        with lead.expect_navigation(url=url_of("/feedback/bundles/")):
            lead.get_by_role("button", name="Import the bundle").click()
    expect(lead.get_by_role("status")).to_contain_text("it is counted once")
    expect(lead.locator(".bundle-list tbody tr")).to_have_count(1)

    lead.get_by_role("link", name=re.compile(r"version 1$")).click()
    lead.wait_for_url(re.compile(r"/feedback/bundles/results/personal-plan/1/[0-9a-f]{64}/$"))
    main = lead.get_by_role("main")
    expect(main.locator(".schools-table tbody th")).to_have_text(["Ashby School"])
    expect(main.locator(".response-count")).to_have_text(["5 responses.", "5 responses."])
    expect(main.locator(".change-table tbody td")).to_have_text(
        ["2.0 (5)", "3.4 (5)", "+1.4", "2.0", "3.0", "+1.0"]
    )
    assert_no_axe_violations(lead)
    results_url = lead.url

    # Ashby runs a second class and sends a new bundle: it replaces the first, so the first class's five
    # students are counted once.
    answer_in_class(make_class_session(teacher=alice, package=bundled_package), V1_CHECKINS, V1_FEEDBACK)
    teacher.goto("/feedback/bundles/export/")
    teacher.get_by_label("School name (optional)").fill("Ashby School")
    with teacher.expect_download() as download:
        teacher.get_by_role("button", name="Download the results bundle").click()
    later_path = tmp_path / "later" / download.value.suggested_filename
    download.value.save_as(later_path)
    lead.goto("/feedback/bundles/")
    lead.get_by_label("Results bundle (.json)").set_input_files(later_path)
    with lead.expect_navigation(url=url_of("/feedback/bundles/")):
        lead.get_by_role("button", name="Import the bundle").click()
    expect(lead.get_by_role("status")).to_contain_text("it replaces the earlier bundle from Ashby School")
    expect(lead.locator(".bundle-list tbody tr")).to_have_count(2)
    expect(lead.locator(".bundle-list")).to_contain_text("No: replaced by a later bundle")
    assert_no_axe_violations(lead)
    lead.goto(results_url)
    expect(main.locator(".schools-table tbody tr")).to_have_count(1)
    expect(main.locator(".response-count")).to_have_text(["10 responses.", "10 responses."])
    expect(main.locator(".replaced-bundles li")).to_have_count(1)
    assert_no_axe_violations(lead)
    outside_requests.assert_none()
