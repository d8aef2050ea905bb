"""Places in a class session: one code cannot fill a lesson with made-up students, however many join at once."""

import pytest
from django.contrib.sessions.models import Session
from django.db import IntegrityError
from django.test import Client

from lessons.models import ClassSession
from tests.builders import make_class_session
from tests.concurrency import all_at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def class_session(alice, mini_package):
    return make_class_session(teacher=alice, package=mini_package)


def _join(client: Client, class_session: ClassSession):
    return client.post("/join/", {"code": class_session.join_code})


def _taken(class_session: ClassSession) -> int:
    class_session.refresh_from_db()
    return class_session.students_joined


def test_a_new_session_has_the_default_number_of_places(class_session, settings):
    assert settings.CLASS_SESSION_MAX_STUDENTS == 40
    assert class_session.max_students == 40 and class_session.students_joined == 0


def test_the_forty_first_device_is_refused_until_the_teacher_adds_a_place(client, alice, class_session):
    # The attack: one class code, and a fresh cookie for every "student".
    for _ in range(40):
        assert _join(Client(), class_session).status_code == 302
    refused = _join(Client(), class_session)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "This lesson is full. Ask your teacher." in page
    assert "lesson" not in refused.wsgi_request.session
    assert _taken(class_session) == 40

    client.force_login(alice)
    page = client.get(f"/teach/sessions/{class_session.pk}/").content.decode()
    assert "40 of 40 places taken" in page and "The lesson is full" in page
    response = client.post(f"/teach/sessions/{class_session.pk}/places/", {"max_students": "41"})
    assert response.status_code == 302
    assert "41 places" in client.get(response.url).content.decode()
    assert _join(Client(), class_session).status_code == 302
    assert _join(Client(), class_session).status_code == 409
    assert _taken(class_session) == 41


def test_a_device_that_joined_joins_again_without_taking_another_place(class_session):
    student = Client()
    for _ in range(3):
        assert _join(student, class_session).status_code == 302
    assert _taken(class_session) == 1
    # Even after going through it on its own in between, and when the class has filled up meanwhile.
    student.post(f"/start/{class_session.package_id}/")
    ClassSession.objects.filter(pk=class_session.pk).update(max_students=1)
    assert _join(student, class_session).status_code == 302
    assert student.session["lesson"]["class_session"] == class_session.pk
    assert _taken(class_session) == 1
    assert _join(Client(), class_session).status_code == 409


def test_places_are_counted_per_class_session(alice, mini_package, class_session):
    other = make_class_session(teacher=alice, package=mini_package, label="Year 10")
    student = Client()
    assert _join(student, class_session).status_code == 302
    assert _join(student, other).status_code == 302
    assert _taken(class_session) == 1 and _taken(other) == 1


def test_an_unreadable_list_of_joined_sessions_takes_a_place_instead_of_failing(class_session):
    student = Client()
    session = student.session
    session["joined_class_sessions"] = "everything"
    session.save()
    assert _join(student, class_session).status_code == 302
    assert _taken(class_session) == 1


def test_the_database_refuses_more_students_than_places(class_session):
    with pytest.raises(IntegrityError):
        ClassSession.objects.filter(pk=class_session.pk).update(students_joined=41)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_joins_never_go_past_the_places_and_none_is_lost(alice, mini_package):
    class_session = make_class_session(teacher=alice, package=mini_package)
    ClassSession.objects.filter(pk=class_session.pk).update(max_students=30)
    devices = 40
    results = all_at_once(
        devices, lambda n, student: _join(student, class_session).status_code, ready=lambda n: Client()
    )
    # Every request got an answer: exactly the 30 places were taken, and the other 10 were told it is full.
    assert sorted(results) == [302] * 30 + [409] * 10
    assert _taken(class_session) == 30
    assert Session.objects.count() == 30
