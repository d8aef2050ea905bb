"""On a shared school computer the next student must not open the last one's plan: the session cookie ends
with the browser, and "Finish and clear this computer" ends the whole session at once."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.builders import start_self_guided
from tests.plans.builders import build_plan, post_part

MARKER = "Pangolin-2093 is how I say no"
FINISH_FORM = '<form method="post" action="/plan/finish/"'


def build_marked_plan_in_a_lesson(client, package) -> str:
    start_self_guided(client, package)
    assert client.get("/lesson/meet-jordan/").status_code == 200
    build_plan(client, package)
    post_part(client, "why", {"why": MARKER})
    return client.cookies["sessionid"].value


def test_the_session_cookie_ends_when_the_browser_closes_and_the_server_still_expires_it(
    client, bundled_package
):
    response = start_self_guided(client, bundled_package)
    cookie = response.cookies["sessionid"]
    assert cookie.value
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert "expires=" not in cookie.output().lower() and "max-age" not in cookie.output().lower()
    expires = Session.objects.get(session_key=cookie.value).expire_date
    assert timezone.now() + timedelta(hours=23) < expires <= timezone.now() + timedelta(hours=24)


def test_finish_and_clear_ends_the_whole_session_and_the_old_cookie_opens_nothing(client, bundled_package):
    old_key = build_marked_plan_in_a_lesson(client, bundled_package)
    assert MARKER in client.get("/plan/summary/").content.decode()

    response = client.post("/plan/finish/")
    assert response.status_code == 302
    assert response["Location"] == "/plan/cleared/"
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert response.cookies["sessionid"].value == ""  # the browser is told to drop it
    assert not Session.objects.filter(session_key=old_key).exists()

    assert MARKER not in client.get("/plan/summary/").content.decode()
    client.cookies["sessionid"] = old_key  # someone kept the old cookie
    assert MARKER not in client.get("/plan/summary/").content.decode()
    assert client.get("/lesson/meet-jordan/")["Location"] == "/"
    assert not Session.objects.filter(session_key=old_key).exists()


def test_the_cleared_page_is_calm_says_to_close_the_browser_and_keeps_the_help(client, bundled_package):
    build_marked_plan_in_a_lesson(client, bundled_package)
    page = client.post("/plan/finish/", follow=True)
    assert page.status_code == 200
    text = page.content.decode()
    assert "This computer is cleared" in text
    assert "Now close this browser" in text
    assert "0800 1111" in text and 'href="/help/"' in text
    assert MARKER not in text
    assert "no-store" in page["Cache-Control"]
    assert "sessionid" not in page.cookies or page.cookies["sessionid"].value == ""
    assert Session.objects.count() == 0


def test_it_offers_finish_and_clear_at_the_end_of_the_lesson_and_on_the_plan(client, bundled_package):
    build_marked_plan_in_a_lesson(client, bundled_package)
    for url in ["/lesson/end/", "/plan/summary/"]:
        page = client.get(url).content.decode()
        assert FINISH_FORM in page, url
        assert "Finish and clear this computer" in page, url
    assert client.get("/plan/finish/").status_code == 405


def test_finish_and_clear_without_a_session_just_shows_the_page(client, db):
    response = client.post("/plan/finish/", follow=True)
    assert response.status_code == 200
    assert Session.objects.count() == 0
