"""The step-page cache keeps only pages the same for every anonymous student, never anything of a user."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.backends.base import SessionBase
from django.test import Client, RequestFactory

from lessons.services import package_start_draft
from lessons.step_cache import PerVersion, StepPageCache, step_pages
from tests.builders import start_self_guided

pytestmark = pytest.mark.django_db

STEPS = ["the-chat", "feelings", "what-now", "joke-ending", "myths", "help"]


def _student(package) -> Client:
    student = Client()
    start_self_guided(student, package)
    return student


def _with_message(client: Client, text: str) -> None:
    storage = CookieStorage(type("Request", (), {"COOKIES": {}})())
    client.cookies["messages"] = storage._encode([Message(constants.INFO, text)])


def _anonymous_request():
    request = RequestFactory().get("/lesson/myths/")
    request.user, request.session = AnonymousUser(), SessionBase()
    return request


def test_it_keeps_a_students_step_page_and_serves_it_to_the_next_student(mini_package):
    first = _student(mini_package).get("/lesson/myths/").content.decode()
    assert len(step_pages.pages()) == 1
    step_pages.put(_anonymous_request(), mini_package, ("myths", None), first.replace("Myth", "Kept page"))
    assert "Kept page" in _student(mini_package).get("/lesson/myths/").content.decode()


def test_it_neither_keeps_nor_serves_a_page_for_a_signed_in_teacher(client, alice, mini_package):
    client.force_login(alice)
    start_self_guided(client, mini_package)
    for key in STEPS:
        assert client.get(f"/lesson/{key}/", {"option": "1"}).status_code == 200
    assert step_pages.pages() == []
    # A page kept for students is not what a teacher gets: they get their own rendering.
    _student(mini_package).get("/lesson/myths/")
    step_pages.put(_anonymous_request(), mini_package, ("myths", None), "Kept page")
    assert "Kept page" not in client.get("/lesson/myths/").content.decode()


def test_it_neither_keeps_nor_serves_a_page_while_a_message_waits(mini_package):
    student = _student(mini_package)
    _with_message(student, "A note for this student only")
    assert "A note for this student only" in student.get("/lesson/myths/").content.decode()
    assert step_pages.pages() == []
    step_pages.put(_anonymous_request(), mini_package, ("myths", None), "Kept page")
    _with_message(student, "Another note")
    page = student.get("/lesson/myths/").content.decode()
    assert "Another note" in page and "Kept page" not in page


def test_no_kept_page_holds_anything_of_a_user(client, alice, mini_package):
    client.force_login(alice)
    start_self_guided(client, mini_package)
    student = _student(mini_package)
    _with_message(student, "A note for this student only")
    for key in STEPS:
        for params in [{}, {"option": "1"}, {"option": "2"}]:
            client.get(f"/lesson/{key}/", params)
            student.get(f"/lesson/{key}/", params)
            _student(mini_package).get(f"/lesson/{key}/", params)
    kept = step_pages.pages()
    assert len(kept) >= len(STEPS)
    for page in kept:
        assert "csrfmiddlewaretoken" not in page
        assert "alice" not in page.lower() and "log out" not in page.lower()
        assert 'class="messages"' not in page and "A note for this student only" not in page


def test_it_keeps_no_page_whose_rendering_used_the_csrf_token(mini_package):
    request = _anonymous_request()
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as django.middleware.csrf.get_token leaves it
    step_pages.put(request, mini_package, ("myths", None), "<input name=csrfmiddlewaretoken>")
    assert step_pages.pages() == []


def test_it_keeps_no_page_of_a_draft(mini_package):
    draft = package_start_draft(source=mini_package)
    step_pages.put(_anonymous_request(), draft, ("myths", None), "A draft's page")
    assert step_pages.pages() == [] and step_pages.get(_anonymous_request(), draft, ("myths", None)) is None


def test_a_version_replaced_under_the_same_id_is_never_served_stale(mini_package):
    cache = StepPageCache()
    cache.put(_anonymous_request(), mini_package, ("myths", None), "Old page")
    mini_package.digest = "another digest"
    assert cache.get(_anonymous_request(), mini_package, ("myths", None)) is None


def test_it_keeps_only_the_versions_used_most_recently():
    kept = PerVersion(size=2)
    for number in range(1, 4):
        kept.get_or_keep(
            type("Version", (), {"pk": number, "digest": "d", "is_draft": False})(),
            lambda number=number: number,
        )
    assert kept.values() == [2, 3] and kept.get(1, "d") is None


def test_clear_forgets_every_page(mini_package):
    _student(mini_package).get("/lesson/myths/")
    assert step_pages.pages()
    step_pages.clear()
    assert step_pages.pages() == []
