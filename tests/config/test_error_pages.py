"""Every error a user can meet is a calm page with the support panel, never a traceback or a detail."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.config.error_urls"
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/bad/", 400, "Something went wrong with that request"),
        ("/forbidden/", 403, "open this page"),
        ("/no-such-page/", 404, "find that page"),
        ("/broken/", 500, "Something went wrong on our side"),
        ("/database-away/", 503, "Please wait a minute and try again"),
    ],
)
def test_it_shows_a_friendly_page_for_every_error(visitor, url, status, words):
    response = visitor.get(url)
    assert response.status_code == status
    page = response.content.decode()
    assert words in page
    assert 'href="tel:08001111"' in page and "Quick exit" in page
    assert "SECRET-DETAIL" not in page and "Traceback" not in page
    assert response["Cache-Control"] == "no-store"
