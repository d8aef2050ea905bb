"""A teacher in a browser context: logged in by a session cookie, without going through the form."""

from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext


def log_in(context: BrowserContext, user, server_url: str) -> None:
    """Gives the browser a logged-in teacher's session cookie."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": server_url}])
