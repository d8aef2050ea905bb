"""Benchmark of the plan PDF: render times in process, and a class of 30 downloading at once from gunicorn.

Run it from the repository root (it makes its own database in a temporary folder, and touches nothing else):

    .venv/bin/python bench/plan_render.py            # writes the "Plan PDF" section of bench/RESULTS.md
    .venv/bin/python bench/plan_render.py --no-write # prints the results only
    .venv/bin/python bench/plan_render.py --quiet-wait 300  # first waits (at most 5 min) for a quiet machine

Measures: the median render of a typical plan and of the largest plan the forms allow (both built through the
real forms); the app's render divided by WeasyPrint's bare render of the same HTML string; 30 concurrent
"Download my plan" requests against gunicorn (the project's gunicorn.conf.py, 2 workers, 127.0.0.1), each
checked to be a valid PDF, with the 95th percentile; and the workers' peak memory (VmHWM).
Targets (issue 3): typical < 200 ms median, largest < 1 s, burst p95 < 3.5 s.
"""

import argparse
import io
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import common
from common import PDF_HEADING, Gunicorn, percentile

CLASS_SIZE = 30
TARGETS = {"typical": 0.200, "largest": 1.0, "burst_p95": 3.5}


def setup_django(env: dict[str, str]) -> None:
    """Django in this process, on the benchmark's own database (the one gunicorn will serve)."""
    os.environ.clear()
    os.environ.update(env)
    common.setup_django()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client build plans through the real forms
    common.migrate_and_load_package()


def build_session(answers_for) -> tuple[str, object]:
    """A student's browser builds a plan through the forms; returns its session cookie and the Plan."""
    from django.test import Client
    from plan_answers import build_plan

    from lessons.models import Package
    from plans.plan import PackageContent, Plan

    package = Package.objects.latest_versions().get(slug="personal-plan")
    client = Client()
    build_plan(client, package, **answers_for(package))
    plan = Plan.from_state(client.session["plan"], PackageContent.load(package))
    return client.cookies["sessionid"].value, plan


def timed(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def page_count(data: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as document:
        return len(document.pages)


def in_process(typical, largest) -> dict:
    import weasyprint
    from django.template.loader import render_to_string

    from pdf import engine
    from plans import pdf

    engine.prepare()
    results = {}
    for name, plan, runs in (("typical", typical, 40), ("largest", largest, 15)):
        timed(lambda plan=plan: pdf.render_plan_pdf(plan), 2)  # warm-up
        app = timed(lambda plan=plan: pdf.render_plan_pdf(plan), runs)
        html = render_to_string(
            "plans/pdf.html",
            {
                "plan": plan,
                "card_lines": plan.card_lines(pdf.POCKET_CARD_LINES, pdf.POCKET_CARD_LINE_CHARACTERS),
            },
        )
        stylesheets = [str(engine.BASE_STYLESHEET), str(pdf.PLAN_STYLESHEET)]

        def bare(html=html, stylesheets=stylesheets):
            # What a view would do with WeasyPrint alone: fresh fonts and stylesheets for every download.
            weasyprint.HTML(string=html, base_url=str(engine.ASSETS_DIR) + "/").write_pdf(
                stylesheets=stylesheets, pdf_variant="pdf/ua-1"
            )

        bare_times = timed(bare, max(5, runs // 3))
        results[name] = {
            "median": statistics.median(app),
            "p95": percentile(app, 0.95),
            "bare_median": statistics.median(bare_times),
            "runs": runs,
            "pages": page_count(pdf.render_plan_pdf(plan)),
        }
    return results


def burst(base_url: str, cookies: list[str]) -> dict:
    import pikepdf

    barrier = threading.Barrier(len(cookies))
    latencies: list[float] = []
    failures: list[str] = []

    def download(cookie: str) -> None:
        request = urllib.request.Request(
            base_url + "/plan/download/", headers={"Cookie": f"sessionid={cookie}"}
        )
        barrier.wait()
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                body = response.read()
                status = response.status
        except Exception as error:
            failures.append(repr(error))
            return
        latencies.append(time.perf_counter() - start)
        try:
            with pikepdf.open(io.BytesIO(body)) as document:
                valid = status == 200 and len(document.pages) >= 2
        except Exception as error:
            valid = False
            failures.append(repr(error))
        if not valid:
            failures.append(f"status {status}, {len(body)} bytes")

    threads = [threading.Thread(target=download, args=(cookie,)) for cookie in cookies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return {
        "valid": len(cookies) - len(failures),
        "failures": failures,
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p95": percentile(latencies, 0.95) if latencies else float("nan"),
        "max": max(latencies, default=float("nan")),
    }


def against_gunicorn(env: dict[str, str], folder: Path, cookies: list[str]) -> dict:
    """Start gunicorn with the project's config, send two bursts, then stop it."""
    access_log = folder / "access.log"
    # The access log names only the worker and the path, so the bursts' spread over workers can be counted.
    server = Gunicorn(
        env,
        folder / "gunicorn.log",
        arguments=("--access-logformat", "%(p)s %(U)s"),
        GUNICORN_ACCESS_LOG=str(access_log),
    )
    with server:
        cold = burst(server.url, cookies)
        warm = burst(server.url, cookies)
        memory = server.peak_memory_mib()
        problems = server.tracebacks()
    if problems:
        print("gunicorn logged errors:", *problems, sep="\n  ", file=sys.stderr)
    downloads = [line.split()[0] for line in access_log.read_text().splitlines() if "/download/" in line]
    spread = sorted(Counter(downloads[-CLASS_SIZE:]).values(), reverse=True)
    return {"cold": cold, "warm": warm, "memory": memory, "spread": spread}


def report(renders: dict, servers: dict[str, dict], machine: dict) -> str:
    typical, largest = renders["typical"], renders["largest"]

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.0f} ms"

    def verdict(value: float, target: float) -> str:
        return "meets" if value < target else "MISSES"

    lines = [
        PDF_HEADING,
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at {common.describe_commit(machine)}.",
        f"Machine: {common.describe_machine(machine)}.",
        "Command: `.venv/bin/python bench/plan_render.py` (see the script's docstring). "
        f"Load average (1/5/15 min) before: {common.load_average(machine['load'])}; after: "
        f"{common.load_average()} (other work shared the machine).",
        "",
        "| measure | result | target |",
        "|---|---|---|",
        f"| typical plan ({typical['pages']} pages), median of {typical['runs']} | {ms(typical['median'])} "
        f"(p95 {ms(typical['p95'])}) | < 200 ms: {verdict(typical['median'], TARGETS['typical'])} |",
        f"| largest plan the forms allow ({largest['pages']} pages), median of {largest['runs']} | "
        f"{ms(largest['median'])} (p95 {ms(largest['p95'])}) | < 1 s: {verdict(largest['median'], TARGETS['largest'])} |",
        f"| typical: app render ÷ WeasyPrint's bare render of the same HTML | "
        f"{typical['median'] / typical['bare_median']:.2f} (bare {ms(typical['bare_median'])}) | |",
        f"| largest: app render ÷ WeasyPrint's bare render of the same HTML | "
        f"{largest['median'] / largest['bare_median']:.2f} (bare {ms(largest['bare_median'])}) | |",
    ]
    failures = []
    for name, served in servers.items():
        for label, result in (("just started", served["cold"]), ("warm", served["warm"])):
            failures += result["failures"]
            lines.append(
                f"| {name}, {label}: {CLASS_SIZE} at once, valid PDFs; p50 / p95 / slowest | "
                f"{result['valid']} of {CLASS_SIZE}; {ms(result['p50'])} / {ms(result['p95'])} / "
                f"{ms(result['max'])} | all valid, p95 < 3.5 s: {verdict(result['p95'], TARGETS['burst_p95'])} |"
            )
        peak = max(served["memory"].values(), default=0.0)
        spread = " + ".join(str(count) for count in served["spread"])
        lines.append(
            f"| {name}: downloads per worker (warm burst); worker peak memory (VmHWM) | {spread}; {peak:.0f} MiB | |"
        )
    lines += [
        "",
        '"Bare" is `weasyprint.HTML(string=html).write_pdf(stylesheets=..., pdf_variant="pdf/ua-1")` with the '
        "same HTML and stylesheet files, so it loads the fonts and parses the CSS on every call; the app prepares "
        "them once per process and reuses them, so a ratio under 1 means the app is faster than the bare call. "
        "Each burst is 30 threads released together, each downloading one student's plan from gunicorn on "
        "127.0.0.1 with the project's gunicorn.conf.py (gthread, 4 threads) and WEB_CONCURRENCY=2; each worker "
        "renders one PDF at a time (PDF_CONCURRENT_RENDERS=1) and queues the rest. gunicorn.conf.py sets "
        "worker_connections to the number of threads, so a worker takes no more connections than it has "
        "threads and the rest of a burst goes to the other worker ('downloads per worker').",
        "",
    ]
    if failures:
        lines += ["Failures: " + "; ".join(failures[:5]), ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--no-write", action="store_true", help="print the results without writing RESULTS.md"
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=0,
        metavar="SECONDS",
        help="first wait up to this long for load < 1",
    )
    args = parser.parse_args()
    common.wait_for_quiet(args.quiet_wait)
    machine = common.machine()
    with tempfile.TemporaryDirectory(prefix="plan-bench-") as name:
        folder = Path(name)
        env = common.base_environment(folder, secrets.token_urlsafe(40))
        setup_django(env)
        from plan_answers import largest_answers, typical_answers

        _, typical = build_session(typical_answers)
        _, largest = build_session(largest_answers)
        renders = in_process(typical, largest)
        cookies = [build_session(typical_answers)[0] for _ in range(CLASS_SIZE)]
        servers = {"gunicorn.conf.py": against_gunicorn(env, folder, cookies)}
    section = report(renders, servers, machine)
    print(section)
    if not args.no_write:
        common.write_section(section)


if __name__ == "__main__":
    main()
