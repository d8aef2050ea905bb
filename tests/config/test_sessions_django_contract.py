"""What config/sessions.py assumes of Django's session code: a Django upgrade that breaks it fails here.

The store replaces Django's database store's load and save with one SQL statement each, and keeps the rest
(creating a session, deleting one, expiry, clearsessions) from Django; it names Django's table and columns,
and leans on a few of Django's private names. These tests pin those names, and check that a row written by
either side's path is read by the other's (encrypted either way: the encoding is always ours).
"""

import inspect
from datetime import timedelta

import pytest
from django.contrib.sessions.backends import base, db
from django.contrib.sessions.middleware import SessionMiddleware
from django.contrib.sessions.models import Session
from django.utils import timezone

from config.sessions import ENCRYPTED_PREFIX, SessionStore

pytestmark = pytest.mark.django_db

DATA = {"lesson": {"package": 1, "step": "alex-asks"}, "plan": {"why": "To stay safe"}}


def _parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_the_private_names_the_store_uses_are_still_djangos():
    assert issubclass(SessionStore, db.SessionStore)
    assert db.SessionStore.get_model_class() is Session and SessionStore().model is Session
    assert _parameters(base.SessionBase._get_session) == ["self", "no_load"]
    assert inspect.signature(base.SessionBase._get_session).parameters["no_load"].default is False
    assert _parameters(base.SessionBase.get_expiry_date) == ["self", "kwargs"]
    assert _parameters(db.SessionStore.save) == ["self", "must_create"]
    assert _parameters(db.SessionStore.delete) == ["self", "session_key"]
    assert inspect.ismethod(db.SessionStore.clear_expired)  # a classmethod, as the store overrides it
    assert callable(SessionStore().serializer().dumps) and callable(SessionStore().serializer().loads)
    # An unknown key is dropped by setting _session_key to None, as Django's own load does.
    store = SessionStore(session_key="k" * 32)
    store._session_key = None
    assert store.session_key is None


def test_an_update_error_still_tells_djangos_middleware_the_session_went_meanwhile():
    assert issubclass(base.UpdateError, Exception)
    assert "UpdateError" in inspect.getsource(SessionMiddleware.process_response)
    assert "raise UpdateError" in inspect.getsource(db.SessionStore.save)


def test_the_table_and_columns_the_sql_names_are_djangos():
    meta = Session._meta
    assert meta.db_table == "django_session"
    assert meta.pk.name == "session_key"
    columns = {name: meta.get_field(name).column for name in ["session_key", "session_data", "expire_date"]}
    assert columns == {
        "session_key": "session_key",
        "session_data": "session_data",
        "expire_date": "expire_date",
    }
    assert meta.get_field("session_data").get_internal_type() == "TextField"
    assert meta.get_field("expire_date").get_internal_type() == "DateTimeField"


class DjangosLoad(SessionStore):
    """Our store with Django's own reading path (the ORM query)."""

    load = db.SessionStore.load


class DjangosSave(SessionStore):
    """Our store with Django's own saving path (the ORM save in a transaction)."""

    save = db.SessionStore.save


def test_a_session_saved_by_our_update_is_read_by_djangos_loading_path():
    ours = SessionStore()
    ours["lesson"] = {"step": "meet-jordan"}
    ours.create()
    ours.update(DATA)
    ours.save()  # the one-UPDATE path
    row = Session.objects.get(session_key=ours.session_key)
    assert row.session_data.startswith(ENCRYPTED_PREFIX)
    assert row.expire_date > timezone.now() + timedelta(hours=1)
    assert DjangosLoad(session_key=ours.session_key).load() == DATA


def test_a_session_saved_by_djangos_saving_path_is_read_by_ours():
    djangos = DjangosSave()
    djangos["lesson"] = {"step": "meet-jordan"}
    djangos.create()
    djangos.update(DATA)
    djangos.save()  # Django's update path: an ORM save forced to update
    assert Session.objects.get(session_key=djangos.session_key).session_data.startswith(ENCRYPTED_PREFIX)
    ours = SessionStore(session_key=djangos.session_key)
    assert ours.load() == DATA and not ours.modified


def test_both_paths_refuse_to_save_a_session_deleted_meanwhile():
    for store_class in (SessionStore, DjangosSave):
        store = store_class()
        store.update(DATA)
        store.create()
        Session.objects.all().delete()
        store.modified = True
        with pytest.raises(base.UpdateError):
            store.save()
        assert Session.objects.count() == 0
