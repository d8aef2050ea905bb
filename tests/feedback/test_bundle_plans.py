"""Plans made and downloaded in results bundles (format 5): exported with the students who joined, withheld by the
minimum as on the school's own pages, stored on import and added up across schools; older bundles still import."""

import re

import pytest

from feedback import summary
from feedback.bundles import combined as bundle_combined
from feedback.bundles import export as bundle_export
from feedback.bundles import file as bundle_file
from feedback.bundles import importing as bundle_importing
from feedback.bundles.file import BundleError
from feedback.models import BundleVersion
from lessons.models import ClassSession, PlanCount
from tests.builders import make_class_session, make_teacher
from tests.feedback.builders import answer_in_class, sealed_bundle
from tests.feedback.data import V1_CHECKINS, V1_FEEDBACK

pytestmark = pytest.mark.django_db


def _class(teacher, package, *, joined: int, made: int, downloaded: int) -> ClassSession:
    class_session = make_class_session(teacher=teacher, package=package)
    ClassSession.objects.filter(pk=class_session.pk).update(max_students=joined, students_joined=joined)
    PlanCount.objects.create(package=package, class_session=class_session, made=made, downloaded=downloaded)
    answer_in_class(class_session, V1_CHECKINS, V1_FEEDBACK)
    return class_session


def _rows(result) -> dict[str, str]:
    return {row.label: row.value for row in summary.summarise(result).rows}


def _combined(package):
    return bundle_combined.combined_result(slug=package.slug, version=package.version, digest=package.digest)


def test_plan_counts_go_from_export_through_import_to_the_combined_results(
    client, lead, alice, bob, bundled_package
):
    _class(alice, bundled_package, joined=30, made=24, downloaded=9)
    _class(bob, bundled_package, joined=20, made=10, downloaded=3)  # 3 downloaded: withheld

    ashby = bundle_export.bundle_for(user=alice, school="Ashby School")
    brook = bundle_export.bundle_for(user=bob, school="Brook College")
    assert ashby["format_version"] == 5
    assert ashby["contents"]["package_versions"][0]["plans"] == {
        "made": {"count": 24, "joined": 30},
        "downloaded": {"count": 9, "joined": 30},
    }
    assert brook["contents"]["package_versions"][0]["plans"] == {
        "made": {"count": 10, "joined": 20},
        "downloaded": None,  # "fewer than 5" on Brook's own page, so not in its bundle
    }

    for bundle in (ashby, brook):
        bundle_importing.bundle_import(raw=bundle_file.to_json(bundle))
    stored = BundleVersion.objects.get(bundle__school="Brook College")
    assert (stored.plans_made, stored.plans_made_joined) == (10, 20)
    assert (stored.plans_downloaded, stored.plans_downloaded_joined) == (None, None)

    rows = _rows(_combined(bundled_package))
    assert rows["Plans made"] == "34 of the 50 students who joined (68%)"
    assert rows["Plans downloaded"] == "9 of the 30 students who joined (30%)"
    client.force_login(lead)
    page = " ".join(
        re.sub(
            r"<[^>]+>",
            " ",
            client.get(
                f"/feedback/bundles/results/{bundled_package.slug}/{bundled_package.version}/{bundled_package.digest}/"
            ).content.decode(),
        ).split()
    )
    assert "Plans made 34 of the 50 students who joined (68%)" in page


def test_a_bundle_never_carries_a_plan_count_under_the_minimum(alice, bundled_package):
    _class(alice, bundled_package, joined=4, made=4, downloaded=0)  # only four joined
    [version] = bundle_export.bundle_for(user=alice)["contents"]["package_versions"]
    assert version["plans"] == {"made": None, "downloaded": None}


@pytest.mark.parametrize(
    ("plans", "message"),
    [
        (
            {"made": {"count": 3, "joined": 30}, "downloaded": None},
            "3 is under the bundle's own minimum of 5",
        ),
        ({"made": {"count": 31, "joined": 30}, "downloaded": None}, "31 is out of range"),
        ({"made": {"count": 0, "joined": 2}, "downloaded": None}, "2 is out of range"),
        ({"made": None}, "missing downloaded"),
    ],
)
def test_a_bundles_plan_counts_are_checked(alice, bundled_package, plans, message):
    _class(alice, bundled_package, joined=30, made=24, downloaded=9)
    contents = bundle_export.bundle_for(user=alice)["contents"]
    contents["package_versions"][0]["plans"] = plans
    with pytest.raises(BundleError, match=message):
        bundle_file.read_bundle(sealed_bundle(contents, 5))


@pytest.mark.parametrize("format_version", [3, 4])
def test_an_older_bundle_without_plan_counts_still_imports(alice, bob, bundled_package, format_version):
    _class(alice, bundled_package, joined=30, made=24, downloaded=9)
    _class(bob, bundled_package, joined=30, made=6, downloaded=6)
    older = bundle_export.bundle_for(user=alice, school="Old Server School")["contents"]
    for version in older["package_versions"]:
        del version["plans"]  # what a server writing format 3 or 4 wrote
        for stage in version["stages"].values():  # and no knowledge questions before format 4
            stage["items"] = [item for item in stage["items"] if item["kind"] != "knowledge"]
    bundle, created = bundle_importing.bundle_import(raw=sealed_bundle(older, format_version))
    assert created
    assert BundleVersion.objects.get(bundle=bundle).plans_made is None
    assert _combined(bundled_package).plans is None  # no school gives plan counts yet

    bundle_importing.bundle_import(
        raw=bundle_file.to_json(bundle_export.bundle_for(user=bob, school="Brook"))
    )
    result = _combined(bundled_package)
    assert result.without_plans == 1
    assert _rows(result)["Plans made"] == "6 of the 30 students who joined (20%)"

    with pytest.raises(BundleError, match="unexpected plans"):  # format 4 never carried plans
        bundle_file.read_bundle(sealed_bundle(bundle_export.bundle_for(user=bob)["contents"], 4))


def test_a_school_with_a_lower_minimum_is_left_out_of_the_combined_plans(alice, bundled_package, settings):
    _class(alice, bundled_package, joined=30, made=20, downloaded=5)
    bundle_importing.bundle_import(
        raw=bundle_file.to_json(bundle_export.bundle_for(user=alice, school="Ashby"))
    )
    settings.FEEDBACK_MIN_GROUP = 3
    carol = make_teacher("carol")
    _class(carol, bundled_package, joined=4, made=3, downloaded=3)
    bundle_importing.bundle_import(
        raw=bundle_file.to_json(bundle_export.bundle_for(user=carol, school="Carr"))
    )
    settings.FEEDBACK_MIN_GROUP = 5
    result = _combined(bundled_package)
    assert result.without_plans == 1
    assert _rows(result)["Plans made"] == "20 of the 30 students who joined (67%)"


def test_the_export_page_shows_the_plan_counts_the_bundle_will_hold(client, alice, bundled_package):
    _class(alice, bundled_package, joined=20, made=10, downloaded=3)
    client.force_login(alice)
    page = " ".join(re.sub(r"<[^>]+>", " ", client.get("/feedback/bundles/export/").content.decode()).split())
    assert "Plans made Plans downloaded" in page
    assert "10 of 20 who joined Too few to include" in page
