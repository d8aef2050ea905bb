"""A school sends a pilot lead a new bundle each month: the later one replaces the earlier, so each class session
is counted once; bundles that share only some sessions are refused; separate teachers' bundles add up."""

import copy
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.bundles import combined as bundle_combined
from feedback.bundles import export as bundle_export
from feedback.bundles import file as bundle_file
from feedback.bundles import importing as bundle_importing
from feedback.bundles import keys as bundle_keys
from feedback.models import BundleVersion, ResultsBundle
from lessons.models import ClassSession
from tests.builders import make_class_session
from tests.concurrency import all_at_once
from tests.feedback.builders import answer_in_class
from tests.feedback.data import V1_CHECKINS, V1_FEEDBACK, V2_CHECKINS, V2_FEEDBACK

pytestmark = pytest.mark.django_db


def _class(teacher, package, checkins, feedback) -> ClassSession:
    class_session = make_class_session(teacher=teacher, package=package)
    answer_in_class(class_session, checkins, feedback)
    return class_session


def _export(teacher, school="Ashby School", **changes) -> bytes:
    contents = bundle_export.bundle_for(user=teacher, school=school, include_comments=True)["contents"]
    contents.update(changes)
    return bundle_file.to_json(bundle_file.seal(contents, bundle_keys.private_key()))


def _import(raw: bytes) -> ResultsBundle:
    return bundle_importing.bundle_import(raw=raw)[0]


def _combined(package):
    return bundle_combined.combined_result(slug=package.slug, version=package.version, digest=package.digest)


def _counted(package) -> list[tuple[str, str, int]]:
    combined = _combined(package)
    return [
        (row.bundle.school, row.bundle.exported_month, row.figures.feedback_responses)
        for row in combined.schools
    ]


@pytest.fixture
def october_and_november(alice, bundled_package):
    """Ashby's October bundle (one class of 5) and its November one (that class and a new class of 10)."""
    _class(alice, bundled_package, V1_CHECKINS, V1_FEEDBACK)
    october = _export(alice, exported_month="2026-10")
    _class(alice, bundled_package, V2_CHECKINS, V2_FEEDBACK)
    november = _export(alice, exported_month="2026-11")
    return october, november


@pytest.mark.parametrize("order", ["in the order they were exported", "the later one first"])
def test_a_later_bundle_replaces_the_earlier_one_in_whichever_order_they_arrive(
    october_and_november, bundled_package, order
):
    october, november = october_and_november
    for raw in (october, november) if order == "in the order they were exported" else (november, october):
        _import(raw)
    combined = _combined(bundled_package)
    assert _counted(bundled_package) == [("Ashby School", "2026-11", 15)]
    assert (combined.checkin.responses, combined.feedback.responses) == (15, 15)  # not 20: October's 5 once
    attention = next(item for item in combined.feedback.items if item.question.key == "kept-attention")
    assert attention.answered == 15
    [(earlier, later)] = combined.replaced
    assert (earlier.bundle.exported_month, later.bundle.exported_month) == ("2026-10", "2026-11")
    [version] = bundle_combined.combined_versions()
    assert version.schools == 1
    assert ResultsBundle.objects.count() == 2  # both kept: removing November brings October back


def test_removing_the_later_bundle_counts_the_earlier_one_again(
    client, lead, october_and_november, bundled_package
):
    october, november = october_and_november
    _import(october)
    later = _import(november)
    client.force_login(lead)
    client.post(f"/feedback/bundles/{later.pk}/delete/")
    assert _counted(bundled_package) == [("Ashby School", "2026-10", 5)]
    assert _combined(bundled_package).replaced == []


def test_two_teachers_bundles_from_one_school_add_up(alice, bob, bundled_package):
    _class(alice, bundled_package, V1_CHECKINS, V1_FEEDBACK)
    _class(bob, bundled_package, V2_CHECKINS, V2_FEEDBACK)
    _import(_export(alice))
    _import(_export(bob))
    assert sorted(school for school, _, _ in _counted(bundled_package)) == ["Ashby School", "Ashby School"]
    assert _combined(bundled_package).feedback.responses == 15
    assert bundle_combined.combined_versions()[0].schools == 2


def test_a_bundle_sharing_only_some_sessions_is_refused_and_nothing_is_imported(
    alice, lead, bundled_package, client
):
    first = _class(alice, bundled_package, V1_CHECKINS, V1_FEEDBACK)
    _class(alice, bundled_package, V2_CHECKINS, V2_FEEDBACK)
    _import(_export(alice))  # both of alice's classes
    # A pilot lead's export of the first class and a third class, not the second.
    third = _class(alice, bundled_package, V1_CHECKINS, V1_FEEDBACK)
    raw = _export(lead)
    contents = bundle_file.read_bundle(raw)["contents"]
    contents = copy.deepcopy(contents)
    # The figures stay consistent; only which sessions they say they came from changes.
    [version] = contents["package_versions"]
    version.update(sessions=sorted([str(first.reference), str(third.reference)]), class_sessions=2)
    overlapping = bundle_file.to_json(bundle_file.seal(contents, bundle_keys.private_key()))
    before = (ResultsBundle.objects.count(), BundleVersion.objects.count())

    with pytest.raises(
        bundle_file.BundleError, match="shares 1 class session\\(s\\) with the bundle from Ashby"
    ):
        _import(overlapping)
    assert (ResultsBundle.objects.count(), BundleVersion.objects.count()) == before

    client.force_login(lead)
    response = client.post(
        "/feedback/bundles/", {"file": SimpleUploadedFile("b.json", overlapping, "application/json")}
    )
    assert response.status_code == 400
    page = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    assert "Nothing was imported." in page
    assert "would count those sessions twice" in page
    assert (ResultsBundle.objects.count(), BundleVersion.objects.count()) == before


def test_the_same_sessions_exported_again_later_replace_the_earlier_figures(alice, bundled_package):
    class_session = _class(alice, bundled_package, V1_CHECKINS, V1_FEEDBACK[:4])
    october = _export(alice, exported_month="2026-10")  # four answers: none shown
    answer_in_class(class_session, [], V1_FEEDBACK[4:])  # the fifth student answers later
    november = _export(alice, exported_month="2026-11")
    _import(november)
    _import(october)
    assert _counted(bundled_package) == [("Ashby School", "2026-11", 5)]
    assert _combined(bundled_package).feedback.shown


def test_the_pages_say_what_replaced_what(client, lead, october_and_november, bundled_package):
    october, november = october_and_november
    client.force_login(lead)
    client.post("/feedback/bundles/", {"file": SimpleUploadedFile("oct.json", october, "application/json")})
    response = client.post(
        "/feedback/bundles/",
        {"file": SimpleUploadedFile("nov.json", november, "application/json")},
        follow=True,
    )
    page = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    assert (
        "Imported the results bundle from Ashby School (2026-11). For version 1 it replaces the earlier bundle "
        "from Ashby School (2026-10)." in page
    )
    assert "Ashby School 2026-10 1 No: replaced by a later bundle" in page
    assert "Ashby School 2026-11 1 Yes" in page

    response = client.get(f"/feedback/bundles/results/personal-plan/1/{bundled_package.digest}/")
    page = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    assert "Earlier bundles replaced by later ones" in page
    assert (
        "Ashby School, exported 2026-10 (1 class session): replaced by the bundle from Ashby School, exported "
        "2026-11 (2 class sessions)." in page
    )
    assert "Feedback 15 responses." in page


def test_importing_the_earlier_bundle_afterwards_says_it_is_not_counted(
    lead, october_and_november, bundled_package, tmp_path, capsys
):
    from django.core.management import call_command

    october, november = october_and_november
    _import(november)
    path = tmp_path / "october.json"
    path.write_bytes(october)
    call_command("import_results_bundle", str(path))
    assert (
        "For version 1 a later bundle already imported, from Ashby School (2026-11), holds all its class "
        "sessions, so this one is not counted." in capsys.readouterr().out
    )


@pytest.mark.django_db(transaction=True)
def test_two_bundles_sharing_some_sessions_imported_at_the_same_moment_do_not_both_get_in(
    alice, bundled_package, monkeypatch
):
    """Each import checks what is stored before storing its own; a pause after the check makes two imports
    at the same moment overlap for sure, so only one import at a time may run that check."""
    first, second, third = (_class(alice, bundled_package, V1_CHECKINS, V1_FEEDBACK) for _ in range(3))

    def bundle_of(*sessions) -> bytes:
        contents = copy.deepcopy(bundle_file.read_bundle(_export(alice))["contents"])
        contents["package_versions"][0].update(
            sessions=sorted(str(s.reference) for s in sessions), class_sessions=len(sessions)
        )
        return bundle_file.to_json(bundle_file.seal(contents, bundle_keys.private_key()))

    raws = [bundle_of(first, second), bundle_of(second, third)]
    check = bundle_importing._refuse_partial_overlap

    def slow_check(bundle, figures):
        check(bundle, figures)
        time.sleep(1)  # checked, not yet stored

    monkeypatch.setattr(bundle_importing, "_refuse_partial_overlap", slow_check)

    def pilot_lead(number: int) -> str:
        try:
            bundle_importing.bundle_import(raw=raws[number])
        except bundle_file.BundleError as error:
            return str(error)
        return "imported"

    outcomes = all_at_once(2, pilot_lead)
    assert sorted(outcomes)[0].startswith("For Personal Plan")
    assert "would count those sessions twice" in sorted(outcomes)[0]
    assert sorted(outcomes)[1] == "imported"
    assert ResultsBundle.objects.count() == 1
