"""The session store: one SELECT to read and one UPDATE to save, in Django's own table, encrypted at rest."""

import base64
import zlib
from datetime import timedelta

import pytest
from django.contrib.sessions.backends import db as django_db_sessions
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.management import call_command
from django.utils import timezone

from config.sessions import SessionStore
from tests.builders import start_self_guided

pytestmark = pytest.mark.django_db

MARKER = "Quokka-5512 wants this kept"


def stored_data(store) -> str:
    return Session.objects.get(session_key=store.session_key).session_data


def test_it_reads_back_what_it_wrote_through_create_and_the_one_update_path():
    ours = SessionStore()
    ours["lesson"] = {"step": "meet-jordan"}
    ours.create()
    ours["lesson"] = {"step": "alex-asks"}
    ours.save()  # the one-UPDATE path
    assert SessionStore(session_key=ours.session_key)["lesson"] == {"step": "alex-asks"}
    assert Session.objects.count() == 1


def test_the_row_holds_no_readable_text_and_djangos_plain_store_cannot_read_it(caplog):
    store = SessionStore()
    store["plan"] = {"why": MARKER, "people": ["my big sister"]}
    store.create()
    data = stored_data(store)
    assert data.startswith("e1:")
    for readable in [MARKER, "Quokka", "my big sister", "plan", "why", "{"]:
        assert readable not in data
    # The database alone (no key): the payload is neither base64 JSON, nor zlib, nor Django's signed format.
    payload = base64.urlsafe_b64decode(data.removeprefix("e1:"))
    assert b"Quokka" not in payload and b"plan" not in payload
    with pytest.raises(zlib.error):
        zlib.decompress(payload)
    with pytest.raises(signing.BadSignature):
        signing.loads(data, salt="django.contrib.sessions.SessionStore")
    assert django_db_sessions.SessionStore(session_key=store.session_key).load() == {}


def test_each_save_encrypts_afresh(settings):
    store = SessionStore()
    store["plan"] = {"why": MARKER}
    store.create()
    first = stored_data(store)
    store.modified = True
    store.save()
    assert stored_data(store) != first  # a new nonce: equal plans do not give equal rows


def test_with_another_secret_key_the_session_is_simply_empty(settings):
    store = SessionStore()
    store["plan"] = {"why": MARKER}
    store.create()
    settings.SECRET_KEY = "another key, as after a restore onto another server " + "x" * 20
    other = SessionStore(session_key=store.session_key)
    assert other.load() == {}
    assert "plan" not in other


def test_a_rotated_secret_key_still_opens_sessions_through_its_fallback(settings):
    store = SessionStore()
    store["plan"] = {"why": MARKER}
    store.create()
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the new key after rotation " + "y" * 30
    assert SessionStore(session_key=store.session_key)["plan"] == {"why": MARKER}


def test_a_damaged_row_reads_as_empty():
    store = SessionStore()
    store["plan"] = {"why": MARKER}
    store.create()
    data = stored_data(store)
    flipped = data[:-6] + ("A" if data[-6] != "A" else "B") + data[-5:]
    for damaged in [flipped, "e1:", "e1:!!!not base64!!!", "e1:" + "A" * 40]:
        Session.objects.filter(session_key=store.session_key).update(session_data=damaged)
        assert SessionStore(session_key=store.session_key).load() == {}


def test_a_session_saved_in_djangos_own_format_is_read_once_and_rewritten_encrypted(client, bundled_package):
    djangos = django_db_sessions.SessionStore()
    djangos["lesson"] = {"step": "meet-jordan"}
    djangos.create()
    assert not stored_data(djangos).startswith("e1:")
    store = SessionStore(session_key=djangos.session_key)
    assert store["lesson"] == {"step": "meet-jordan"}
    assert store.modified  # so the response that read it saves it encrypted
    store.save()
    assert stored_data(store).startswith("e1:")
    assert SessionStore(session_key=store.session_key)["lesson"] == {"step": "meet-jordan"}


def test_a_student_whose_key_changed_starts_afresh_without_an_error(client, bundled_package, settings):
    start_self_guided(client, bundled_package)
    assert client.get("/lesson/meet-jordan/").status_code == 200
    settings.SECRET_KEY = "another key " + "z" * 40
    response = client.get("/lesson/meet-jordan/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/plan/summary/").status_code == 200


def test_clearsessions_deletes_expired_sessions_and_keeps_live_ones():
    expired, live = SessionStore(), SessionStore()
    for store in (expired, live):
        store["n"] = 1
        store.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    call_command("clearsessions")
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


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
