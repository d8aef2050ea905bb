"""The production server's access log: every request has its line, except students' answered polls."""

import re

import pytest

from tests.builders import make_class_session
from tests.deploy.servers import Browser

pytestmark = pytest.mark.slow


def _logged(log_text: str) -> list[tuple[str, str, int]]:
    """(method, path, status) of each access line (gunicorn.conf.py's format: "GET /path" 200 ...)."""
    return [
        (method, path, int(status))
        for method, path, status in re.findall(r'^"(\w+) (\S+)" (\d{3}) ', log_text, flags=re.MULTILINE)
    ]


def test_answered_polls_are_left_out_and_everything_else_is_logged(start_app_server, alice, bundled_package):
    server = start_app_server()  # the access log goes to standard output, as on a school's server
    lesson = make_class_session(teacher=alice, package=bundled_package)
    stranger, student = Browser(), Browser()
    assert stranger.get(f"{server.url}/live/").status == 204  # follows no class
    assert student.post_form(f"{server.url}/join/", {"code": lesson.join_code}).status == 302
    first = student.get(f"{server.url}/live/")
    assert first.status == 200
    assert student.poll(f"{server.url}/live/", first.headers["ETag"]) == (304, {})
    refused = student.request(f"{server.url}/live/", data={}).status  # not a poll: refused (no CSRF token)
    assert refused >= 400
    assert student.get(f"{server.url}/lesson/").status == 200
    server.stop()  # every line written

    logged = _logged(server.log.read_text())
    assert ("POST", "/live/", refused) in logged
    assert ("GET", "/lesson/", 200) in logged
    assert ("POST", "/join/", 302) in logged
    assert [line for line in logged if line[:2] == ("GET", "/live/")] == []
