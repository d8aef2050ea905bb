"""The teachers' and the admin's log-in: a cool-off after repeated wrong passwords for one account from one
address, shared by both pages, keyed on the address the trusted proxies saw and on the normalised username."""

import pytest
from django.test import Client

from accounts.models import FailureCount
from tests.builders import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username, password, address="10.0.0.5"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_repeated_wrong_passwords_cool_off_that_account_from_that_address(settings, alice, bob):
    settings.LOGIN_FAILURES_ALLOWED = 3
    for _ in range(3):
        assert _login(Client(), "alice", "wrong").status_code == 200
    locked = _login(Client(), "alice", PASSWORD)
    assert locked.status_code == 429
    assert "Too many wrong passwords for this account" in locked.content.decode()
    assert "_auth_user_id" not in locked.wsgi_request.session
    # Another teacher in the same staff room, and alice from another address, still log in.
    assert _login(Client(), "bob", PASSWORD).status_code == 302
    assert _login(Client(), "alice", PASSWORD, address="10.0.0.9").status_code == 302


def test_the_cool_off_is_lifted_after_the_window(settings, alice):
    settings.LOGIN_FAILURES_ALLOWED = 2
    for _ in range(2):
        _login(Client(), "alice", "wrong")
    assert _login(Client(), "alice", PASSWORD).status_code == 429
    FailureCount.objects.update(window_start=FailureCount.objects.first().window_start.replace(year=2000))
    assert _login(Client(), "alice", PASSWORD).status_code == 302


def test_behind_a_proxy_the_forwarded_address_is_used_and_cannot_be_forged(settings, alice):
    settings.LOGIN_FAILURES_ALLOWED = 2
    settings.TRUSTED_PROXY_COUNT = 1

    def login(forwarded, password="wrong"):
        return Client().post(
            "/accounts/login/",
            {"username": "alice", "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    # The attacker puts a fake address first; the proxy appends the real one, which is what counts.
    login("1.1.1.1, 203.0.113.7")
    login("2.2.2.2, 203.0.113.7")
    assert login("3.3.3.3, 203.0.113.7", PASSWORD).status_code == 429
    # A teacher at another school behind the same proxy is not affected.
    assert login("198.51.100.20", PASSWORD).status_code == 302


def _admin_login(client, username, password, address="10.0.0.5"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_the_admin_log_in_cools_off_a_staff_account_after_repeated_wrong_passwords(settings, lead):
    settings.LOGIN_FAILURES_ALLOWED = 5
    # The attack: guess after guess at the admin's own log-in page, from one client.
    for _ in range(5):
        assert _admin_login(Client(), "lead", "wrong").status_code == 200
    for password in ["wrong", PASSWORD]:
        locked = _admin_login(Client(), "lead", password)
        assert locked.status_code == 429
        assert "Too many wrong passwords for this account" in locked.content.decode()
        assert "_auth_user_id" not in locked.wsgi_request.session
    # The admin's page stays the admin's page, and the lead gets in from another address.
    assert 'id="site-name"' in locked.content.decode()
    fine = _admin_login(Client(), "lead", PASSWORD, address="10.0.0.9")
    assert fine.status_code == 302 and fine.url == "/admin/"


def test_wrong_passwords_on_either_log_in_page_count_against_one_allowance(settings, lead):
    settings.LOGIN_FAILURES_ALLOWED = 4
    for _ in range(2):
        assert _admin_login(Client(), "lead", "wrong").status_code == 200
        assert _login(Client(), "lead", "wrong").status_code == 200
    assert _admin_login(Client(), "lead", PASSWORD).status_code == 429
    assert _login(Client(), "lead", PASSWORD).status_code == 429


def test_the_admin_log_in_still_refuses_teachers_and_lets_staff_in(client, alice, lead):
    refused = _admin_login(Client(), "alice", PASSWORD)
    assert refused.status_code == 200 and "staff account" in refused.content.decode()
    client.force_login(lead)
    assert client.get("/admin/login/").url == "/admin/"


def test_django_logs_in_a_look_alike_spelling_of_a_username(alice):
    # Why the count must key on the normalised name: Django itself treats the two as one account.
    from tests.builders import make_teacher

    make_teacher("alice4")
    assert _login(Client(), "alice\uff14", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "look_alike",
    [
        "alice\uff14",  # a fullwidth digit 4, which NFKC turns into "4"
        "ALICE4",
        " Alice4 ",
        "\uff41lice4",  # a fullwidth "a"
        "alice\u2074",  # a superscript 4
    ],
)
def test_look_alike_usernames_share_the_accounts_cool_off(settings, look_alike):
    from tests.builders import make_teacher

    make_teacher("alice4")
    settings.LOGIN_FAILURES_ALLOWED = 3
    for _ in range(3):
        assert _login(Client(), "alice4", "wrong").status_code == 200
    # Django would check this password against alice4's account: the spelling must not buy fresh guesses.
    attempt = _login(Client(), look_alike, PASSWORD)
    assert attempt.status_code == 429
    assert "_auth_user_id" not in attempt.wsgi_request.session
