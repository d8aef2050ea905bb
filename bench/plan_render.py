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
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
CLASS_SIZE = 30
WORKERS = 2
TARGETS = {"typical": 0.200, "largest": 1.0, "burst_p95": 3.5}


def setup_django(data_dir: Path, secret_key: str) -> None:
    os.environ.update(
        {"DATA_DIR": str(data_dir), "SECRET_KEY": secret_key, "DJANGO_SETTINGS_MODULE": "config.settings"}
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client build plans through the real forms
    call_command("migrate", verbosity=0)
    from lessons.package_file import load_package_file

    load_package_file(ROOT / "packages" / "personal-plan.yaml")


def build_session(answers_for) -> tuple[str, object]:
    """A student's browser builds a plan through the forms; returns its session cookie and the Plan."""
    from django.test import Client

    from lessons.models import Package
    from plans.plan import PackageContent, Plan
    from tests.plans.builders import build_plan

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


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def page_count(data: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as document:
        return len(document.pages)


def in_process(typical, largest) -> dict:
    import weasyprint
    from django.template.loader import render_to_string

    from plans import pdf

    pdf.prepare()
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
        stylesheets = [str(pdf.BASE_STYLESHEET), str(pdf.PLAN_STYLESHEET)]

        def bare(html=html, stylesheets=stylesheets):
            # What a view would do with WeasyPrint alone: fresh fonts and stylesheets for every download.
            weasyprint.HTML(string=html, base_url=str(pdf.ASSETS_DIR) + "/").write_pdf(
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_for(url: str, seconds: float = 30) -> None:
    opener = urllib.request.build_opener(_NoRedirects)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            opener.open(url, timeout=2).read()
            return
        except urllib.error.HTTPError:
            return  # answering, even if only with an error page
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer at {url}")


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def peak_memory_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


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


def against_gunicorn(data_dir: Path, secret_key: str, cookies: list[str]) -> dict:
    port = free_port()
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "SECRET_KEY": secret_key,
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(WORKERS),
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "DEBUG": "",
    }
    command = [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "-c", "gunicorn.conf.py"]
    log = (data_dir / "gunicorn.log").open("wb")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_for(base_url + "/plan/download/")
        time.sleep(1)  # let both workers finish booting
        workers = worker_pids(server.pid)
        cold = burst(base_url, cookies)
        warm = burst(base_url, cookies)
        memory = {pid: peak_memory_mib(pid) for pid in worker_pids(server.pid)}
        return {"cold": cold, "warm": warm, "workers": workers, "memory": memory}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        errors = [
            line for line in (data_dir / "gunicorn.log").read_text().splitlines() if "Traceback" in line
        ]
        if errors:
            print((data_dir / "gunicorn.log").read_text()[-3000:], file=sys.stderr)


def machine() -> str:
    uname = subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip() or " ".join(
        platform.uname()
    )
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() or os.cpu_count()
    return f"`{uname}`, {nproc} cores (nproc)"


def load() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def wait_for_quiet(seconds: float, below: float = 1.0) -> None:
    """Other work on the machine skews timings: wait (bounded) for the one-minute load to settle."""
    deadline = time.monotonic() + seconds
    while os.getloadavg()[0] >= below and time.monotonic() < deadline:
        time.sleep(5)


def commit() -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return head.stdout.strip() or "unknown"


def report(renders: dict, served: dict, loads: tuple[str, str]) -> str:
    typical, largest = renders["typical"], renders["largest"]
    cold, warm = served["cold"], served["warm"]

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.0f} ms"

    def verdict(value: float, target: float) -> str:
        return "meets" if value < target else "MISSES"

    peak = max(served["memory"].values(), default=0.0)
    lines = [
        "## Plan PDF",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {commit()}, machine {machine()}.",
        "Command: `.venv/bin/python bench/plan_render.py` (see the script's docstring). "
        f"Load average (1/5/15 min) before: {loads[0]}; after: {loads[1]}.",
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
        f"| class of {CLASS_SIZE} at once, gunicorn {WORKERS} workers, just started: valid PDFs | "
        f"{cold['valid']} of {CLASS_SIZE} | all |",
        f"| same burst: p50 / p95 / slowest | {ms(cold['p50'])} / {ms(cold['p95'])} / {ms(cold['max'])} | "
        f"p95 < 3.5 s: {verdict(cold['p95'], TARGETS['burst_p95'])} |",
        f"| second burst, workers warm: valid PDFs | {warm['valid']} of {CLASS_SIZE} | all |",
        f"| same burst: p50 / p95 / slowest | {ms(warm['p50'])} / {ms(warm['p95'])} / {ms(warm['max'])} | "
        f"p95 < 3.5 s: {verdict(warm['p95'], TARGETS['burst_p95'])} |",
        f"| worker peak memory (VmHWM), highest of {len(served['memory'])} | {peak:.0f} MiB | |",
        "",
        '"Bare" is `weasyprint.HTML(string=html).write_pdf(stylesheets=..., pdf_variant="pdf/ua-1")` with the '
        "same HTML and stylesheet files, so it loads the fonts and parses the CSS on every call; the app prepares "
        "them once per process and reuses them, so a ratio under 1 means the app is faster than the bare call. "
        "The burst runs the project's gunicorn.conf.py (gthread) with WEB_CONCURRENCY=2 on 127.0.0.1; each worker "
        "renders one PDF at a time (PLAN_PDF_CONCURRENT_RENDERS=1) and queues the rest.",
        "",
    ]
    if cold["failures"] or warm["failures"]:
        lines += ["Failures: " + "; ".join((cold["failures"] + warm["failures"])[:5]), ""]
    return "\n".join(lines)


def write_section(section: str) -> None:
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    start = text.find("## Plan PDF")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end + 1 :] if end != -1 else "")
    RESULTS.write_text(text)


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
    wait_for_quiet(args.quiet_wait)
    load_before = load()
    secret_key = secrets.token_urlsafe(40)
    with tempfile.TemporaryDirectory(prefix="plan-bench-") as folder:
        data_dir = Path(folder)
        setup_django(data_dir, secret_key)
        from tests.plans.builders import largest_answers, typical_answers

        _, typical = build_session(typical_answers)
        _, largest = build_session(largest_answers)
        renders = in_process(typical, largest)
        cookies = [build_session(typical_answers)[0] for _ in range(CLASS_SIZE)]
        served = against_gunicorn(data_dir, secret_key, cookies)
    section = report(renders, served, (load_before, load()))
    print(section)
    if not args.no_write:
        write_section(section)


if __name__ == "__main__":
    main()
