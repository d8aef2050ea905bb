"""The database going away: the friendly 503 page and /healthz 503, then recovery without a restart."""

import os
import urllib.parse
from pathlib import Path

import pytest
from django.db import connection

from tests.deploy.proxy import CuttableProxy
from tests.deploy.servers import Browser

pytestmark = pytest.mark.slow


@pytest.fixture
def server_and_outage(start_app_server, bundled_package):
    """A real server, and functions that take its database away and bring it back."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        proxy = CuttableProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
        url = (
            f"postgres://{urllib.parse.quote(db['USER'])}:{urllib.parse.quote(db['PASSWORD'] or '')}"
            f"@127.0.0.1:{proxy.port}/{db['NAME']}"
        )
        server = start_app_server(DATABASE_URL=url)
        yield server, proxy.cut, proxy.restore
        proxy.close()
    else:
        path = Path(connection.settings_dict["NAME"])
        away = path.with_name(path.name + ".away")
        # A connection kept open would go on reading the moved file, so this server opens one per request,
        # as a connection does after a failure.
        server = start_app_server(SQLITE_CONN_MAX_AGE="0")

        def take_away():
            os.rename(path, away)
            # SQLite would create an empty file in its place: a directory there makes opening fail instead.
            path.mkdir()

        def bring_back():
            path.rmdir()
            os.rename(away, path)

        yield server, take_away, bring_back
        if away.exists():
            bring_back()


def test_a_lost_database_gives_the_503_page_and_the_app_recovers_by_itself(
    server_and_outage, bundled_package
):
    server, take_away, bring_back = server_and_outage
    student = Browser()
    started = student.post_form(f"{server.url}/", {}, action=f"{server.url}/start/{bundled_package.pk}/")
    assert started.status == 302
    assert student.get(f"{server.url}/lesson/meet-jordan/").status == 200

    take_away()
    try:
        health = Browser().get(f"{server.url}/healthz")
        assert health.status == 503 and health.text == "unavailable\n"
        page = student.get(f"{server.url}/lesson/alex-asks/")
        assert page.status == 503
        assert "Please wait a minute and try again" in page.text
        assert 'href="tel:08001111"' in page.text and "Traceback" not in page.text
        assert page.headers.get("Retry-After") == "30"
    finally:
        bring_back()

    assert Browser().get(f"{server.url}/healthz").status == 200
    title = bundled_package.steps.get(key="alex-asks").title
    assert title in student.get(f"{server.url}/lesson/alex-asks/").text
