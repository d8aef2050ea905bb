"""Simulated students for locust: a whole lesson (join to feedback), and readers of one page for throughput.

Every request is named by its kind ("GET /lesson/<step>/"), so that the statistics give a p95 per kind.
A response is checked as a browser's user would judge it: the right status, the right redirect, a real PDF.
"""

import functools
import random
import time
from urllib.parse import urlencode

from forms import choice_options, links, next_link, previous_link, read_form, static_assets
from locust import FastHttpUser, constant, task
from locust.exception import StopUser

PLAN_PARTS = ["strategies", "lines", "words", "signs", "people", "help", "already", "why"]
FEEDBACK_MARKER = "bench student {run}-{number}"


def is_step_link(link: str) -> bool:
    """A link to a step's page, not to the lesson's other pages (the ground rules, "back to where you were",
    the end)."""
    return link.startswith("/lesson/") and link not in {"/lesson/", "/lesson/resume/", "/lesson/end/"}


class RequestFailed(Exception):
    """A request that a student would see as broken, after any retries allowed."""


class Student(FastHttpUser):
    """One student's whole lesson: join with the code, check in, walk every step (taking a detour), build,
    read and download a plan, then give feedback. Runs once, then stops.

    Settings come from the load generator: `join_code`, `think` (seconds between pages, min and max),
    `retries` (attempts again after a dropped connection or a 502/503, as a student pressing reload
    would: 0 in the benchmarks, more when a worker is killed on purpose) and `run_label` (tells the comments of
    one run apart).
    """

    abstract = True
    wait_time = constant(0)
    join_code = ""
    think: tuple[float, float] = (0.3, 1.0)
    retries = 0
    run_label = "0"
    arrival_gap = 0.0  # seconds between one student's arrival and the next (all are spawned at once)
    download = True  # False leaves the PDF out, to show what renders cost the pages around them
    numbers = iter(range(1, 1_000_000))
    acknowledged: list[dict] = []  # shared across the run: one entry per submission that got its success page
    journeys: list[dict] = []
    feedback_post = staticmethod(lambda post: post())  # the load generator hooks its fault injection here

    def on_start(self):
        self.number = next(Student.numbers)
        self.cached: set[str] = set()
        time.sleep((self.number - 1) * self.arrival_gap)

    @task
    def lesson(self):
        started = time.time()
        try:
            self.join()
            self.check_in()
            self.walk()
            self.build_plan()
            self.give_feedback()
            self.journeys.append(
                {"number": self.number, "seconds": time.time() - started, "ended": time.time(), "done": True}
            )
        except Exception as failure:  # noqa: BLE001 - any failure ends this student's lesson, recorded
            self.journeys.append(
                {
                    "number": self.number,
                    "seconds": time.time() - started,
                    "ended": time.time(),
                    "done": False,
                    "error": repr(failure),
                }
            )
        raise StopUser()

    # Requests ------------------------------------------------------------------------------------------

    def pause(self):
        time.sleep(random.uniform(*self.think))

    def fetch(self, method: str, path: str, kind: str, *, data=None, expect=200, location: str = ""):
        """One request, checked; retried (as a reload) only after a dropped connection or a 502/503."""
        body, headers = None, {}
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(self.retries + 1):
            with self.client.request(
                method,
                path,
                name=kind,
                data=body,
                headers=headers,
                allow_redirects=False,
                catch_response=True,
            ) as response:
                status = response.status_code or 0
                expected = status in expect if isinstance(expect, tuple) else status == expect
                if expected and (
                    not location or status != 302 or response.headers.get("Location") == location
                ):
                    response.success()
                    return response
                problem = f"{kind}: status {status}" + (
                    f", Location {response.headers.get('Location')}" if status in (301, 302) else ""
                )
                response.failure(problem)
            if status not in (0, 502, 503) or attempt == self.retries:
                raise RequestFailed(problem)
            time.sleep(0.5)
        raise AssertionError("unreachable")

    def page(self, path: str, kind: str):
        response = self.fetch("GET", path, kind)
        self.static_files(response.text)
        return response.text

    def static_files(self, html: str):
        """A browser's first visit fetches the hashed CSS and JS once; afterwards they come from its cache."""
        for asset in static_assets(html):
            if asset not in self.cached:
                self.fetch("GET", asset, "GET /static/ (first visit only)")
                self.cached.add(asset)

    def submit(self, page: str, kind: str, answer, *, location: str, on_post=None):
        """Load the form (for its CSRF token), fill it in with `answer(form)`, post it; after a dropped
        connection, start again from the form as a student reloading the page would. A form that now
        redirects to `location` was stored after all: the student sees the same thanks page."""
        for attempt in range(self.retries + 1):
            form_page = self.fetch("GET", page, f"GET {page}", expect=(200, 302))
            if form_page.status_code == 302:
                if form_page.headers.get("Location") == location:
                    return form_page
                raise RequestFailed(f"GET {page}: sent to {form_page.headers.get('Location')}")
            self.static_files(form_page.text)
            form = read_form(form_page.text)
            self.pause()
            post = functools.partial(
                self.fetch,
                "POST",
                page,
                kind,
                data={**form.values, **answer(form)},
                expect=302,
                location=location,
            )
            try:
                return on_post(post) if on_post else post()
            except RequestFailed:
                if attempt == self.retries:
                    raise
        raise AssertionError("unreachable")

    # The lesson ----------------------------------------------------------------------------------------

    def join(self):
        self.submit("/join/", "POST /join/", lambda form: {"code": self.join_code}, location="/lesson/")
        self.page("/lesson/", "GET /lesson/ (ground rules)")
        # The ground rules lead to the check-in (step 1), whose "skip" link names the story's first step.
        checkin = self.page("/feedback/check-in/", "GET /feedback/check-in/")
        self.first_step = next(
            link for link in links(checkin) if link.startswith("/lesson/") and link != "/lesson/"
        )

    def check_in(self):
        def answer(form):
            return {name: random.choice([v for v in values if v]) for name, values in form.options.items()}

        # Sent, the check-in leads on to the story's first step (which walk() then loads).
        self.submit("/feedback/check-in/", "POST /feedback/check-in/", answer, location=self.first_step)
        self.acknowledged.append({"number": self.number, "stage": "checkin"})

    def walk(self):
        """Every main step by its Next link; on a choice, pick options and follow a detour when one opens."""
        path = self.first_step
        seen = set()
        while path and path.startswith("/lesson/") and path != "/lesson/end/" and path not in seen:
            seen.add(path)
            self.pause()
            html = self.page(path, "GET /lesson/<step>/")
            following = next_link(html)
            for option in choice_options(html)[:2]:
                self.pause()
                chosen = self.page(f"{path}?option={option}", "GET /lesson/<step>/?option=")
                known = {path, following, previous_link(chosen), "/lesson/"}
                for detour in [link for link in links(chosen) if is_step_link(link)]:
                    if detour not in known and detour not in seen:
                        seen.add(detour)
                        self.pause()
                        self.page(detour, "GET /lesson/<step>/")
            path = following
        self.page("/lesson/end/", "GET /lesson/end/")
        resumed = self.fetch("GET", "/lesson/resume/", "GET /lesson/resume/", expect=302)
        if resumed.headers.get("Location") != "/lesson/your-plan/":
            raise RequestFailed(f"GET /lesson/resume/: sent to {resumed.headers.get('Location')}")

    def build_plan(self):
        self.page("/plan/", "GET /plan/")
        for part in PLAN_PARTS:
            url = f"/plan/{part}/"
            html = self.page(url, "GET /plan/<part>/")
            self.pause()
            form = read_form(html)
            data = {**form.values, "next": ""}
            for name, values in form.options.items():
                data[name] = values[:2]
            for name in form.text_fields:
                if name.startswith("own_") or name == "own_signs":
                    data[name] = "They keep asking" if name == "own_signs" else "I'm logging off now"
                elif name.startswith("person_"):
                    data[name] = {"person_1": "my aunt", "person_2": "form tutor"}.get(name, "")
                elif name == "why":
                    data[name] = "I decide who sees me."
            following = (
                f"/plan/{PLAN_PARTS[PLAN_PARTS.index(part) + 1]}/" if part != "why" else "/plan/summary/"
            )
            self.fetch("POST", url, "POST /plan/<part>/", data=data, expect=302, location=following)
        self.page("/plan/summary/", "GET /plan/summary/")
        if not self.download:
            return
        self.pause()
        pdf = self.fetch("GET", "/plan/download/", "GET /plan/download/")
        if not (pdf.content or b"").startswith(b"%PDF-") or "pdf" not in pdf.headers.get("Content-Type", ""):
            raise RequestFailed("GET /plan/download/: not a PDF")

    def give_feedback(self):
        marker = FEEDBACK_MARKER.format(run=self.run_label, number=self.number)

        def answer(form):
            answers = {name: marker for name in form.text_fields}
            for name, values in form.options.items():
                chosen = [v for v in values if v]
                answers[name] = chosen[:2] if name == "useful-steps" else random.choice(chosen)
            return answers

        self.submit(
            "/feedback/", "POST /feedback/", answer, location="/feedback/thanks/", on_post=self.feedback_post
        )
        self.acknowledged.append({"number": self.number, "stage": "feedback", "marker": marker})
        self.page("/feedback/thanks/", "GET /feedback/thanks/")


class BareView(FastHttpUser):
    """The cheapest Django response on the same server (BENCH_VIEWS=true): the ceiling for any page."""

    abstract = True
    wait_time = constant(0)

    @task
    def bare(self):
        self.client.get("/bench/bare", name="GET /bench/bare")


class LessonReader(FastHttpUser):
    """A student with a session who keeps moving between two steps, so every view also saves their place
    (one UPDATE of the session row), as a real walk through the lesson does."""

    abstract = True
    wait_time = constant(0)
    join_code = ""
    steps = ("/lesson/meet-jordan/", "/lesson/alex-asks/")
    moving = True

    def on_start(self):
        page = self.client.get("/join/", name="setup")
        token = read_form(page.text).csrf_token
        with self.client.post(
            "/join/",
            data={"csrfmiddlewaretoken": token, "code": self.join_code},
            name="setup",
            catch_response=True,
        ) as joined:
            if not joined.url.endswith("/lesson/"):  # a full class (409) would leave the student outside
                joined.failure(f"could not join: status {joined.status_code}")
        self.turn = 0

    @task
    def step(self):
        self.turn += 1
        path = self.steps[self.turn % 2] if self.moving else self.steps[0]
        with self.client.get(path, name="GET /lesson/<step>/", catch_response=True) as response:
            if response.status_code != 200 or "Step " not in (response.text or ""):
                response.failure(f"status {response.status_code}")
