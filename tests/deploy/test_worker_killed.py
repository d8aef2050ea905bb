"""A gunicorn worker killed while a class sends its feedback: no answer a student was thanked for is lost."""

import http.client
import os
import re
import signal
import time
import urllib.error
from pathlib import Path

import pytest

from feedback.models import FeedbackAnswer, FeedbackResponse, Stage
from tests.builders import make_class_session
from tests.concurrency import all_at_once
from tests.deploy.servers import Browser

pytestmark = pytest.mark.slow

STUDENTS = 12
# What a student sees when the worker handling their request dies: the connection drops.
DROPPED = (urllib.error.URLError, ConnectionError, http.client.HTTPException, TimeoutError)


def worker_pids(master: int) -> list[int]:
    return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def wait_for_workers(master: int, count: int, seconds: float = 30) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if len(pids := worker_pids(master)) == count:
            return pids
        time.sleep(0.1)
    raise AssertionError(f"gunicorn has workers {worker_pids(master)}, expected {count}")


def busiest_worker(master: int, port: int) -> int:
    """The worker holding the most client connections on `port` right now, that is with requests in hand."""
    established = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # ESTABLISHED, server side
                established.add(fields[9])

    def held(pid: int) -> int:
        sockets = 0
        for descriptor in Path(f"/proc/{pid}/fd").iterdir():
            try:
                sockets += os.readlink(descriptor)[8:-1] in established
            except OSError:
                continue
        return sockets

    return max(worker_pids(master), key=held)


class Student:
    """A browser that, like a student, reloads after a dropped connection (and counts how often)."""

    def __init__(self, base_url: str, number: int):
        self.base_url = base_url
        self.number = number
        self.browser = Browser()
        self.dropped = 0
        self.acknowledged: list[str] = []

    def request(self, path: str, data: dict | None = None):
        for _ in range(20):
            try:
                return self.browser.request(self.base_url + path, data, timeout=30)
            except DROPPED:
                self.dropped += 1
                time.sleep(0.2)
        raise AssertionError(f"student {self.number}: {path} kept failing")

    def submit(self, path: str, fields: dict, *, thanks: str, page=None) -> None:
        """Send a form (from `page` when it is already loaded) until the thanks page is reached; a reload that
        lands there means it was stored."""
        for _ in range(20):
            if page is None:
                page = self.request(path)
            if page.status == 302 and page.headers["Location"] == thanks:
                break
            assert page.status == 200, (path, page.status)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
            page = None
            try:
                sent = self.browser.request(
                    self.base_url + path, {"csrfmiddlewaretoken": token, **fields}, timeout=30
                )
            except DROPPED:
                self.dropped += 1
                continue
            assert sent.status == 302 and sent.headers["Location"] == thanks, (path, sent.status)
            break
        else:
            raise AssertionError(f"student {self.number}: {path} was never acknowledged")
        self.acknowledged.append(path)

    @property
    def comment(self) -> str:
        return f"worker-kill student {self.number}"


def test_killing_a_worker_mid_feedback_loses_no_acknowledged_answers(
    start_app_server, alice, bundled_package
):
    class_session = make_class_session(teacher=alice, package=bundled_package)
    story = list(
        bundled_package.steps.filter(detour=False).order_by("position").values_list("key", flat=True)
    )
    server = start_app_server(GUNICORN_CMD_ARGS="--workers 2 --no-control-socket")
    master = server.process.pid
    first_workers = wait_for_workers(master, 2)
    students = [Student(server.url, number) for number in range(1, STUDENTS + 1)]

    def ready(n: int):
        """A student's lesson up to the feedback form, loaded and not yet sent."""
        student = students[n]
        joined = student.request("/join/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', joined.text).group(1)
        sent = student.request("/join/", {"csrfmiddlewaretoken": token, "code": class_session.join_code})
        assert sent.status == 302 and sent.headers["Location"] == "/lesson/"
        student.submit(
            "/feedback/check-in/",
            {"confidence-saying-no": "4", "paying-stops-it": "False"},
            thanks=f"/lesson/{story[0]}/",  # the check-in leads on to the story's first step
        )
        for step in story:  # the whole story: the feedback counts only from a device that saw it
            assert student.request(f"/lesson/{step}/").status == 200
        return student.request("/feedback/")

    def send_feedback(n: int, form) -> None:
        fields = {"would-use-plan": "4", "law-under-18": "True", "what-change": students[n].comment}
        students[n].submit("/feedback/", fields, thanks="/feedback/thanks/", page=form)

    def kill_the_busiest_worker() -> None:
        time.sleep(0.01)  # every student's feedback form is on its way: kill a worker while they are handled
        victim = busiest_worker(master, server.port)
        assert victim in first_workers
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)

    killed: list[int] = []
    all_at_once(STUDENTS, send_feedback, ready=ready, meanwhile=kill_the_busiest_worker)

    assert server.process.poll() is None, "the gunicorn master must survive a worker's death"
    replacement = wait_for_workers(master, 2)
    assert killed[0] not in replacement
    for student in students:
        assert student.acknowledged == ["/feedback/check-in/", "/feedback/"], student.number
        stored = FeedbackAnswer.objects.filter(text=student.comment).values("response").distinct().count()
        assert stored == 1, (student.comment, stored)
    responses = FeedbackResponse.objects.filter(class_session=class_session)
    assert responses.filter(stage=Stage.FEEDBACK).count() == STUDENTS
    assert responses.filter(stage=Stage.CHECKIN).count() == STUDENTS
    assert sum(student.dropped for student in students) > 0, "the kill cut no request: nothing was tested"
