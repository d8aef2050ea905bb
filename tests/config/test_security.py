"""Security headers on every response, the teacher log-in cool-off, the health check and error pages."""

import pytest
from django.test import Client

from accounts.models import FailureCount
from tests.builders import PASSWORD

pytestmark = pytest.mark.django_db


def test_every_response_carries_the_security_headers(client, mini_package):
    for url in ["/", "/join/", "/accounts/login/", "/no-such-page/", "/healthz", "/static/css/app.css"]:
        response = client.get(url)
        csp = response.get("Content-Security-Policy", "")
        if not url.startswith("/static/"):
            assert "default-src 'self'" in csp, url
            assert "frame-ancestors 'none'" in csp, url
            assert "'unsafe-inline'" not in csp, url
            assert "script-src 'self'" in csp and "style-src 'self'" in csp, url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert (
            "camera=()" in response["Permissions-Policy"]
            and "geolocation=()" in response["Permissions-Policy"]
        )


def test_cookies_are_http_only(client, mini_package):
    client.get("/join/")
    client.post(f"/start/{mini_package.pk}/")
    assert client.cookies["sessionid"]["httponly"]
    assert client.cookies["csrftoken"]["httponly"]


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


def test_the_admin_is_for_staff_only(client, alice, lead):
    client.force_login(alice)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
    client.force_login(lead)
    assert client.get("/admin/").status_code == 200


def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"


def test_error_pages_are_friendly_and_carry_the_support_panel(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "find that page" in page
    assert 'href="tel:08001111"' in page and "Quick exit" in page
    assert "Traceback" not in page


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
