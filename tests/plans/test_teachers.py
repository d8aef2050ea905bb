"""A teacher never reaches a plan: plan pages turn signed-in teachers away, and no teacher page shows plan text."""

import pytest

from tests.builders import PASSWORD, join_class, make_class_session
from tests.plans.builders import build_plan, post_part

MARKER = "Walrus-5512 private words"
PLAN_URLS = [
    "/plan/",
    "/plan/strategies/",
    "/plan/words/",
    "/plan/why/",
    "/plan/summary/",
    "/plan/print/",
    "/plan/download/",
]


@pytest.fixture
def student_in_alices_class(client, bundled_package, alice):
    class_session = make_class_session(teacher=alice, package=bundled_package)
    join_class(client, class_session)
    build_plan(client, bundled_package)
    post_part(client, "why", {"why": MARKER})
    return class_session


@pytest.mark.parametrize("url", PLAN_URLS)
def test_it_turns_a_signed_in_teacher_away(client, bundled_package, alice, url):
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 403
    assert "Plans are for students" in response.content.decode()


def test_it_turns_a_signed_in_teacher_away_from_saving_or_deleting(client, bundled_package, alice):
    client.force_login(alice)
    assert client.post("/plan/why/", {"why": "x", "next": ""}).status_code == 403
    assert client.post("/plan/delete/").status_code == 403


def test_it_shows_no_plan_text_on_any_teacher_page(
    client, student_in_alices_class, alice, lead, bundled_package
):
    from django.test import Client

    teacher = Client()
    teacher.force_login(alice)
    from lessons import live

    pk = student_in_alices_class.pk

    def assert_no_plan(url: str) -> None:
        response = teacher.get(url)
        assert response.status_code == 200, url
        assert "Walrus-5512" not in response.content.decode(), url

    for url in ["/teach/", f"/teach/sessions/{pk}/", f"/teach/sessions/{pk}/live/?counts=1"]:
        assert_no_plan(url)
    for slide in live.slides_for(bundled_package.pk):
        live.bump(student_in_alices_class, live_slide=slide.key)
        assert_no_plan(f"/teach/sessions/{pk}/console/")
        assert_no_plan(f"/teach/sessions/{pk}/projector/")
    for url in PLAN_URLS:
        assert "Walrus-5512" not in teacher.get(url).content.decode(), url

    pilot_lead = Client()
    pilot_lead.force_login(lead)
    for url in [
        "/admin/",
        "/admin/lessons/classsession/",
        f"/admin/lessons/package/{bundled_package.pk}/change/",
    ]:
        response = pilot_lead.get(url)
        assert response.status_code == 200, url
        assert "Walrus-5512" not in response.content.decode(), url
    assert pilot_lead.get("/admin/sessions/session/").status_code == 404


def test_it_drops_the_plan_when_a_teacher_signs_in_on_the_same_browser(
    client, student_in_alices_class, alice
):
    response = client.post("/accounts/login/", {"username": alice.username, "password": PASSWORD})
    assert response.status_code == 302
    assert "plan" not in client.session
    client.logout()
    assert "Walrus-5512" not in client.get("/plan/summary/").content.decode()
