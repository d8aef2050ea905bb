"""Security headers and cookies on every response, the admin for staff only, the health check and error pages."""

import pytest

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
