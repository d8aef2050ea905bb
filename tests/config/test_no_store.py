"""Nothing a teacher or pilot lead sees is kept by a browser or proxy (`Cache-Control: no-store`), while static
files and public student pages stay cacheable as before."""

import pytest

from tests.builders import make_class_session, start_self_guided

pytestmark = pytest.mark.django_db


def assert_no_store(response, what) -> None:
    assert "no-store" in response.get("Cache-Control", ""), (what, response.status_code)


@pytest.fixture
def class_session(alice, bundled_package):
    return make_class_session(teacher=alice, package=bundled_package)


def test_every_teacher_page_csv_and_pdf_is_no_store(client, alice, class_session):
    client.force_login(alice)
    pk = class_session.pk
    for url in [
        "/teach/",
        f"/teach/sessions/{pk}/",
        f"/teach/sessions/{pk}/qr.svg",
        f"/teach/sessions/{pk}/console/",
        f"/teach/sessions/{pk}/projector/",
        f"/teach/sessions/{pk}/live/",
        "/feedback/results/",
        f"/feedback/results/sessions/{pk}/",
        f"/feedback/results/sessions/{pk}/answers.csv",
        f"/feedback/results/sessions/{pk}/report.pdf",
        "/feedback/results/answers.csv",
        "/feedback/bundles/export/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_store(response, url)
    download = client.post("/feedback/bundles/export/", {"school": "", "download": "1"})
    assert download["Content-Disposition"].startswith("attachment")
    assert_no_store(download, "the results bundle")
    closed = client.post(f"/teach/sessions/{pk}/close/")
    assert_no_store(closed, "a teacher's redirect")


def test_the_admin_and_a_pilot_leads_pages_are_no_store(client, lead, bundled_package):
    client.force_login(lead)
    for url in [
        "/admin/",
        "/admin/lessons/package/",
        f"/admin/lessons/package/{bundled_package.pk}/change/",
        "/admin/lessons/package/import/",
        "/feedback/bundles/",
        "/feedback/results/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_store(response, url)


def test_a_signed_in_teacher_gets_no_store_on_student_pages_too(client, alice, bundled_package):
    client.force_login(alice)
    start_self_guided(client, bundled_package)
    response = client.get("/lesson/meet-jordan/")
    assert response.status_code == 200
    assert_no_store(response, "a step page seen by a teacher")


def test_the_log_in_page_and_teacher_urls_are_no_store_before_signing_in(client, db):
    for url in ["/accounts/login/", "/teach/", "/feedback/results/", "/admin/"]:
        assert_no_store(client.get(url), url)


def test_public_student_pages_and_static_files_keep_their_caching(client, bundled_package):
    # A guard against the rule reaching too far (the plan pages' no-store is tested in tests/plans).
    start_self_guided(client, bundled_package)
    for url in ["/", "/lesson/meet-jordan/", "/help/", "/parents/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.get("Cache-Control", ""), url
    static = client.get("/static/js/quick-exit.js")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")
    assert "max-age" in static["Cache-Control"]
