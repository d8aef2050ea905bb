"""The load benchmarks' section of bench/RESULTS.md: a summary against the targets, then the detail."""

import statistics
from datetime import UTC, datetime

from common import LOAD_HEADING, describe_commit, describe_machine, load_average

TARGETS = {
    "ratio": 0.5,
    "p95_ms": 50,
    "class_seconds": 60,
    "burst_seconds": 300,
    "worker_mb": 200,
    "first_kb": 100,
    "repeat_kb": 15,
}


def verdict(ok: bool) -> str:
    return "pass" if ok else "**FAIL**"


def ms(value) -> str:
    return "–" if value is None else f"{value:.0f} ms"


def kb(size: float) -> str:
    return f"{size / 1000:.1f} KB"


def mb(mib: float) -> str:
    return f"{mib * 1024 * 1024 / 1e6:.0f} MB"


def section(results: dict) -> str:
    lines = [LOAD_HEADING, ""] + header(results) + summary(results) + pages_detail(results["pages"])
    lines += (
        class_detail(results) + burst_detail(results["burst"]) + weight_detail(results["pages"]["weight"])
    )
    lines += killed_detail(results["killed"]) + notes()
    return "\n".join(lines).rstrip("\n") + "\n"


def header(results: dict) -> list[str]:
    machine = results["machine"]
    started = datetime.fromtimestamp(results["started"], UTC)
    minutes = (results["finished"] - results["started"]) / 60
    lines = [
        f"Run on {started:%Y-%m-%d %H:%M} UTC ({minutes:.1f} minutes) at {describe_commit(machine)}.",
        f"Machine: {describe_machine(machine)}. The machine is shared: load average (1/5/15 min) before "
        f"{load_average(machine['load'])}, after {load_average(machine['load_after'])}.",
        "Command: `make bench` (or `.venv/bin/python bench/run.py`; see its docstring). Server: the project's "
        "gunicorn.conf.py (gthread, 4 threads) with WEB_CONCURRENCY=2 on 127.0.0.1, DEBUG off, static files "
        "from WhiteNoise after collectstatic, a fresh database for each scenario. Load: locust "
        "(FastHttpUser, headless, as a library) in its own process on the same machine.",
        "",
    ]
    if results.get("quick"):
        lines += [
            "**A --quick run: shorter phases and a smaller burst; not comparable with the targets.**",
            "",
        ]
    return lines


def summary(results: dict) -> list[str]:
    pages = results["pages"]
    bare, walk = (pages["median"][user] for user in ("bare", "walk"))
    ratio, revisit_ratio = (statistics.median(pages["ratios"][user]) for user in ("walk", "revisit"))
    rounds = len(pages["ratios"]["walk"])
    paced_walk, paced_bare = pages["paced"]["walk"], pages["paced"]["bare"]
    rows = [
        (
            "1",
            "Lesson step page ÷ bare view, requests/s at 50 users without pauses (median of the ratios of "
            f"{rounds} interleaved rounds; each round's two pages met the same load on the machine)",
            f"{ratio:.2f} (per round: {', '.join(f'{r:.2f}' for r in pages['ratios']['walk'])})",
            "≥ 0.50",
            verdict(ratio >= TARGETS["ratio"]),
        ),
        (
            "1",
            "The same for a step page revisited (the student's place unchanged, so no session write)",
            f"{revisit_ratio:.2f} (per round: {', '.join(f'{r:.2f}' for r in pages['ratios']['revisit'])})",
            "≥ 0.50",
            verdict(revisit_ratio >= TARGETS["ratio"]),
        ),
        (
            "1",
            "Lesson step page p50 / p95, same runs (50 requests always in flight)",
            f"{ms(walk['p50'])} / {ms(walk['p95'])}",
            "p95 < 50 ms",
            verdict(walk["p95"] < TARGETS["p95_ms"]),
        ),
        ("1", "Bare view p50 / p95, same runs", f"{ms(bare['p50'])} / {ms(bare['p95'])}", "", ""),
        (
            "1",
            "Lesson step page p50 / p95, 50 students each pausing 0.5–1.5 s between pages "
            f"({paced_walk['rps']:.0f} req/s)",
            f"{ms(paced_walk['p50'])} / {ms(paced_walk['p95'])}",
            "p95 < 50 ms",
            verdict(paced_walk["p95"] < TARGETS["p95_ms"]),
        ),
        (
            "1",
            "Bare view p50 / p95 at the same pace",
            f"{ms(paced_bare['p50'])} / {ms(paced_bare['p95'])}",
            "",
            "",
        ),
    ]
    for key, label in (("class_sqlite", "SQLite"), ("class_postgres", "PostgreSQL")):
        rows += class_rows(results[key], label)
    if "class_no_pdf" in results:
        plain, no_pdf = results["class_sqlite"], results["class_no_pdf"]
        page = "GET /lesson/<step>/"
        rows.append(
            (
                "2",
                f"Class on SQLite with / without the PDF download: p95 of {page} and of POST /plan/<part>/",
                f"{ms(plain['kinds'][page]['p95'])} / {ms(no_pdf['kinds'][page]['p95'])}; "
                f"{ms(plain['kinds']['POST /plan/<part>/']['p95'])} / "
                f"{ms(no_pdf['kinds']['POST /plan/<part>/']['p95'])}",
                "",
                "",
            )
        )
    burst = results["burst"]
    check = burst["check"]
    rows += [
        (
            "3",
            f"Burst: {burst['users']} students arriving over 150 s on SQLite: failed requests; "
            "last lesson finished after",
            f"{burst['total']['failures']} of {burst['total']['count']}; {burst['wall_seconds']:.0f} s "
            f"({burst['completed']} of {burst['users']} lessons completed)",
            "0; ≤ 300 s",
            verdict(journeys_ok(burst, TARGETS["burst_seconds"])),
        ),
        (
            "3",
            "Burst: feedback lost (rows in the database against acknowledged submissions)",
            f"{lost(check)} (check-ins {check['checkin_stored']} stored / {check['checkin_acknowledged']} "
            f"acknowledged; feedback {check['feedback_stored']} / {check['feedback_acknowledged']})",
            "0",
            verdict(check["ok"]),
        ),
    ]
    peak = max(burst["memory_peaks"].values(), default=0.0)
    after = max((m.get("VmRSS", 0.0) for m in burst["workers_after"].values()), default=0.0)
    rows.append(
        (
            "4",
            "Worker peak memory (VmHWM, sampled 5×/s during the burst; every worker, recycled ones too); "
            "resident after the burst",
            f"{mb(peak)}; {mb(after)}",
            "< 200 MB",
            verdict(peak * 1024 * 1024 / 1e6 < TARGETS["worker_mb"]),
        )
    )
    weight = pages["weight"]
    heaviest = weight["heaviest_step"]
    rows += [
        (
            "5",
            f"First visit to a step page ({weight['step']}), empty cache: HTML, CSS, JS, its picture, favicon, with "
            "headers",
            kb(weight["first_bytes"]),
            "< 100 KB",
            verdict(weight["first_bytes"] < TARGETS["first_kb"] * 1000),
        ),
        (
            "5",
            "Repeat visit, same page (hashed static files from the cache)",
            kb(weight["repeat_bytes"]),
            "< 15 KB",
            verdict(weight["repeat_bytes"] < TARGETS["repeat_kb"] * 1000),
        ),
        (
            "5",
            f"Heaviest step page's HTML of {heaviest['pages']} step views ({heaviest['path']}), with headers",
            kb(heaviest["wire"]),
            "",
            "",
        ),
    ]
    killed = results["killed"]
    kcheck = killed["check"]
    rows.append(
        (
            "6",
            "Class of 30 on SQLite, one worker SIGKILLed while feedback is being sent: acknowledged "
            "feedback lost / stored twice",
            f"{len(kcheck['feedback_lost'])} / {len(kcheck['feedback_doubled'])} "
            f"({killed['total']['failures']} requests cut and retried; {killed['completed']} of "
            f"{killed['users']} lessons completed)",
            "0 / 0",
            killed_verdict(killed),
        )
    )
    table = ["| § | measure | figure | target | result |", "|---|---|---|---|---|"]
    table += [f"| {' | '.join(row)} |" for row in rows]
    return ["### Summary", "", *table, ""]


def killed_verdict(killed: dict) -> str:
    held = killed["check"]["ok"] and bool(killed["kill"].get("killed_pid")) and killed["master_alive"]
    if held and killed["total"]["failures"] == 0:
        return "inconclusive: the kill cut no request"
    return verdict(held and killed["completed"] == killed["users"])


def journeys_ok(run: dict, seconds: float) -> bool:
    return (
        run["total"]["failures"] == 0
        and run["completed"] == run["users"]
        and not run["timed_out"]
        and run["wall_seconds"] <= seconds
        and not run["server_errors"]
    )


def lost(check: dict) -> int:
    return max(0, check["feedback_acknowledged"] - check["feedback_stored"]) + max(
        0, check["checkin_acknowledged"] - check["checkin_stored"]
    )


def class_rows(run: dict, label: str) -> list[tuple]:
    if "skipped" in run:
        return [
            ("2", f"Class of 30 on {label}", f"not run: {run['skipped']}", "0 errors; ≤ 60 s", "**NOT RUN**")
        ]
    check = run["check"]
    return [
        (
            "2",
            f"Class of 30 on {label} (joining over 3 s): failed requests; last lesson finished after",
            f"{run['total']['failures']} of {run['total']['count']}; {run['wall_seconds']:.0f} s "
            f"({run['completed']} of {run['users']} completed)",
            "0; ≤ 60 s",
            verdict(journeys_ok(run, TARGETS["class_seconds"])),
        ),
        (
            "2",
            f"Class on {label}: p95 of every request / of the slowest kind (see below)",
            f"{ms(run['total']['p95'])} / {slowest(run)}",
            "",
            "",
        ),
        (
            "2",
            f"Class on {label}: feedback lost",
            f"{lost(check)} ({check['feedback_stored']} / {check['feedback_acknowledged']} feedback, "
            f"{check['checkin_stored']} / {check['checkin_acknowledged']} check-ins stored / acknowledged)",
            "0",
            verdict(check["ok"]),
        ),
    ]


def slowest(run: dict) -> str:
    kind, figures = max(run["kinds"].items(), key=lambda item: item[1]["p95"] or 0)
    return f"{ms(figures['p95'])} ({kind})"


def pages_detail(pages: dict) -> list[str]:
    lines = [
        "### 1. A lesson step page and the bare view",
        "",
        "Each phase: 50 locust users on one URL with no pause (closed loop: 50 requests always in flight), "
        "3 s warm-up, then the measured window. `walk` moves a student with a session between two story steps, "
        "so each view also saves their place (one UPDATE), as a real walk does; `revisit` repeats one step "
        "(no write). Rounds interleave the pages so that the machine's other work weighs on all alike. "
        f"Worker restarts: workers gunicorn recycled during the phase (it recycles a worker "
        f"{pages['recycling']}).",
        "",
        "| round | page | req/s | p50 | p95 | failed | worker restarts | locust CPU | machine busy |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    names = {"bare": "bare view", "walk": "step page (walk)", "revisit": "step page (revisit)"}
    rows = [(str(p["round"]) if p["round"] else "paced", p) for p in pages["phases"]]
    rows += [("no recycling", p) for p in pages["no_recycling"].values()]
    for label, phase in rows:
        lines.append(
            f"| {label} | {names[phase['user']]} | {phase['rps']:.0f} | {ms(phase['p50'])} | {ms(phase['p95'])} | "
            f"{phase['failures']} | {phase['workers_booted']} | {phase['generator_cpu']:.0%} | "
            f"{phase['machine_busy']:.0%} |"
        )
    ratios = ", ".join(f"{ratio:.2f}" for ratio in pages["ratios"]["walk"])
    no_recycling = pages["no_recycling"]
    lines += [
        "",
        f"Ratio walk ÷ bare per round: {ratios} (median {statistics.median(pages['ratios']['walk']):.2f}). "
        f"With recycling off (GUNICORN_MAX_REQUESTS=0): "
        f"{no_recycling['walk']['rps'] / no_recycling['bare']['rps']:.2f}. "
        "'paced' rows: 50 users pausing 0.5–1.5 s after each response. 'machine busy' counts all of the "
        "machine's CPU, the other work on it included.",
        "",
    ]
    if pages["server_errors"]:
        lines += ["Server errors logged: " + "; ".join(pages["server_errors"][:5]), ""]
    if "keeps_alive" in pages:
        lines += [
            f"HTTP keep-alive: {'on' if pages['keeps_alive'] else 'off (every response closes its connection)'}."
            + (" gunicorn warned: " + "; ".join(pages["warnings"]) if pages["warnings"] else ""),
            "",
        ]
    return lines


def class_detail(results: dict) -> list[str]:
    labels = (
        ("class_sqlite", "SQLite"),
        ("class_postgres", "PostgreSQL"),
        ("class_no_pdf", "SQLite, no PDF"),
    )
    runs = [
        (label, results[key]) for key, label in labels if key in results and "skipped" not in results[key]
    ]
    lines = [
        "### 2. A class of 30: p95 per kind of request",
        "",
        "30 students join within 3 s and each does the whole lesson: join with the code, check in, walk all 12 "
        "main steps and the detour (two options on each choice), build the 8 parts of the plan, read the "
        "summary, download the PDF (checked to be one), give feedback; 0.3–1.0 s between pages. Hashed static "
        "files are fetched once per student, as a browser's first visit does. 'SQLite, no PDF' is the same "
        "class without the download: the difference is what PDF renders (CPU-bound, holding the worker's "
        "GIL) cost the other requests handled by the same worker meanwhile.",
        "",
    ]
    header = (
        "| kind | requests | " + " | ".join(f"{label} p50 | {label} p95" for label, _ in runs) + " | failed |"
    )
    lines += [header, "|---|---|" + "---|---|" * len(runs) + "---|"]
    kinds = sorted({kind for _, run in runs for kind in run["kinds"]})
    for kind in kinds:
        cells = []
        for _, run in runs:
            figures = run["kinds"].get(kind, {})
            cells.append(f"{ms(figures.get('p50'))} | {ms(figures.get('p95'))}")
        count = runs[0][1]["kinds"].get(kind, {}).get("count", 0)
        failed = sum(run["kinds"].get(kind, {}).get("failures", 0) for _, run in runs)
        lines.append(f"| {kind} | {count} | {' | '.join(cells)} | {failed} |")
    for label, run in runs:
        seconds = run["journey_seconds"]
        lines.append("")
        lines.append(
            f"{label}: every request p50 {ms(run['total']['p50'])}, p95 {ms(run['total']['p95'])}, slowest "
            f"{ms(run['total']['max'])}; one student's lesson took {min(seconds):.0f}–{max(seconds):.0f} s "
            f"(median {statistics.median(seconds):.0f} s); worker peak memory "
            f"{mb(max(run['memory_peaks'].values(), default=0))}." + errors_text(run)
        )
    if "skipped" in results["class_postgres"]:
        lines += ["", f"PostgreSQL: not run ({results['class_postgres']['skipped']})."]
    return [*lines, ""]


def errors_text(run: dict) -> str:
    problems = [f"{e['kind']}: {e['error']} ×{e['occurrences']}" for e in run["errors"][:5]]
    problems += [f"student {j['number']}: {j['error']}" for j in run["incomplete"][:3]]
    problems += [f"server: {line}" for line in run["server_errors"][:3]]
    return (" Errors: " + "; ".join(problems) + ".") if problems else ""


def burst_detail(burst: dict) -> list[str]:
    seconds = burst["journey_seconds"] or [0]
    lines = [
        "### 3–4. A school's burst on SQLite, and worker memory",
        "",
        f"{burst['users']} students, one every {150 / burst['users']:.1f} s over 150 s, each doing the whole "
        f"lesson as in §2 (up to {round(burst['users'] * statistics.median(seconds) / 150)} at once). "
        f"Last lesson finished {burst['wall_seconds']:.0f} s after the first student arrived; one lesson "
        f"took {min(seconds):.0f}–{max(seconds):.0f} s (median {statistics.median(seconds):.0f} s)."
        + errors_text(burst),
        "",
        "| kind | requests | p50 | p95 | slowest | failed |",
        "|---|---|---|---|---|---|",
    ]
    for kind, figures in sorted(burst["kinds"].items()):
        lines.append(
            f"| {kind} | {figures['count']} | {ms(figures['p50'])} | {ms(figures['p95'])} | "
            f"{ms(figures['max'])} | {figures['failures']} |"
        )
    total = burst["total"]
    lines += [
        f"| every request | {total['count']} | {ms(total['p50'])} | {ms(total['p95'])} | {ms(total['max'])} | "
        f"{total['failures']} |",
        "",
        f"Workers: {len(burst['memory_peaks'])} worker processes over the burst ({burst['workers_booted']} "
        f"booted in all: gunicorn recycles a worker {burst['recycling']}). Peak resident memory "
        "(VmHWM) of each: " + ", ".join(mb(peak) for peak in sorted(burst["memory_peaks"].values())) + ". "
        "After the burst: "
        + ", ".join(f"{mb(m.get('VmRSS', 0))} resident" for m in burst["workers_after"].values())
        + ".",
        "",
    ]
    return lines


def weight_detail(weight: dict) -> list[str]:
    lines = [
        "### 5. Page weight of a student step page",
        "",
        "Bytes received, headers included, with `Accept-Encoding: gzip, deflate, br` as a browser sends. A "
        "repeat visit asks again only for what is not cached for a day or more (WhiteNoise gives hashed "
        "files a ten-year `immutable` lifetime); the page names its icon, so /favicon.ico is asked for only "
        "if it did not.",
        "",
        "| visit | file | status | encoding | bytes received | cached for long |",
        "|---|---|---|---|---|---|",
    ]
    for visit in ("first", "repeat"):
        for row in weight[visit]:
            lines.append(
                f"| {visit} | {row['path']} | {row['status']} | {row['encoding']} | {row['wire']} | "
                f"{'yes' if row['long_cached'] else 'no'} |"
            )
    lines += [
        "",
        f"The HTML itself ({weight['html_bytes']} bytes) is sent uncompressed: Django does not compress pages "
        f"(no GZipMiddleware, which would expose the CSRF token to BREACH); gzip would make it "
        f"{weight['html_gzip_bytes']} bytes, which a reverse proxy doing so would save.",
        "",
    ]
    return lines


def killed_detail(killed: dict) -> list[str]:
    kill = killed["kill"]
    check = killed["check"]
    if kill.get("killed_pid"):
        when = (
            f"The first {kill['together']} students to send their feedback sent it together and worker "
            f"{kill['killed_pid']} got SIGKILL 5 ms later (the master untouched), with "
            f"{kill['feedback_in_flight']} feedback submissions in flight; it was the worker holding the most "
            f"client connections at that moment ({kill.get('victim_connections', '?')}, read from /proc). "
        )
    else:
        when = "**No worker was killed** (the trigger never fired). "
    cut = ", ".join(f"{e['kind']} ×{e['occurrences']}" for e in killed["errors"]) or "none"
    booted = killed["workers_booted"]
    return [
        "### 6. A worker killed during a class",
        "",
        "The class of §2 on SQLite again, each student retrying (as a reload would, up to 5 times, 0.5 s apart) "
        "after a dropped connection or a 502/503; a retried form that now redirects to its thanks page counts "
        "as acknowledged, since that is what the student sees. "
        + when
        + f"The master {'stayed up' if killed['master_alive'] else 'DIED'} and {booted - 2} replacement "
        f"worker(s) booted. Requests cut by the kill (then retried): {killed['total']['failures']} ({cut}); "
        f"lessons completed: {killed['completed']} of {killed['users']}.",
        "",
        f"Acknowledged feedback: {check['feedback_acknowledged']}; rows stored: {check['feedback_stored']}; "
        f"acknowledged but missing: {len(check['feedback_lost'])}; stored twice: {len(check['feedback_doubled'])} "
        "(each student's comment is unique, so each acknowledgement is matched to its row). Check-ins "
        f"acknowledged {check['checkin_acknowledged']}, stored {check['checkin_stored']}. The same property is "
        "a test: tests/deploy/test_worker_killed.py.",
        "",
    ]


def notes() -> list[str]:
    return [
        "### Reading these figures",
        "",
        "- The load generator shares the 2 cores with gunicorn (its CPU share is in the table above), and "
        "other engineers' work runs on the same machine; rates are lower than on a quiet server, and more so "
        "for the cheap bare view than for the lesson page, so the ratio is flattered rather than hurt by it.",
        "- With 50 requests always in flight, latency is queueing: p50 ≈ 50 ÷ rate (Little's law), so a p95 "
        "under 50 ms at that load needs well over 1000 lesson pages per second. The paced rows show the "
        "latency 50 students clicking about once a second would see.",
        "- Percentiles come from locust's histogram (1 ms buckets below 100 ms, 10 ms to 1 s).",
        "",
    ]
