"""The plan lives only in the student's session: never in a model or a log, gone when deleted or expired."""

import logging
import time
from datetime import timedelta

from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.test import RequestFactory
from django.utils import timezone

from config.sessions import SessionStore
from plans import views
from tests.plans.builders import build_plan, post_part

MARKER = "Zebra-7731 keeps this secret"


def build_marked_plan(client, package):
    answers = build_plan(client, package)
    post_part(client, "why", {"why": MARKER})
    return answers


def test_it_has_no_model_of_its_own(db):
    assert list(apps.get_app_config("plans").get_models()) == []


def test_it_stores_plan_text_in_no_database_column(client, bundled_package):
    build_marked_plan(client, bundled_package)
    client.get("/plan/download/")
    for model in apps.get_models():
        text_fields = [
            f.name for f in model._meta.get_fields() if isinstance(f, models.CharField | models.TextField)
        ]
        for name in text_fields:
            assert not model.objects.filter(**{f"{name}__contains": "Zebra-7731"}).exists(), (model, name)


def test_it_keeps_the_plan_in_the_server_side_session(client, bundled_package):
    build_marked_plan(client, bundled_package)
    session = SessionStore(session_key=client.cookies["sessionid"].value)
    assert session["plan"]["why"] == MARKER
    assert MARKER not in client.cookies.output()


def test_it_keeps_nothing_that_links_the_plan_to_a_lesson_or_feedback(client, bundled_package):
    build_marked_plan(client, bundled_package)
    assert set(client.session["plan"]) == {
        "package",
        "saved_at",
        "strategies",
        "picked",
        "words",
        "own_lines",
        "signs",
        "own_signs",
        "people",
        "services",
        "why",
    }


def test_it_deletes_the_plan_at_once(client, bundled_package):
    build_marked_plan(client, bundled_package)
    response = client.post("/plan/delete/")
    assert response.status_code == 302
    assert response["Location"] == "/plan/"
    assert "plan" not in client.session
    stored = SessionStore(session_key=client.cookies["sessionid"].value).load()
    assert "plan" not in stored
    page = client.get(response["Location"]).content.decode()
    assert "Your plan has been deleted" in page
    assert MARKER not in client.get("/plan/summary/").content.decode()
    assert client.get("/plan/download/")["Location"] == "/plan/summary/"


def test_it_offers_delete_my_plan_now_as_a_post_button(client, bundled_package):
    build_marked_plan(client, bundled_package)
    page = client.get("/plan/summary/").content.decode()
    assert '<form method="post" action="/plan/delete/"' in page
    assert "Delete my plan now" in page
    assert client.get("/plan/delete/").status_code == 405


def test_it_forgets_a_plan_older_than_its_maximum_age(client, bundled_package, settings):
    build_marked_plan(client, bundled_package)
    session = client.session
    session["plan"]["saved_at"] = int(time.time()) - settings.PLAN_MAX_AGE_SECONDS - 1
    session.save()
    assert MARKER not in client.get("/plan/summary/").content.decode()
    assert "plan" not in client.session


def test_it_has_no_plan_once_the_session_expires(client, bundled_package):
    build_marked_plan(client, bundled_package)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert MARKER not in client.get("/plan/summary/").content.decode()
    assert client.get("/plan/download/")["Location"] == "/plan/summary/"


def test_it_expires_with_the_session_after_a_day_by_default(settings):
    assert settings.SESSION_COOKIE_AGE == 24 * 60 * 60
    assert settings.PLAN_MAX_AGE_SECONDS == settings.SESSION_COOKIE_AGE


def test_it_never_caches_plan_pages(client, bundled_package):
    build_marked_plan(client, bundled_package)
    for url in ["/plan/", "/plan/why/", "/plan/summary/", "/plan/print/", "/plan/download/"]:
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_it_never_logs_plan_text(client, bundled_package, caplog):
    caplog.set_level(logging.DEBUG)
    build_marked_plan(client, bundled_package)
    post_part(client, "why", {"why": MARKER + "x" * 2000})
    client.get("/plan/summary/")
    client.get("/plan/print/")
    client.get("/plan/download/")
    client.post("/plan/delete/")
    assert "Zebra-7731" not in caplog.text


def test_it_keeps_posted_text_out_of_error_reports(bundled_package):
    request = RequestFactory().post("/plan/why/", {"why": MARKER, "next": ""})
    request.session = {}
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    request._messages = None
    views.part(request, key="why")
    assert request.sensitive_post_parameters == "__ALL__"


def test_it_tells_the_student_how_long_the_plan_is_kept(client, bundled_package):
    page = client.get("/plan/").content.decode()
    assert "for up to 24 hours. Then it is deleted" in page
    assert "Your teacher can&#x27;t see it" in page or "Your teacher can't see it" in page
