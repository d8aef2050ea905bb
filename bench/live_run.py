"""The live-lesson benchmark (issue 9 §4) on SQLite and PostgreSQL, and its section of bench/RESULTS.md.

Each database gets a fresh copy, 35 teachers with a teacher-paced class each, and its own gunicorn (the
project's gunicorn.conf.py, WEB_CONCURRENCY=2); the load comes from bench/live.py in its own process.
"""

import json
import math
import re
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

from common import LIVE_HEADING, PYTHON, ROOT, Gunicorn, describe_commit, describe_machine, load_average
from common import percentile as nearest_rank
from scenarios import cpu_busy
from server import MemorySampler, PostgresDatabase, database

GENERATOR = ROOT / "bench" / "live.py"
CLASSES, STUDENTS = 35, 1000
TARGETS = {"p95_ms": 50, "follow_seconds": 3.0}
KINDS = ("poll", "vote", "page", "next", "console poll", "projector poll")
SCRIPTS = ROOT / "static" / "lessons"


def script_intervals() -> dict[str, float]:
    """How often the screens poll, in seconds, read from the scripts themselves so the simulated students,
    consoles and projectors never drift from what a browser does."""
    student = re.search(r"var EVERY_MS = (\d+);", (SCRIPTS / "live-student.js").read_text())
    screen = re.search(r"var EVERY_MS = counting \? (\d+) : (\d+);", (SCRIPTS / "live-screen.js").read_text())
    if not (student and screen):
        raise RuntimeError(
            "cannot read the poll intervals from static/lessons/live-student.js and live-screen.js"
        )
    return {
        "poll_every": int(student.group(1)) / 1000,
        "console_every": int(screen.group(1)) / 1000,
        "projector_every": int(screen.group(2)) / 1000,
    }


INTERVALS = script_intervals()


def scenario(env: dict[str, str], folder: Path, postgres: PostgresDatabase | None, *, quick: bool) -> dict:
    name = "live-postgresql" if postgres else "live-sqlite"
    scenario_env = dict(env)
    if postgres:
        scenario_env["DATABASE_URL"] = postgres.url
    else:
        scenario_env["SQLITE_PATH"] = str(folder / f"{name}.sqlite3")
    fixture = database(scenario_env, "live", str(CLASSES))
    config = {
        **fixture,
        "students": STUDENTS,
        **INTERVALS,
        "next_every": 15.0,
        "warmup": 8.0 if quick else 15.0,
        "seconds": 30.0 if quick else 75.0,
        "join_concurrency": 8,
    }
    with Gunicorn(scenario_env, folder / f"{name}-gunicorn.log") as server:
        config["host"] = server.url
        busy, started = cpu_busy(), time.monotonic()
        with MemorySampler(server.master) as sampler:
            done = subprocess.run(
                [str(PYTHON), str(GENERATOR), json.dumps(config)],
                cwd=ROOT / "bench",
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
        if done.returncode != 0:
            raise RuntimeError(f"live load generator failed:\n{done.stderr[-3000:]}")
        result = json.loads(done.stdout)
        after, elapsed = cpu_busy(), time.monotonic() - started
        result.update(
            database="PostgreSQL" if postgres else "SQLite",
            classes=CLASSES,
            students=STUDENTS,
            config={key: config[key] for key in ("poll_every", "next_every", "warmup", "seconds")},
            # Over the whole run (joining included), as the workers' CPU is read from /proc at both ends.
            workers_cpu=sampler.cpu_used() / elapsed,
            machine_busy=(after[0] - busy[0]) / max(1, after[1] - busy[1]),
            memory_peaks=sampler.peaks,
            server_errors=server.tracebacks(),
            warnings=server.warnings(),
        )
    result["explain"] = database(scenario_env, "explain", str(fixture["classes"][0]["pk"]))
    return summarise(result)


def follow_delays(result: dict) -> tuple[list[float], int]:
    """For each Next pressed while measuring: seconds until 99% of that class's students (rounded up: all of a
    class of 29) had the new slide from a poll; and how many Nexts never reached that many."""
    reached, missed = [], 0
    for press in result["presses"]:
        seen = result["seen"].get(f"{press['class']} {press['slide']}", [])
        delays = sorted(when - press["at"] for when in seen if when >= press["at"])
        need = math.ceil(0.99 * result["class_sizes"][str(press["class"])])
        if len(delays) >= need:
            reached.append(delays[need - 1])
        else:
            missed += 1
    return reached, missed


def summarise(result: dict) -> dict:
    kinds = {}
    for kind in KINDS:
        times = result["times"].get(kind, [])
        failures = sum(result["errors"].get(kind, {}).values())
        kinds[kind] = {
            "count": len(times),
            "failures": failures,
            "rate": len(times) / result["seconds"],
            "p50": nearest_rank(times, 0.5) if times else None,
            "p95": nearest_rank(times, 0.95) if times else None,
            "max": max(times) if times else None,
        }
    reached, missed = follow_delays(result)
    result["kinds"] = kinds
    result["requests"] = sum(kind["count"] for kind in kinds.values())
    result["failures"] = sum(kind["failures"] for kind in kinds.values())
    result["follow"] = {
        "nexts": len(result["presses"]),
        "missed": missed,
        "p50": nearest_rank(reached, 0.5) if reached else None,
        "p95": nearest_rank(reached, 0.95) if reached else None,
        "max": max(reached) if reached else None,
    }
    for bulky in ("times", "presses", "seen"):
        result.pop(bulky)
    return result


def run(env: dict[str, str], folder: Path, postgres_url: str, why_not: str, *, quick: bool) -> dict:
    results = {"sqlite": scenario(env, folder, None, quick=quick)}
    if why_not:
        results["postgresql"] = {"skipped": why_not}
    else:
        with PostgresDatabase(postgres_url) as postgres:
            results["postgresql"] = scenario(env, folder, postgres, quick=quick)
    return results


# bench/RESULTS.md ---------------------------------------------------------------------------------------------


def ms(value) -> str:
    return "–" if value is None else f"{value:.0f} ms"


def verdict(ok: bool) -> str:
    return "pass" if ok else "**FAIL**"


def section(results: dict) -> str:
    machine, live = results["machine"], results["live"]
    every = INTERVALS
    started = datetime.fromtimestamp(results["started"], UTC)
    minutes = (results["finished"] - results["started"]) / 60
    lines = [
        LIVE_HEADING,
        "",
        f"Run on {started:%Y-%m-%d %H:%M} UTC ({minutes:.1f} minutes) at {describe_commit(machine)}.",
        f"Machine: {describe_machine(machine)}. The machine is shared: load average (1/5/15 min) before "
        f"{load_average(machine['load'])}, after {load_average(machine['load_after'])}.",
        "Command: `make bench` (or `.venv/bin/python bench/run.py live`). Server: the project's gunicorn.conf.py "
        "(gthread, 4 threads, no keep-alive) with WEB_CONCURRENCY=2 on 127.0.0.1, DEBUG off, a fresh database "
        f"for each run with {CLASSES} teachers, each with an open teacher-paced class. Load: bench/live.py "
        "(asyncio, one connection per request) in its own process on the same machine: "
        f"{STUDENTS:,} students join their class ({STUDENTS // CLASSES}–{-(-STUDENTS // CLASSES)} a class), then "
        f"each polls /live/ {every['poll_every']:g} s after its last answer with If-None-Match (as static/lessons/live-student.js "
        "does), opens the step page when its class moves on, and votes 2–10 s after a choice step appears "
        "(a quarter change their vote once), as live-responses.js posts it; each teacher presses Next every "
        "15 s (the classes out of step, each starting at a different step), while the console polls the counts "
        f"every {every['console_every']:g} s and the projector polls conditionally every {every['projector_every']:g} s "
        "(as static/lessons/live-screen.js).",
        "",
    ]
    if results.get("quick"):
        lines += ["**A --quick run: a shorter measured window; not comparable with the targets.**", ""]
    lines += [
        "### Summary",
        "",
        "| database | measure | figure | target | result |",
        "|---|---|---|---|---|",
    ]
    for key in ("sqlite", "postgresql"):
        run = live[key]
        if "skipped" in run:
            lines.append(f"| PostgreSQL | not run: {run['skipped']} | | | **not run** |")
            continue
        database, kinds, follow = run["database"], run["kinds"], run["follow"]
        poll, vote = kinds["poll"], kinds["vote"]
        lines += [
            f"| {database} | Student poll p50 / p95 ({poll['count']:,} polls, {poll['rate']:.0f} a second) | "
            f"{ms(poll['p50'])} / {ms(poll['p95'])} | p95 ≤ {TARGETS['p95_ms']} ms | "
            f"{verdict(poll['p95'] is not None and poll['p95'] <= TARGETS['p95_ms'])} |",
            f"| {database} | Vote p50 / p95 ({vote['count']:,} votes) | {ms(vote['p50'])} / {ms(vote['p95'])} | "
            f"p95 ≤ {TARGETS['p95_ms']} ms | "
            f"{verdict(vote['p95'] is not None and vote['p95'] <= TARGETS['p95_ms'])} |",
            f"| {database} | Failed requests (all kinds, measured window); server tracebacks | "
            f"{run['failures']} of {run['requests'] + run['failures']:,}; {len(run['server_errors'])} | 0 | "
            f"{verdict(run['failures'] == 0 and not run['server_errors'])} |",
            f"| {database} | Teacher's Next → 99% of the class has the new slide from a poll: p50 / p95 / worst "
            f"of {follow['nexts']} Nexts (never reached: {follow['missed']}) | "
            f"{seconds(follow['p50'])} / {seconds(follow['p95'])} / {seconds(follow['max'])} | "
            f"≤ {TARGETS['follow_seconds']:.0f} s | "
            f"{verdict(bool(follow['max'] is not None) and follow['max'] <= TARGETS['follow_seconds'] and not follow['missed'])} |",
        ]
    lines += ["", "### Detail", ""]
    for key in ("sqlite", "postgresql"):
        run = live[key]
        if "skipped" in run:
            continue
        lines += detail(run)
    lines += notes()
    return "\n".join(lines).rstrip("\n") + "\n"


def seconds(value) -> str:
    return "–" if value is None else f"{value:.2f} s"


def detail(run: dict) -> list[str]:
    total_rate = sum(kind["rate"] for kind in run["kinds"].values())
    peak = max(run["memory_peaks"].values(), default=0)
    lines = [
        f"**{run['database']}**: {run['students']:,} students and {run['classes']} teachers joined in "
        f"{run['setup_seconds']:.0f} s ({run['setup_failed']} failed); measured for {run['seconds']:.0f} s after "
        f"{run['config']['warmup']:.0f} s of warm-up: {total_rate:.0f} requests a second in all. CPU: the load "
        f"generator {run['generator_cpu']:.0%} of one core while measuring; the two gunicorn workers "
        f"{run['workers_cpu']:.0%} of one core over the whole run; the whole machine {run['machine_busy']:.0%} "
        f"busy (both cores, other work on it included). Worker peak memory {peak:.0f} MiB.",
        "",
        "| request | count | a second | failed | p50 | p95 | max |",
        "|---|---|---|---|---|---|---|",
    ]
    names = {
        "poll": "GET /live/ (a student's poll; 304 while unchanged)",
        "page": "GET the new slide's step page",
        "vote": "POST /lesson/responses/<step>/vote/ (the panel back)",
        "next": "POST /teach/sessions/<pk>/live/show/ (Next)",
        "console poll": "GET /teach/sessions/<pk>/live/?counts=1 (console)",
        "projector poll": "GET /teach/sessions/<pk>/live/ (projector; 304 while unchanged)",
    }
    for kind, figures in run["kinds"].items():
        lines.append(
            f"| {names[kind]} | {figures['count']:,} | {figures['rate']:.1f} | {figures['failures']} | "
            f"{ms(figures['p50'])} | {ms(figures['p95'])} | {ms(figures['max'])} |"
        )
    errors = [
        f"{kind}: {why} ×{count}" for kind, whys in run["errors"].items() for why, count in whys.items()
    ]
    errors += [f"while joining or warming up: {why} ×{count}" for why, count in run["setup_errors"].items()]
    if errors or run["server_errors"]:
        lines += ["", "Errors: " + "; ".join(errors + run["server_errors"][:5]) + "."]
    lines += ["", f"A student's poll on {run['database']} (bench/database.py explain, after ANALYZE):", ""]
    for query in run["explain"]["queries"]:
        lines += ["```", query["sql"], *(f"  {line}" for line in query["plan"]), "```"]
    lines.append("")
    return lines


def notes() -> list[str]:
    return [
        "Notes: times are measured by the load generator from opening the connection to the last byte, so "
        "they include its own scheduling delays when it is busy (see its CPU figure). The Next-to-screen time "
        "runs from the moment the teacher's POST is sent to the poll answer that gives a student the new "
        "slide; a student polls 2 s after its last answer, and each worker keeps a class's state for up to "
        "0.25 s (lessons/live.py RecentStates), so the expected worst case is about 2.25 s plus a poll's time. "
        "A poll is answered before the session and the rest of the middleware (lessons/live_poll.py) and costs "
        "at most one query by primary key, none while its class's state is kept "
        "(tests/lessons/test_live_follow.py pins both, and checks the plan uses the primary key index on "
        "SQLite and PostgreSQL).",
        "",
    ]
