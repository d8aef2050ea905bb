"""Hypothesis posts random and hostile data to every form a student or teacher can reach, and random values
to URL parameters: never a 500, always an answer, and nothing stored from a refused request."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import join_class, make_class_session, make_teacher, start_self_guided
from tests.crawl import crawl

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<img src='file:///etc/passwd'>",
    "url(http://127.0.0.1:9/)",
    "'; DROP TABLE lessons_package; --",
    "\x00",
    "a\x00b",
    "\u202eevil",
    "\u200b\u200c\u200d",
    "😀" * 40,
    "x" * 10_000,
    "../../../../etc/passwd",
    "%00%0d%0a",
    "\r\n\r\n",
    "-1",
    "99999999999999999999",
    "",
    " ",
]
text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300))
SKIP_ACTIONS = ("/accounts/logout/",)


class _Forms(HTMLParser):
    """Every form on a page, with its fields and the values its options offer."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._current = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action") or "",
                "fields": {},
            }
            self.forms.append(self._current)
        if self._current is None or not a.get("name"):
            if tag == "option" and self._current is not None and self._select:
                self._current["fields"][self._select].append(a.get("value", ""))
            return
        fields = self._current["fields"]
        if tag in {"input", "button"}:
            fields.setdefault(a["name"], []).append(a.get("value", ""))
        elif tag == "textarea":
            fields.setdefault(a["name"], [])
        elif tag == "select":
            self._select = a["name"]
            fields.setdefault(a["name"], [])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        if tag == "select":
            self._select = None


def _discover(client: Client, start: list[str]) -> list[tuple[str, dict]]:
    """(page URL, form) for every form on every same-site page reachable from `start`."""
    found = []
    for url, html in crawl(client, start, limit=120):
        parser = _Forms()
        parser.feed(html)
        found += [(url, form) for form in parser.forms]
    return found


def _stored_rows() -> dict[str, int]:
    """Rows in every model that holds answers or content (failed-attempt counters and sessions aside), in one
    query: it is asked before and after each of hundreds of submissions."""
    counted = [
        m
        for m in apps.get_models()
        if m._meta.app_label in {"lessons", "plans", "feedback", "auth"} and m.__name__ != "FailureCount"
    ]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # The models' own table names, quoted: nothing from outside goes into the query.
        counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in counted)  # noqa: S608
        cursor.execute(f"SELECT {counts}")  # noqa: S608
        rows = cursor.fetchone()
    return {m._meta.label: count for m, count in zip(counted, rows, strict=True)}


def _values(form: dict):
    """A strategy for a whole form submission: each field gets an offered value, hostile text, or nothing."""
    fields = {}
    for name, offered in form["fields"].items():
        if name == "csrfmiddlewaretoken":
            continue
        choices = [v for v in offered if v]
        one = st.one_of(st.sampled_from(choices), text) if choices else text
        fields[name] = st.one_of(st.none(), one, st.lists(one, max_size=4))
    return st.fixed_dictionaries(fields)


def _fuzz(client: Client, page_url: str, form: dict, data) -> None:
    action = urljoin(page_url, form["action"] or page_url)
    payload = {k: v for k, v in data.items() if v is not None}
    token = form["fields"].get("csrfmiddlewaretoken")
    if token:
        payload["csrfmiddlewaretoken"] = token[0]
    before_rows = _stored_rows()
    before_session = dict(client.session.items())
    response = client.post(action, payload) if form["method"] == "post" else client.get(action, payload)
    assert response.status_code < 500, (action, payload, response.status_code)
    if response.status_code >= 400 or (form["method"] == "post" and response.status_code == 200):
        assert _stored_rows() == before_rows, (action, payload)
        if form["method"] == "post":
            after = dict(client.session.items())
            assert {k: v for k, v in after.items() if k != "feedback"} == {
                k: v for k, v in before_session.items() if k != "feedback"
            }, (action, payload)


def _fuzz_form(client: Client, page_url: str, form: dict, examples: int = 15) -> None:
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=_values(form))
    def check(data):
        _fuzz(client, page_url, form, data)

    check()


def _student_forms(client, bundled_package) -> list[tuple[str, dict]]:
    steps = [f"/lesson/{step.key}/" for step in bundled_package.steps.all()]
    plan_pages = [
        "/plan/",
        *[
            f"/plan/{key}/"
            for key in ["strategies", "lines", "words", "signs", "people", "help", "already", "why"]
        ],
    ]
    return _discover(
        client,
        [
            "/",
            "/join/",
            "/lesson/",
            *steps,
            "/lesson/end/",
            *plan_pages,
            "/plan/summary/",
            "/feedback/check-in/",
            "/feedback/",
        ],
    )


@pytest.fixture
def class_student(bundled_package):
    teacher = make_teacher("fuzz-teacher")
    class_session = make_class_session(teacher=teacher, package=bundled_package)
    client = Client()
    join_class(client, class_session)
    return client


@pytest.mark.long
def test_every_student_form_survives_random_and_hostile_input(class_student, bundled_package):
    forms = [
        (url, form)
        for url, form in _student_forms(class_student, bundled_package)
        if not form["action"].endswith(SKIP_ACTIONS)
    ]
    assert len(forms) >= 8, [url for url, _ in forms]

    for page_url, form in forms:
        _fuzz_form(class_student, page_url, form)


def test_every_teacher_form_survives_random_and_hostile_input(client, bundled_package, alice):
    class_session = make_class_session(teacher=alice, package=bundled_package)
    client.force_login(alice)
    forms = [
        (url, form)
        for url, form in _discover(
            client, ["/teach/", f"/teach/sessions/{class_session.pk}/", "/feedback/results/"]
        )
        if not form["action"].endswith(SKIP_ACTIONS) and "/close/" not in form["action"]
    ]
    assert forms, "no teacher forms found"
    for page_url, form in forms:
        _fuzz_form(client, page_url, form)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    path=st.sampled_from(
        [
            "/",
            "/join/",
            "/lesson/",
            "/lesson/go-back/",
            "/lesson/end/",
            "/help/",
            "/plan/",
            "/plan/summary/",
            "/feedback/",
            "/accounts/login/",
        ]
    ),
    params=st.dictionaries(
        st.sampled_from(["option", "code", "word", "next", "page", "step", "q"]), text, max_size=3
    ),
)
def test_random_url_parameters_never_cause_a_server_error(client, bundled_package, path, params):
    start_self_guided(client, bundled_package)
    response = client.get(path, params)
    assert response.status_code < 500


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(segment=st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=80)))
def test_random_paths_never_cause_a_server_error(client, bundled_package, alice, segment):
    client.force_login(alice)
    for prefix in ["/lesson/", "/plan/", "/teach/sessions/", "/feedback/results/sessions/"]:
        response = client.get(prefix + re.sub(r"[\x00-\x1f]", "", segment) + "/")
        assert response.status_code < 500
