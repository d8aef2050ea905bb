"""Teacher pages: logging in, class sessions with codes and QR codes, and isolation (the live lesson's
console and projector: test_live_screens.py)."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from lessons.models import JOIN_CODE_ALPHABET, ClassSession
from tests.builders import PASSWORD, make_class_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices_session(alice, mini_package):
    return make_class_session(teacher=alice, package=mini_package)


def _teacher_urls(class_session: ClassSession) -> list[tuple[str, str]]:
    pk = class_session.pk
    return [
        ("get", "/teach/"),
        ("get", f"/teach/sessions/{pk}/"),
        ("get", f"/teach/sessions/{pk}/qr.svg"),
        ("get", f"/teach/sessions/{pk}/console/"),
        ("get", f"/teach/sessions/{pk}/projector/"),
        ("get", f"/teach/sessions/{pk}/live/"),
        ("post", f"/teach/sessions/{pk}/live/show/"),
        ("post", f"/teach/sessions/{pk}/live/pace/"),
        ("post", f"/teach/sessions/{pk}/live/pause/"),
        ("post", f"/teach/sessions/{pk}/places/"),
        ("post", f"/teach/sessions/{pk}/close/"),
        ("post", f"/teach/sessions/{pk}/reopen/"),
    ]


def test_it_sends_anonymous_visitors_to_log_in(client, alices_session):
    for method, url in _teacher_urls(alices_session):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/accounts/login/?next="), url


def test_another_teacher_gets_a_404_for_every_page_of_the_session(client, bob, alices_session):
    client.force_login(bob)
    for method, url in _teacher_urls(alices_session)[1:]:
        assert getattr(client, method)(url).status_code == 404, url
    alices_session.refresh_from_db()
    assert alices_session.is_open
    assert alices_session.join_code not in client.get("/teach/").content.decode()


def test_a_pilot_lead_can_see_any_session(client, lead, alices_session):
    client.force_login(lead)
    assert client.get(f"/teach/sessions/{alices_session.pk}/").status_code == 200


def test_a_teacher_logs_in_with_their_password(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("teach:dashboard")
    bad = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert bad.status_code == 200


def test_a_teacher_starts_a_session_with_a_join_code(client, alice, mini_package):
    client.force_login(alice)
    response = client.post("/teach/", {"package": mini_package.pk, "label": "9B period 3"})
    class_session = ClassSession.objects.get()
    assert response.url == f"/teach/sessions/{class_session.pk}/"
    assert class_session.teacher == alice and class_session.label == "9B period 3"
    code = class_session.join_code
    assert len(code) == 6 and set(code) <= set(JOIN_CODE_ALPHABET)
    page = client.get(response.url).content.decode()
    assert code in page
    assert f"http://testserver/join/?code={code}&amp;word={class_session.class_word}" in page
    assert f'src="/teach/sessions/{class_session.pk}/qr.svg"' in page
    assert "9B period 3" in client.get("/teach/").content.decode()


def test_the_qr_code_is_an_svg_drawn_by_the_server(client, alice, alices_session):
    client.force_login(alice)
    response = client.get(f"/teach/sessions/{alices_session.pk}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)
    # In the SVG namespace: without it a browser draws nothing for <img src=qr.svg> (naturalWidth 0).
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert int(root.get("width")) == int(root.get("height")) > 0
    assert alices_session.join_code in response.content.decode()  # in the SVG's <title>


def test_a_teacher_closes_and_reopens_a_session(client, alice, alices_session):
    client.force_login(alice)
    client.post(f"/teach/sessions/{alices_session.pk}/close/")
    alices_session.refresh_from_db()
    assert not alices_session.is_open
    assert "This session is closed" in client.get(f"/teach/sessions/{alices_session.pk}/").content.decode()
    client.post(f"/teach/sessions/{alices_session.pk}/reopen/")
    alices_session.refresh_from_db()
    assert alices_session.is_open


def test_reopening_takes_a_new_code_if_another_open_session_has_the_old_one(alice, bob, mini_package):
    from lessons.services import class_session_close, class_session_reopen

    first = make_class_session(teacher=alice, package=mini_package)
    class_session_close(class_session=first)
    second = make_class_session(teacher=bob, package=mini_package)
    ClassSession.objects.filter(pk=second.pk).update(join_code=first.join_code)
    class_session_reopen(class_session=first)
    first.refresh_from_db()
    assert first.is_open and first.join_code != ClassSession.objects.get(pk=second.pk).join_code


def test_join_codes_are_unique_among_open_sessions(alice, mini_package, monkeypatch):
    taken = make_class_session(teacher=alice, package=mini_package).join_code
    other = "KMNPQR" if taken != "KMNPQR" else "RQPNMK"
    sequence = iter(taken + other)
    monkeypatch.setattr("lessons.models.secrets.choice", lambda alphabet: next(sequence))
    assert ClassSession.unused_join_code() == other


def test_the_session_page_shows_the_class_word_and_the_link_carries_it(client, alice, alices_session):
    from lessons.class_words import class_words

    assert alices_session.class_word in class_words()
    client.force_login(alice)
    page = client.get(f"/teach/sessions/{alices_session.pk}/").content.decode()
    assert f"Class word: <strong>{alices_session.class_word}</strong>" in page
    link = f"http://testserver/join/?code={alices_session.join_code}&amp;word={alices_session.class_word}"
    assert f'href="{link}"' in page
    qr = client.get(f"/teach/sessions/{alices_session.pk}/qr.svg").content.decode()
    assert f"word={alices_session.class_word}" not in qr  # drawn as modules, not text...
    import io

    import segno

    expected = io.BytesIO()
    segno.make(link.replace("&amp;", "&"), error="m").save(
        expected,
        kind="svg",
        scale=8,
        dark="#000",
        light="#fff",
        xmldecl=False,
        svgns=True,
        nl=False,
        title=f"QR code for class code {alices_session.join_code}",
    )
    assert qr == expected.getvalue().decode()  # ...but the very code of the link with the word (a camera
    # reads it back in tests/browser/test_live_lesson.py)
    projector = client.get(f"/teach/sessions/{alices_session.pk}/projector/").content.decode()
    assert f"Class word: <strong>{alices_session.class_word}</strong>" in projector


def test_a_teacher_starts_a_session_with_a_number_of_places(client, alice, mini_package):
    client.force_login(alice)
    page = client.get("/teach/").content.decode()
    assert 'name="max_students"' in page and 'value="40"' in page
    response = client.post("/teach/", {"package": mini_package.pk, "label": "", "max_students": "120"})
    class_session = ClassSession.objects.get()
    assert response.status_code == 302 and class_session.max_students == 120
    assert "0 of 120 places taken" in client.get(response.url).content.decode()


PLACES_REFUSED = [
    ("0", "at least 1 place"),
    ("-3", "at least 1 place"),
    ("501", "at most 500 places"),
    ("99999999999999999999", "at most 500 places"),
    ("lots", "whole number"),
    ("4.5", "whole number"),
]


@pytest.mark.parametrize("typed, message", PLACES_REFUSED)
def test_a_new_session_with_places_outside_one_to_five_hundred_is_refused_clearly(
    client, alice, mini_package, typed, message
):
    client.force_login(alice)
    response = client.post("/teach/", {"package": mini_package.pk, "label": "", "max_students": typed})
    assert response.status_code == 200 and message in response.content.decode()
    assert not ClassSession.objects.exists()


@pytest.mark.parametrize("typed, message", [*PLACES_REFUSED, ("", "Give the number of places")])
def test_changing_places_outside_one_to_five_hundred_is_refused_clearly(
    client, alice, alices_session, typed, message
):
    client.force_login(alice)
    response = client.post(f"/teach/sessions/{alices_session.pk}/places/", {"max_students": typed})
    assert response.status_code == 400 and message in response.content.decode()
    alices_session.refresh_from_db()
    assert alices_session.max_students == 40


def test_places_cannot_go_below_the_students_already_in(client, alice, alices_session):
    ClassSession.objects.filter(pk=alices_session.pk).update(students_joined=12)
    client.force_login(alice)
    response = client.post(f"/teach/sessions/{alices_session.pk}/places/", {"max_students": "11"})
    assert response.status_code == 400
    assert "12 students have already joined" in response.content.decode()
    assert (
        client.post(f"/teach/sessions/{alices_session.pk}/places/", {"max_students": "12"}).status_code == 302
    )
    alices_session.refresh_from_db()
    assert alices_session.max_students == 12


def test_another_teacher_cannot_change_the_places(client, bob, alices_session):
    client.force_login(bob)
    response = client.post(f"/teach/sessions/{alices_session.pk}/places/", {"max_students": "500"})
    assert response.status_code == 404
    alices_session.refresh_from_db()
    assert alices_session.max_students == 40


def test_the_admin_shows_but_never_changes_the_code_word_places_taken_and_live_state(
    client, lead, alice, mini_package
):
    class_session = make_class_session(teacher=alice, package=mini_package)
    client.force_login(lead)
    url = f"/admin/lessons/classsession/{class_session.pk}/change/"
    page = client.get(url).content.decode()
    assert class_session.class_word in page and 'name="students_joined"' not in page
    client.post(
        url,
        {
            "teacher": alice.pk,
            "package": mini_package.pk,
            "label": "Changed",
            "closes_at_0": class_session.closes_at.strftime("%Y-%m-%d"),
            "closes_at_1": class_session.closes_at.strftime("%H:%M:%S"),
            "max_students": 40,
            "students_joined": 999,
            "class_word": "hacked",
            "live_slide": "close",
        },
    )
    class_session.refresh_from_db()
    assert class_session.label == "Changed"
    assert (class_session.students_joined, class_session.live_slide) == (0, "rules")
    assert class_session.class_word != "hacked"
