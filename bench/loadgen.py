"""Runs one load scenario with locust (as a library, headless) and prints its figures as JSON.

    python bench/loadgen.py '{"scenario": "pages", "host": "http://127.0.0.1:8001", ...}'

Kept in its own process because locust patches the standard library for gevent. Every scenario is bounded
by a time limit and a request cap, and stops by itself.
"""

import json
import os
import resource
import signal
import sys
import time
from pathlib import Path

import gevent
import gevent.event
from locust import between
from locust.env import Environment
from students import BareView, LessonReader, Student


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def entry_figures(entry) -> dict:
    count = entry.num_requests
    return {
        "count": count,
        "failures": entry.num_failures,
        "p50": entry.get_response_time_percentile(0.5) if count else None,
        "p95": entry.get_response_time_percentile(0.95) if count else None,
        "max": entry.max_response_time if count else None,
    }


def by_kind(environment: Environment) -> dict:
    return {name: entry_figures(entry) for (name, _), entry in sorted(environment.stats.entries.items())}


def errors(environment: Environment) -> list[dict]:
    return [
        {"kind": error.name, "error": str(error.error), "occurrences": error.occurrences}
        for error in environment.stats.errors.values()
    ]


def capped(environment: Environment, max_requests: int) -> None:
    """Stop the run if it ever sends more requests than the scenario should need."""

    def on_request(**kwargs):
        if environment.stats.total.num_requests >= max_requests and environment.runner:
            gevent.spawn(environment.runner.quit)

    environment.events.request.add_listener(on_request)


def phase(user_class, config: dict, spec: dict) -> dict:
    """One closed-loop phase: `users` users, warm-up, then a measured window with statistics reset."""
    attributes = {"abstract": False, "join_code": config.get("join_code", "")}
    if spec.get("paced"):  # a pause around `paced` seconds after each page, as a student reading it
        attributes["wait_time"] = between(0.5 * spec["paced"], 1.5 * spec["paced"])
    if spec["user"] == "revisit":
        attributes["moving"] = False
    user = type(f"{user_class.__name__}_{spec['user']}", (user_class,), attributes)
    environment = Environment(user_classes=[user], host=config["host"])
    runner = environment.create_local_runner()
    capped(environment, spec.get("max_requests", 200_000))
    runner.start(spec["users"], spawn_rate=spec["users"])
    gevent.sleep(spec["warmup"])
    environment.stats.reset_all()
    cpu, started = cpu_seconds(), time.monotonic()
    gevent.sleep(spec["seconds"])
    elapsed = time.monotonic() - started
    cpu_used = cpu_seconds() - cpu
    total = environment.stats.total
    figures = {
        "user": spec["user"],
        "users": spec["users"],
        "seconds": elapsed,
        "rps": total.num_requests / elapsed,
        "generator_cpu": cpu_used / elapsed,
        **entry_figures(total),
        "errors": errors(environment),
    }
    runner.quit()
    return figures


def pages(config: dict) -> dict:
    classes = {"bare": BareView, "walk": LessonReader, "revisit": LessonReader}
    return {"phases": [phase(classes[spec["user"]], config, spec) for spec in config["phases"]]}


def busiest_worker(master: int, port: int) -> tuple[int, int]:
    """The worker holding the most client connections on the server's port: the one with requests in hand
    (the server closes every connection after its response). Read from /proc; (pid, connections)."""
    established = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # ESTABLISHED, our side
                established.add(fields[9])
    counts = []
    for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        held = 0
        for descriptor in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(descriptor)
            except OSError:
                continue
            held += target.startswith("socket:[") and target[8:-1] in established
        counts.append((held, int(pid)))
    held, pid = max(counts)
    return pid, held


def worker_killer(kill: dict, report: dict):
    """Wraps every feedback POST: the first `together` students to send their feedback wait for each other
    (at most `wait` seconds), send it at once, and one gunicorn worker (never the master) gets SIGKILL
    `delay` seconds later, while those submissions are being handled."""
    gate = gevent.event.Event()
    state = {"waiting": 0, "in_flight": 0}

    def kill_worker():
        victim, connections = busiest_worker(kill["master_pid"], kill["port"])
        os.kill(victim, signal.SIGKILL)
        report.update(
            killed_pid=victim,
            at=time.time(),
            feedback_in_flight=state["in_flight"],
            victim_connections=connections,
        )

    def open_gate():
        if not gate.is_set():
            gate.set()
            gevent.spawn_later(kill.get("delay", 0.005), kill_worker)

    def feedback_post(post):
        if not gate.is_set():
            state["waiting"] += 1
            if state["waiting"] >= kill["together"]:
                open_gate()
            else:
                gate.wait(timeout=kill.get("wait", 20))
                open_gate()
        state["in_flight"] += 1
        try:
            return post()
        finally:
            state["in_flight"] -= 1

    report["together"] = kill["together"]
    return staticmethod(feedback_post)


def journeys(config: dict) -> dict:
    attributes = {
        "abstract": False,
        "join_code": config["join_code"],
        "think": tuple(config["think"]),
        "retries": config.get("retries", 0),
        "run_label": config.get("run", "0"),
        "arrival_gap": config.get("arrival_seconds", 0) / config["users"],
        "download": config.get("download", True),
    }
    kill_report: dict = {}
    if config.get("kill"):
        attributes["feedback_post"] = worker_killer(config["kill"], kill_report)
    user = type("ClassStudent", (Student,), attributes)
    environment = Environment(user_classes=[user], host=config["host"])
    runner = environment.create_local_runner()
    capped(environment, config["max_requests"])
    started = time.time()
    cpu = cpu_seconds()
    runner.start(config["users"], spawn_rate=config["users"])  # arrivals are spread by `arrival_gap`
    deadline = time.monotonic() + config["time_limit"]
    while time.monotonic() < deadline:
        gevent.sleep(0.5)
        if len(Student.journeys) >= config["users"] or (runner.user_count == 0 and time.time() - started > 5):
            break
    timed_out = len(Student.journeys) < config["users"]
    runner.quit()
    finished = [journey for journey in Student.journeys if journey["done"]]
    last_end = max((journey["ended"] for journey in Student.journeys), default=time.time())
    return {
        "users": config["users"],
        "completed": len(finished),
        "incomplete": [j for j in Student.journeys if not j["done"]],
        "timed_out": timed_out,
        "wall_seconds": time.time() - started if timed_out else last_end - started,
        "journey_seconds": sorted(j["seconds"] for j in finished),
        "generator_cpu": (cpu_seconds() - cpu) / max(0.001, time.time() - started),
        "total": entry_figures(environment.stats.total),
        "kinds": by_kind(environment),
        "errors": errors(environment),
        "acknowledged": Student.acknowledged,
        "kill": kill_report,
    }


def main() -> None:
    config = json.loads(sys.argv[1])
    result = {"pages": pages, "journeys": journeys}[config["scenario"]](config)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
