"""The app refuses oversized request bodies itself (a friendly 413, never a 500), without relying on nginx;
pilot leads' uploads of package files and results bundles still get through."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.bundles import export as bundle_export
from feedback.bundles import file as bundle_file
from feedback.models import ResultsBundle
from lessons.package_export import package_to_yaml
from tests.builders import join_class, make_class_session
from tests.feedback.builders import answer_in_class
from tests.feedback.data import BUNDLE_FEEDBACK as FEEDBACK
from tests.feedback.data import V1_CHECKINS
from tests.plans.builders import post_part

pytestmark = pytest.mark.django_db

TOO_MUCH = 200 * 1024  # over the 128 KB a student or teacher may send


def assert_refused_kindly(response) -> None:
    assert response.status_code == 413
    page = response.content.decode()
    assert "That was too much to send" in page
    assert "make it shorter" in page
    assert "0800 1111" in page  # the help is still there


def test_an_oversized_anonymous_join_is_refused_with_a_413_page(client, alice, bundled_package):
    assert_refused_kindly(client.post("/join/", {"code": "A" * TOO_MUCH}))
    class_session = make_class_session(teacher=alice, package=bundled_package)
    joined = join_class(client, class_session)  # a normal one still works
    assert joined.status_code == 302 and joined["Location"].startswith("/lesson/")


def test_an_oversized_plan_part_is_refused_and_the_plan_is_kept(client, bundled_package):
    assert post_part(client, "words", {"own_1": "No thanks, I'm off now"}).status_code == 302
    assert_refused_kindly(post_part(client, "words", {"own_1": "x" * TOO_MUCH}))
    assert_refused_kindly(post_part(client, "why", {"why": "🥔" * (TOO_MUCH // 4)}))
    assert client.session["plan"]["own_lines"][0] == "No thanks, I'm off now"
    assert "why" not in client.session["plan"]


def test_an_anonymous_upload_is_refused_before_it_is_read(client, bundled_package):
    upload = SimpleUploadedFile("big.yaml", b"x" * TOO_MUCH)
    assert_refused_kindly(client.post("/feedback/bundles/", {"file": upload}))


def test_a_declared_length_over_the_limit_is_refused_whatever_is_sent(client, db):
    response = client.generic(
        "POST",
        "/join/",
        b"code=ABC123",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert_refused_kindly(response)


def test_a_signed_in_teacher_who_is_not_a_pilot_lead_has_the_small_limit(client, alice, bundled_package):
    class_session = make_class_session(teacher=alice, package=bundled_package)
    client.force_login(alice)
    response = client.post(
        f"/feedback/results/sessions/{class_session.pk}/notes/new/", {"notes": "x" * TOO_MUCH}
    )
    assert_refused_kindly(response)


def test_too_many_fields_get_a_friendly_400_not_a_500(client, bundled_package):
    data = "&".join(f"f{number}=1" for number in range(1500))
    response = client.generic("POST", "/plan/why/", data, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "0800 1111" in response.content.decode()


def test_a_pilot_lead_still_imports_a_results_bundle_of_nearly_two_megabytes(
    client, alice, lead, bundled_package
):
    class_session = make_class_session(teacher=alice, package=bundled_package)
    answer_in_class(class_session, V1_CHECKINS, FEEDBACK)
    raw = bundle_file.to_json(bundle_export.bundle_for(user=alice, school="Northfield Academy"))
    raw += b" " * (1_950_000 - len(raw))  # spaces after the JSON: the same bundle, nearly 2 MB on the wire
    client.force_login(lead)
    response = client.post("/feedback/bundles/", {"file": SimpleUploadedFile("bundle.json", raw)})
    assert response.status_code == 302
    assert ResultsBundle.objects.count() == 1


def test_a_pilot_leads_two_megabyte_package_file_reaches_the_import_page(client, lead, bundled_package):
    text = package_to_yaml(bundled_package)
    client.force_login(lead)
    fits = text + "#" + " " * (900_000 - len(text)) + "\n"  # a YAML comment pads it out
    imported = client.post(
        "/admin/lessons/package/import/", {"file": SimpleUploadedFile("p.yaml", fits.encode())}
    )
    assert imported.status_code == 302
    large = text + "#" + " " * (2_000_000 - len(text)) + "\n"
    answered = client.post(
        "/admin/lessons/package/import/", {"file": SimpleUploadedFile("p.yaml", large.encode())}
    )
    assert answered.status_code == 400  # the import page's own refusal, not the body limit's 413
    assert "larger than 1 MB" in answered.content.decode()
