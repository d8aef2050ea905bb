"""Combined results from schools' bundles: figures added up from the distributions, suppressed again, with
each school's contribution; and the pages' access rules."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.bundles import combined as bundle_combined
from feedback.bundles import export as bundle_export
from feedback.bundles import file as bundle_file
from feedback.bundles import importing as bundle_importing
from feedback.results import AskedQuestion
from tests.builders import make_class_session, make_teacher
from tests.feedback.builders import answer_in_class
from tests.feedback.data import V1_CHECKINS, V1_FEEDBACK, V2_CHECKINS, V2_FEEDBACK
from tests.feedback.view_model import question_types, unsaved_rows

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _school_bundle(teacher, package, name, checkins, feedback) -> bytes:
    class_session = make_class_session(teacher=teacher, package=package)
    answer_in_class(class_session, checkins, feedback)
    return bundle_file.to_json(bundle_export.bundle_for(user=teacher, school=name, include_comments=True))


@pytest.fixture
def schools(alice, bob, bundled_package, settings):
    """Three schools' bundles for version 1: Ashby (5 students), Brook (10) and Carr (3, from a server whose
    minimum is 3, so its bundle shows them; this server's minimum of 5 leaves them out)."""
    ashby = _school_bundle(
        alice,
        bundled_package,
        "Ashby School",
        V1_CHECKINS,
        [{**answers, "what-change": "ASHBY-COMMENT"} for answers in V1_FEEDBACK],
    )
    brook = _school_bundle(bob, bundled_package, "Brook College", V2_CHECKINS, V2_FEEDBACK)
    settings.FEEDBACK_MIN_GROUP = 3
    carr = _school_bundle(
        make_teacher("carol"),
        bundled_package,
        "Carr Academy",
        [],
        [{"kept-attention": 1, "what-change": "CARR-COMMENT"}] * 3,
    )
    settings.FEEDBACK_MIN_GROUP = 5
    return ashby, brook, carr


def _upload(raw: bytes):
    return SimpleUploadedFile("bundle.json", raw, content_type="application/json")


def _import(*raws):
    for raw in raws:
        bundle_importing.bundle_import(raw=raw)


def _combined(package):
    return bundle_combined.combined_result(slug=package.slug, version=package.version, digest=package.digest)


def test_it_adds_up_the_schools_distributions(schools, bundled_package):
    _import(*schools)
    combined = _combined(bundled_package)
    assert [row.bundle.school for row in combined.schools] == [
        "Ashby School",
        "Brook College",
        "Carr Academy",
    ]
    assert [row.counted for row in combined.schools] == [
        {"checkin": True, "feedback": True},
        {"checkin": True, "feedback": True},
        {"checkin": False, "feedback": False},
    ]
    assert (combined.checkin.responses, combined.feedback.responses) == (15, 15)
    attention = next(item for item in combined.feedback.items if item.question.key == "kept-attention")
    # Ashby 0, 1, 1, 2, 1 and Brook 0, 0, 1, 5, 4; Carr's three 1s are left out.
    assert attention.scale.distribution == (0, 1, 2, 7, 5)
    assert attention.scale.mean == pytest.approx(61 / 15)
    assert attention.scale.median == 4.0
    assert attention.answered == 15
    [change] = combined.changes
    assert change.change.before.mean == pytest.approx(49 / 15)
    assert change.change.after.mean == pytest.approx(68 / 15)
    assert change.change.mean_change == pytest.approx(19 / 15)
    assert (change.change.before.median, change.change.after.median) == (3.0, 5.0)
    [comments] = combined.comments
    assert sorted(c.text for c in comments.comments) == ["ASHBY-COMMENT"] * 5


def test_combined_figures_are_suppressed_when_no_school_reaches_the_minimum(schools, bundled_package):
    _import(schools[2])
    combined = _combined(bundled_package)
    assert not combined.checkin.shown and not combined.feedback.shown
    assert combined.feedback.items == [] and combined.changes == [] and combined.comments == []


def test_the_combined_page_shows_each_schools_contribution_and_the_figures(
    client, lead, schools, bundled_package
):
    _import(*schools)
    client.force_login(lead)
    url = f"/feedback/bundles/results/personal-plan/1/{bundled_package.digest}/"
    response = client.get(url)
    assert response.status_code == 200
    text = _text(response)
    assert "the same version as on this server" in text
    month = bundle_export.bundle_for(user=lead)["contents"]["exported_month"]
    assert f"Ashby School {month} {month} 1 5 5 Brook College {month} {month} 1 10 10" in text
    assert f"Carr Academy {month} {month} 1 None shown Fewer than 5: left out" in text
    assert "Check-in 15 responses." in text
    assert "It kept my attention 15 answered: mean 4.1 , median 4.0 (1 to 5)." in text
    assert "3.3 (15) 4.5 (15) +1.3 3.0 5.0 +2.0" in text
    assert "ASHBY-COMMENT" in text
    assert "CARR-COMMENT" not in text
    page = response.content.decode()
    assert "Number of students: 1 – Strongly disagree: 0; 2: 1; 3: 2; 4: 7; 5 – Strongly agree: 5." in page
    assert "style=" not in page
    assert "{#" not in page and "#}" not in page


def test_the_combined_page_reads_a_view_model_not_question_rows_made_up_from_the_bundles(
    client, lead, schools, bundled_package
):
    _import(*schools)
    client.force_login(lead)
    response = client.get(f"/feedback/bundles/results/personal-plan/1/{bundled_package.digest}/")
    combined = response.context["combined"]
    assert combined.feedback.items and combined.changes and combined.comments  # every kind of figure is there
    assert unsaved_rows(combined) == []
    assert question_types(combined) == {AskedQuestion}


def test_the_combined_page_costs_the_same_queries_for_any_number_of_schools(
    client, lead, schools, bundled_package, django_assert_num_queries
):
    url = f"/feedback/bundles/results/personal-plan/1/{bundled_package.digest}/"
    client.force_login(lead)
    _import(schools[0])
    client.get(url)  # sessions and the like warmed up
    with django_assert_num_queries(6):
        client.get(url)
    _import(*schools[1:])
    with django_assert_num_queries(6):
        client.get(url)


def test_the_bundles_page_imports_a_bundle_and_lists_the_versions(client, lead, schools, bundled_package):
    client.force_login(lead)
    assert client.get("/feedback/bundles/").status_code == 200
    response = client.post("/feedback/bundles/", {"file": _upload(schools[0])}, follow=True)
    text = _text(response)
    assert "Imported the results bundle from Ashby School" in text
    assert (
        f'href="/feedback/bundles/results/personal-plan/1/{bundled_package.digest}/"'
        in response.content.decode()
    )
    assert "Personal Plan: if someone asks you for a nude, version 1" in text

    text = _text(client.post("/feedback/bundles/", {"file": _upload(schools[0])}, follow=True))
    assert "This bundle was already imported on" in text
    assert "it is counted once" in text


def test_the_bundles_page_refuses_a_bad_file_with_the_reason(client, lead, schools):
    client.force_login(lead)
    altered = schools[0].replace(b'"Ashby School"', b'"Somewhere Else"')
    response = client.post("/feedback/bundles/", {"file": _upload(altered)})
    assert response.status_code == 400
    assert "Nothing was imported. The signature does not match the contents" in _text(response)
    response = client.post("/feedback/bundles/", {"file": _upload(b"<html>not a bundle</html>")})
    assert response.status_code == 400
    assert "Nothing was imported. The file is not a results bundle: it is not valid JSON." in _text(response)
    assert "No bundles imported yet." in _text(response)


def test_removing_a_bundle_takes_it_out_of_the_combined_results(client, lead, schools, bundled_package):
    _import(*schools)
    client.force_login(lead)
    ashby = bundle_importing.ResultsBundle.objects.get(school="Ashby School")
    client.post(f"/feedback/bundles/{ashby.pk}/delete/")
    combined = _combined(bundled_package)
    assert [row.bundle.school for row in combined.schools] == ["Brook College", "Carr Academy"]
    assert combined.feedback.responses == 10


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/feedback/bundles/"),
        ("post", "/feedback/bundles/"),
        ("get", "/feedback/bundles/results/personal-plan/1/{digest}/"),
        ("post", "/feedback/bundles/{pk}/delete/"),
    ],
)
def test_importing_and_combined_results_are_for_pilot_leads_only(
    client, alice, schools, bundled_package, method, path
):
    _import(*schools)
    url = path.format(digest=bundled_package.digest, pk=bundle_importing.ResultsBundle.objects.first().pk)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(alice)
    assert getattr(client, method)(url).status_code == 404
    assert bundle_importing.ResultsBundle.objects.count() == 3


def test_a_teacher_cannot_import_a_bundle(client, alice, schools):
    client.force_login(alice)
    assert client.post("/feedback/bundles/", {"file": _upload(schools[0])}).status_code == 404
    assert not bundle_importing.ResultsBundle.objects.exists()


def test_a_version_no_bundle_has_is_not_found(client, lead, schools, bundled_package):
    _import(*schools)
    client.force_login(lead)
    assert (
        client.get(f"/feedback/bundles/results/personal-plan/2/{bundled_package.digest}/").status_code == 404
    )
    assert client.get(f"/feedback/bundles/results/personal-plan/1/{'0' * 64}/").status_code == 404
