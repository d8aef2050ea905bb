"""No page loads anything from another host: every page reachable by a student and a teacher is scanned.

Links a person clicks (<a href>) may point anywhere; everything a browser fetches by itself must be ours.
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings

from tests.builders import join_class, make_class_session, start_self_guided
from tests.crawl import HOST, crawl

pytestmark = pytest.mark.django_db

# Attributes that make a browser fetch or send something without a person choosing a link.
FETCHING = {
    "script": ["src"],
    "link": ["href"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "iframe": ["src"],
    "frame": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "track": ["src"],
    "form": ["action"],
    "button": ["formaction"],
    "input": ["formaction", "src"],
    "base": ["href"],
    "image": ["href", "xlink:href"],
    "use": ["href", "xlink:href"],
}
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.IGNORECASE)


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fetched: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name in FETCHING.get(tag, []):
            if values.get(name):
                self.fetched += (
                    [part.split()[0] for part in values[name].split(",")]
                    if "srcset" in name
                    else [values[name]]
                )
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.fetched.append((values.get("content") or "").partition("url=")[2] or "/")
        if values.get("style"):
            self.fetched += CSS_URL.findall(values["style"])
        self._in_style = tag == "style"

    def handle_data(self, data):
        if self._in_style:
            self.fetched += CSS_URL.findall(data)

    def handle_endtag(self, tag):
        self._in_style = False


def _is_ours(url: str, page_url: str) -> bool:
    parts = urlsplit(urljoin(f"http://{HOST}{page_url}", url))
    return parts.scheme in {"http", "https", "data"} and (parts.scheme == "data" or parts.netloc == HOST)


def _crawl(client, start: list[str]) -> dict[str, list[str]]:
    """Every same-site page reachable by links, with what each fetches from another host."""
    problems = {}
    for url, html in crawl(client, start):
        scanner = _Scanner()
        scanner.feed(html)
        if bad := [fetched for fetched in scanner.fetched if not _is_ours(fetched, url)]:
            problems[url] = bad
    return problems


def test_the_scanner_catches_a_page_that_loads_from_another_host():
    scanner = _Scanner()
    scanner.feed(
        '<link rel="stylesheet" href="https://cdn.example/x.css"><img srcset="//img.example/a.png 2x">'
        '<form action="https://forms.example/"></form><div style="background: url(http://x.example/b.png)">'
        '<a href="https://www.childline.org.uk/">fine</a><script src="/static/ok.js"></script>'
    )
    assert [f for f in scanner.fetched if not _is_ours(f, "/")] == [
        "https://cdn.example/x.css",
        "//img.example/a.png",
        "https://forms.example/",
        "http://x.example/b.png",
    ]


def test_no_student_page_loads_anything_from_another_host(client, bundled_package, alice):
    start_self_guided(client, bundled_package)
    steps = [f"/lesson/{step.key}/" for step in bundled_package.steps.all()]
    choices = [f"/lesson/{step.key}/?option=1" for step in bundled_package.steps.filter(kind="choice")]
    assert _crawl(client, ["/", "/join/", "/help/", "/lesson/", *steps, *choices, "/lesson/end/"]) == {}
    join_class(client, make_class_session(teacher=alice, package=bundled_package))
    assert _crawl(client, ["/lesson/", "/lesson/end/", "/plan/", "/feedback/"]) == {}


def test_no_teacher_page_loads_anything_from_another_host(client, bundled_package, alice):
    class_session = make_class_session(teacher=alice, package=bundled_package)
    assert _crawl(client, ["/accounts/login/"]) == {}
    client.force_login(alice)
    present = [f"/teach/sessions/{class_session.pk}/present/{s.key}/" for s in bundled_package.steps.all()]
    assert _crawl(client, ["/teach/", f"/teach/sessions/{class_session.pk}/", *present]) == {}


def test_no_stylesheet_or_script_of_ours_fetches_from_another_host():
    offenders = {}
    for path in Path(settings.BASE_DIR, "static").rglob("*"):
        if path.suffix in {".css", ".js"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            urls = [
                u for u in CSS_URL.findall(text) if not u.startswith("data:") and re.match(r"(https?:)?//", u)
            ]
            if path.suffix == ".js":
                urls += re.findall(r"""(?:fetch|import|XMLHttpRequest)\s*\(\s*['"](https?://[^'"]+)""", text)
            if urls:
                offenders[str(path)] = urls
    assert offenders == {}
