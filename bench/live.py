"""Issue 9 §4: the live lesson under a school's load. 1,000 students in 35 teacher-paced classes poll their
class's state every 2 s (If-None-Match, so an unchanged lesson costs a 304), open the teacher's new slide when
it changes, and vote on choice steps; 35 teachers press Next and their consoles and projectors poll too.

    .venv/bin/python bench/run.py live            # SQLite and PostgreSQL; writes its section of RESULTS.md

As a load generator (run.py starts it in its own process, so that its CPU use is its own):

    python bench/live.py CONFIG_JSON

It is asyncio on the standard library (one connection per request: gunicorn.conf.py keeps none alive), so one
process makes the ~500 requests a second; it reports its own CPU use, to show whether it was the limit. Like
nginx in front of gunicorn (docs/deploy.md), it reads a response's body by its length and closes the connection
at once: gunicorn's gthread worker waits in its main loop for each client to close before it takes the next
connection, so a client that waits for the server to close first would time its own event loop's delays.
"""

import asyncio
import json
import random
import re
import resource
import sys
import time
import urllib.parse
from collections import defaultdict

TIMEOUT = 10.0
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Browser:
    """One device's cookies, and requests on a new connection each (as the server closes every one)."""

    def __init__(self, run: "Run"):
        self.run = run
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    async def request(self, kind: str, method: str, path: str, *, headers=None, form=None, expect=(200,)):
        """(status, headers, body), recorded under `kind` with its time; None (an error recorded) on failure."""
        body = urllib.parse.urlencode(form).encode() if form is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.run.host}", "Connection: close"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{name}={value}" for name, value in self.cookies.items()))
        if form is not None:
            lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        started = time.perf_counter()
        try:
            answer = await asyncio.wait_for(self._exchange(raw), TIMEOUT)
        except (
            OSError,
            TimeoutError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            ValueError,
        ) as error:
            self.run.fail(kind, f"{type(error).__name__}: {error}")
            return None
        elapsed = time.perf_counter() - started
        status, response_headers, content = answer
        for value in response_headers.get("set-cookie", []):
            name, _, rest = value.partition("=")
            cookie = rest.split(";", 1)[0]
            if cookie and cookie != '""':
                self.cookies[name] = cookie
            else:
                self.cookies.pop(name, None)
        if status not in expect:
            self.run.fail(kind, f"HTTP {status}")
            return None
        self.run.record(kind, elapsed)
        return status, response_headers, content

    async def _exchange(self, raw: bytes):
        reader, writer = await asyncio.open_connection(self.run.address, self.run.port)
        try:
            writer.write(raw)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status_line, *header_lines = head[:-4].decode("latin-1").split("\r\n")
            headers: dict[str, list[str]] = defaultdict(list)
            for line in header_lines:
                name, _, value = line.partition(":")
                headers[name.strip().lower()].append(value.strip())
            status = int(status_line.split()[1])
            # As nginx in front of gunicorn does: read the body by its length and close at once, rather than
            # wait for the server to close first (gunicorn waits for the client's close before its next accept).
            if "content-length" in headers:
                content = await reader.readexactly(int(headers["content-length"][0]))
            elif status in (204, 304):
                content = b""
            else:
                content = await reader.read()
        finally:
            writer.close()
        return status, headers, content

    async def form_token(self, kind: str, path: str) -> bool:
        """GET a page with a form and keep its CSRF token (and the cookie it goes with)."""
        answer = await self.request(kind, "GET", path)
        found = answer and CSRF_FIELD.search(answer[2].decode())
        if found:
            self.csrf = found.group(1)
        return bool(found)


class Run:
    """The scenario's shared figures: every request's time by kind while measuring, errors, slides seen."""

    def __init__(self, config: dict):
        self.config = config
        parts = urllib.parse.urlsplit(config["host"])
        self.address, self.port, self.host = parts.hostname, parts.port, parts.netloc
        self.measuring = False
        self.stopping = False
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.setup_errors: dict[str, int] = defaultdict(int)  # joining and warm-up
        self.presses: list[dict] = []  # each Next while measuring: class, slide, when
        self.seen: dict[tuple[int, str], list[float]] = defaultdict(list)  # (class, slide): when each saw it
        self.class_sizes: dict[int, int] = {}

    def record(self, kind: str, seconds: float) -> None:
        if self.measuring:
            self.times[kind].append(seconds * 1000)

    def fail(self, kind: str, why: str) -> None:
        if self.measuring:
            self.errors[kind][why] += 1
        elif not self.stopping:
            self.setup_errors[f"{kind}: {why}"] += 1


async def student(run: Run, browser: Browser, class_pk: int, ready: asyncio.Event) -> None:
    """Poll every 2 s after the last answer (as live-student.js does), open the new slide when the class moves
    on, and vote a few seconds after a choice step appears (sometimes changing the vote once)."""
    config = run.config
    await ready.wait()
    await asyncio.sleep(random.uniform(0, config["poll_every"]))
    etag, slide, votes = "", None, []  # the student is on the ground rules, where joining led
    while not run.stopping:
        headers = {"If-None-Match": etag} if etag else {}
        answer = await browser.request("poll", "GET", "/live/", headers=headers, expect=(200, 304))
        if answer and answer[0] == 200:
            etag = answer[1]["etag"][0]
            state = json.loads(answer[2])
            if state["slide"] != slide:
                # The first answer is the slide the student joined on, whose page the join led to.
                moved, slide = slide is not None, state["slide"]
                run.seen[(class_pk, slide)].append(time.time())
                if moved and state["follow"] and state["url"]:
                    await browser.request("page", "GET", state["url"])
                    if slide in config["choices"]:
                        votes.append(asyncio.create_task(vote(run, browser, slide, state["url"])))
        await asyncio.sleep(config["poll_every"])
    for task in votes:
        task.cancel()


async def vote(run: Run, browser: Browser, key: str, url: str) -> None:
    """A vote as live-responses.js sends it (a fetch that gets the panel back), and a second thought at times."""
    options = run.config["choices"][key]
    for _ in range(2 if random.random() < 0.25 else 1):
        await asyncio.sleep(random.uniform(2, 10))
        form = {
            "option": random.choice(options),
            "slide": key,
            "next": url,
            "csrfmiddlewaretoken": browser.csrf,
        }
        await browser.request(
            "vote",
            "POST",
            f"/lesson/responses/{key}/vote/",
            form=form,
            headers={"X-Live-Responses": "panel", "Referer": f"{run.config['host']}{url}"},
        )


async def teacher(run: Run, browser: Browser, lesson: dict, start: int, ready: asyncio.Event) -> None:
    """Press Next every `next_every` seconds (classes out of step with each other), while the console polls the
    counts every 2.5 s and the projector polls conditionally every second (as static/lessons/live-screen.js)."""
    config, pk = run.config, lesson["pk"]
    await ready.wait()
    steps = config["steps"]
    offset = config["next_every"] * start / len(config["classes"])

    async def console() -> None:
        while not run.stopping:
            await browser.request("console poll", "GET", f"/teach/sessions/{pk}/live/?counts=1")
            await asyncio.sleep(config["console_every"])

    async def projector() -> None:
        etag = ""
        while not run.stopping:
            headers = {"If-None-Match": etag} if etag else {}
            answer = await browser.request(
                "projector poll", "GET", f"/teach/sessions/{pk}/live/", headers=headers, expect=(200, 304)
            )
            if answer and answer[0] == 200:
                etag = answer[1]["etag"][0]
            await asyncio.sleep(config["projector_every"])

    polling = [asyncio.create_task(console()), asyncio.create_task(projector())]
    await asyncio.sleep(offset)
    index = start % len(steps)
    while not run.stopping:
        slide = steps[index]
        pressed = time.time()
        answer = await browser.request(
            "next",
            "POST",
            f"/teach/sessions/{pk}/live/show/",
            form={"slide": slide, "csrfmiddlewaretoken": browser.csrf},
            headers={"Referer": f"{config['host']}/teach/sessions/{pk}/console/"},
            expect=(302,),
        )
        if answer and run.measuring:
            run.presses.append({"class": pk, "slide": slide, "at": pressed})
        index = (index + 1) % len(steps)
        await asyncio.sleep(config["next_every"])
    for task in polling:
        task.cancel()


async def join(run: Run, browser: Browser, code: str, gate: asyncio.Semaphore) -> bool:
    async with gate:
        if not await browser.form_token("join", f"/join/?code={code}"):
            return False
        answer = await browser.request(
            "join", "POST", "/join/", form={"code": code, "csrfmiddlewaretoken": browser.csrf}, expect=(302,)
        )
        return bool(answer) and "live_class" in browser.cookies


async def log_in(run: Run, browser: Browser, lesson: dict, gate: asyncio.Semaphore) -> bool:
    async with gate:
        if not await browser.form_token("log in", "/accounts/login/"):
            return False
        form = {
            "username": lesson["teacher"],
            "password": run.config["password"],
            "csrfmiddlewaretoken": browser.csrf,
        }
        if not await browser.request("log in", "POST", "/accounts/login/", form=form, expect=(302,)):
            return False
        # Logging in changes the CSRF token: take the console's, as the teacher's browser does.
        return await browser.form_token("console", f"/teach/sessions/{lesson['pk']}/console/")


async def scenario(config: dict) -> dict:
    run = Run(config)
    ready = asyncio.Event()
    gate = asyncio.Semaphore(config["join_concurrency"])
    classes = config["classes"]
    tasks, joins = [], []
    started = time.monotonic()
    for number, lesson in enumerate(classes):
        size = config["students"] // len(classes) + (number < config["students"] % len(classes))
        run.class_sizes[lesson["pk"]] = size
        browser = Browser(run)
        joins.append(log_in(run, browser, lesson, gate))
        tasks.append(teacher(run, browser, lesson, number, ready))
        for _ in range(size):
            browser = Browser(run)
            joins.append(join(run, browser, lesson["join_code"], gate))
            tasks.append(student(run, browser, lesson["pk"], ready))
    joined = await asyncio.gather(*joins)
    setup_seconds = time.monotonic() - started
    running = [asyncio.create_task(task) for task in tasks]
    ready.set()
    await asyncio.sleep(config["warmup"])
    run.measuring = True
    cpu, began = cpu_seconds(), time.monotonic()
    await asyncio.sleep(config["seconds"])
    elapsed, cpu_used = time.monotonic() - began, cpu_seconds() - cpu
    run.measuring = False
    # Let the last Next's slide reach every screen before stopping (its students are still polling).
    await asyncio.sleep(config["poll_every"] * 2 + 1)
    run.stopping = True
    await asyncio.wait(running, timeout=TIMEOUT + config["poll_every"] + 5)
    return {
        "setup_seconds": setup_seconds,
        "setup_failed": joined.count(False),
        "setup_errors": dict(run.setup_errors),
        "seconds": elapsed,
        "generator_cpu": cpu_used / elapsed,
        "times": dict(run.times),
        "errors": {kind: dict(why) for kind, why in run.errors.items()},
        "presses": run.presses,
        "seen": {f"{pk} {slide}": times for (pk, slide), times in run.seen.items()},
        "class_sizes": run.class_sizes,
    }


def main() -> None:
    config = json.loads(sys.argv[1])
    print(json.dumps(asyncio.run(scenario(config))))


if __name__ == "__main__":
    main()
