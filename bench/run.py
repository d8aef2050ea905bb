"""Issue 5 §4–5 benchmarks: lesson page against a bare view, a class, a school's burst, memory, page weight,
and a worker killed mid-class; and issue 9 §4's live lesson (`live`: 1,000 students polling in 35 classes, on
SQLite and PostgreSQL). Each writes its section of bench/RESULTS.md (`make bench` runs both).

    .venv/bin/python bench/run.py                      # the load benchmarks, about 10 minutes
    .venv/bin/python bench/run.py live                 # the live lesson, about 5 minutes (see bench/live.py)
    .venv/bin/python bench/run.py --no-write --quick   # a short run to try changes (figures not comparable)

Every scenario gets a fresh database in a temporary folder and its own gunicorn (the project's
gunicorn.conf.py, WEB_CONCURRENCY=2) on 127.0.0.1; the load comes from locust (headless, as a library) in a
separate process. PostgreSQL runs use a throw-away database made through BENCH_POSTGRES_URL (a role that may
create databases); without one they are reported as not run.
"""

import argparse
import json
import os
import secrets
import signal
import sys
import tempfile
import time
from pathlib import Path

import common
import live_run
import report
import scenarios
from server import collect_static, postgres_reachable


def run_live(args) -> dict:
    results: dict = {"machine": common.machine(), "started": time.time(), "quick": args.quick}
    with tempfile.TemporaryDirectory(prefix="plan-live-bench-") as name:
        folder = Path(name)
        env = common.base_environment(folder, secrets.token_urlsafe(40), folder / "static")
        print("collecting static files", file=sys.stderr)
        collect_static(env)
        why_not = postgres_reachable(args.postgres) if args.postgres else "BENCH_POSTGRES_URL is not set"
        print("the live lesson: 1,000 students in 35 classes, SQLite then PostgreSQL", file=sys.stderr)
        results["live"] = live_run.run(env, folder, args.postgres, why_not, quick=args.quick)
    results["machine"]["load_after"] = os.getloadavg()
    results["finished"] = time.time()
    return results


def run(args) -> dict:
    quick = args.quick
    results: dict = {"machine": common.machine(), "started": time.time(), "quick": quick}
    with tempfile.TemporaryDirectory(prefix="plan-load-bench-") as name:
        folder = Path(name)
        env = common.base_environment(folder, secrets.token_urlsafe(40), folder / "static")
        step = "collecting static files"
        print(step, file=sys.stderr)
        collect_static(env)

        print("lesson page and bare view", file=sys.stderr)
        results["pages"] = scenarios.pages(env, folder, rounds=1 if quick else 5, seconds=4 if quick else 10)

        print("a class of 30 on SQLite", file=sys.stderr)
        results["class_sqlite"] = scenarios.journeys(
            env, folder, "class-sqlite", users=30, arrival_seconds=3, time_limit=90
        )
        print("a class of 30 on SQLite without the PDF download", file=sys.stderr)
        results["class_no_pdf"] = scenarios.journeys(
            env, folder, "class-sqlite-no-pdf", users=30, arrival_seconds=3, time_limit=90, download=False
        )
        why_not = postgres_reachable(args.postgres) if args.postgres else "BENCH_POSTGRES_URL is not set"
        if why_not:
            results["class_postgres"] = {"skipped": why_not}
        else:
            print("a class of 30 on PostgreSQL", file=sys.stderr)
            results["class_postgres"] = scenarios.postgres_journeys(
                env, folder, args.postgres, users=30, arrival_seconds=3, time_limit=90
            )

        print("a class of 30 on SQLite, one worker killed during the feedback", file=sys.stderr)
        results["killed"] = scenarios.journeys(
            env,
            folder,
            "worker-killed",
            users=30,
            arrival_seconds=3,
            time_limit=120,
            kill_together=6,
            retries=5,
        )

        students = 60 if quick else 300
        print(f"a burst of {students} students on SQLite", file=sys.stderr)
        results["burst"] = scenarios.journeys(
            env, folder, "burst", users=students, arrival_seconds=150, time_limit=300
        )
    results["machine"]["load_after"] = os.getloadavg()
    results["finished"] = time.time()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "benchmark",
        nargs="?",
        choices=["load", "live"],
        default="load",
        help="the load benchmarks (issue 5), or the live lesson (issue 9)",
    )
    parser.add_argument("--no-write", action="store_true", help="print the section; leave RESULTS.md alone")
    parser.add_argument(
        "--quick", action="store_true", help="shorter phases and a smaller burst, to try changes"
    )
    parser.add_argument("--json", type=Path, help="also keep the raw figures in this file")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", ""),
        help="a PostgreSQL URL whose role may create databases (default: $BENCH_POSTGRES_URL)",
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=0,
        metavar="SECONDS",
        help="first wait up to this long for load < 1",
    )
    args = parser.parse_args()
    # `timeout` (make bench) sends SIGTERM: leave through the context managers, which stop every gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("bench/run.py: stopped by SIGTERM"))
    common.wait_for_quiet(args.quiet_wait)
    results = run_live(args) if args.benchmark == "live" else run(args)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))
    section = live_run.section(results) if args.benchmark == "live" else report.section(results)
    print(section)
    if not args.no_write:
        common.write_section(section)


if __name__ == "__main__":
    main()
