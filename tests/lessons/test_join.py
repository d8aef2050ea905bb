"""Joining a class with its code: unknown, closed and expired codes, and guessing limits."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import FailureCount
from lessons.models import ClassSession
from tests.builders import join_class, make_class_session
from tests.concurrency import all_at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def class_session(alice, mini_package):
    return make_class_session(teacher=alice, package=mini_package)


def _student() -> Client:
    return Client(enforce_csrf_checks=False)


def _join(client: Client, code: str):
    # The join page sets the device's CSRF cookie first, as a real browser would.
    client.get("/join/")
    return client.post("/join/", {"code": code})


def test_it_joins_the_class_and_starts_its_package(client, class_session):
    response = join_class(client, class_session)
    assert response.status_code == 302 and response.url == "/lesson/"
    assert client.session["lesson"] == {
        "package": class_session.package_id,
        "digest": class_session.package.digest,
        "class_session": class_session.pk,
        "step": None,
    }
    assert "We talk about the characters" in client.get("/lesson/").content.decode()


def test_it_accepts_the_code_in_lower_case_with_spaces(client, class_session):
    code = class_session.join_code
    typed = f" {code[:3].lower()} {code[3:].lower()} "
    assert client.post("/join/", {"code": typed}).status_code == 302


def test_it_prefills_the_code_from_the_join_link(client, class_session):
    page = client.get(f"/join/?code={class_session.join_code}").content.decode()
    assert f'value="{class_session.join_code}"' in page


def test_it_says_clearly_when_a_code_is_unknown(client, class_session):
    other = "ACDEFG" if class_session.join_code != "ACDEFG" else "GFEDCA"
    response = _join(client, other)
    assert response.status_code == 400
    assert "There is no open lesson with that code" in response.content.decode()
    assert "lesson" not in client.session


@pytest.mark.parametrize("typed", ["", "ABC", "ABCDEFGH", "<script>", "00000O", "ÄÖÜÄÖÜ", "A\x00BCDE"])
def test_it_explains_what_a_code_looks_like(client, typed):
    response = _join(client, typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Type the class code" in page or "A class code is 6 letters and numbers" in page
    assert "<script>" not in page.split("</header>")[1].split("Need to talk")[0].replace("&lt;script&gt;", "")


def test_a_closed_session_code_stops_working(client, class_session):
    class_session.closed_at = timezone.now()
    class_session.save()
    response = _join(client, class_session.join_code)
    assert response.status_code == 400
    assert "Codes stop working when the lesson closes" in response.content.decode()


def test_a_session_closes_itself_after_a_day(client, class_session, settings):
    assert class_session.closes_at - class_session.created_at == timedelta(hours=settings.CLASS_SESSION_HOURS)
    ClassSession.objects.filter(pk=class_session.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    class_session.refresh_from_db()
    assert not class_session.is_open
    assert _join(client, class_session.join_code).status_code == 400


def test_too_many_wrong_codes_pause_that_device(class_session, settings):
    settings.JOIN_FAILURES_PER_DEVICE = 3
    guesser = _student()
    wrong = "ACDEFG" if class_session.join_code != "ACDEFG" else "GFEDCA"
    for _ in range(3):
        assert _join(guesser, wrong).status_code == 400
    response = _join(guesser, class_session.join_code)
    assert response.status_code == 429
    assert "joining is paused on this device" in response.content.decode()
    assert "lesson" not in guesser.session
    # A classmate on the same school address is not locked out.
    assert _join(_student(), class_session.join_code).status_code == 302


def test_a_whole_class_on_one_address_mistyping_is_never_locked_out(class_session):
    wrong = "ACDEFG" if class_session.join_code != "ACDEFG" else "GFEDCA"
    for _ in range(30):
        student = _student()
        for _ in range(3):
            assert _join(student, wrong).status_code == 400
        assert _join(student, class_session.join_code).status_code == 302


def test_failures_are_counted_in_the_shared_database_without_the_address(class_session):
    _join(_student(), "ACDEFG" if class_session.join_code != "ACDEFG" else "GFEDCA")
    rows = list(FailureCount.objects.values_list("key", "count"))
    assert len(rows) == 3 and all(count == 1 for _, count in rows)  # the device, the address, the whole site
    assert not any("127.0.0.1" in key for key, _ in rows)


def test_successful_joins_are_not_counted(class_session):
    for _ in range(5):
        assert _join(_student(), class_session.join_code).status_code == 302
    assert not FailureCount.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_thirty_students_joining_in_the_same_second_all_get_in(alice, mini_package):
    class_session = make_class_session(teacher=alice, package=mini_package)

    def join(number: int, student: Client) -> tuple[int, int]:
        joined = student.post("/join/", {"code": class_session.join_code}).status_code
        return joined, student.get("/lesson/the-chat/").status_code

    results = [status for pair in all_at_once(30, join, ready=lambda n: _student()) for status in pair]
    assert sorted(results) == [200] * 30 + [302] * 30
    from django.contrib.sessions.models import Session

    assert Session.objects.count() == 30
