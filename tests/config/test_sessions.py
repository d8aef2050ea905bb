"""The session store: one SELECT to read and one UPDATE to save, in Django's own table and format."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends import db as django_db_sessions
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.utils import timezone

from config.sessions import SessionStore
from tests.builders import start_self_guided

pytestmark = pytest.mark.django_db


def test_it_reads_and_writes_what_djangos_own_store_does():
    ours = SessionStore()
    ours["lesson"] = {"step": "meet-jordan"}
    ours.create()
    ours["lesson"] = {"step": "alex-asks"}
    ours.save()  # the one-UPDATE path

    djangos = django_db_sessions.SessionStore(session_key=ours.session_key)
    assert djangos["lesson"] == {"step": "alex-asks"}
    djangos["plan"] = {"lines": ["No."]}
    djangos.save()
    assert SessionStore(session_key=ours.session_key)["plan"] == {"lines": ["No."]}
    assert Session.objects.count() == 1


def test_saving_keeps_the_expiry_moving():
    store = SessionStore()
    store["n"] = 1
    store.create()
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=5))
    store = SessionStore(session_key=store.session_key)
    store["n"] = 2
    store.save()
    expires = Session.objects.get().expire_date
    assert expires > timezone.now() + timedelta(hours=23)


def test_an_expired_or_unknown_session_reads_as_empty_and_drops_its_key():
    store = SessionStore()
    store["plan"] = {"lines": ["No."]}
    store.create()
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(session_key=store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None
    unknown = SessionStore(session_key="x" * 32)
    assert "plan" not in unknown
    assert unknown.session_key is None


def test_saving_a_session_deleted_meanwhile_is_refused():
    store = SessionStore()
    store["n"] = 1
    store.create()
    store = SessionStore(session_key=store.session_key)
    store["n"] = 2
    store.load()
    Session.objects.all().delete()  # "delete my plan", or purge_expired, from another request
    with pytest.raises(UpdateError):
        store.save()
    assert Session.objects.count() == 0


def test_a_student_with_an_expired_session_starts_again_without_an_error(client, bundled_package):
    start_self_guided(client, bundled_package)
    assert client.get("/lesson/meet-jordan/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/lesson/meet-jordan/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_step_page_reads_the_session_once_and_saves_the_place_once(
    client, bundled_package, django_assert_num_queries
):
    start_self_guided(client, bundled_package)
    client.get("/lesson/alex-asks/")  # each step's content is read once per process, on its first view
    client.get("/lesson/meet-jordan/")
    with django_assert_num_queries(2) as captured:
        client.get("/lesson/alex-asks/")
    select, update = (query["sql"] for query in captured.captured_queries)
    assert select.startswith("SELECT") and "django_session" in select
    assert update.startswith("UPDATE") and "django_session" in update
    assert SessionStore(session_key=client.session.session_key)["lesson"]["step"] == "alex-asks"
