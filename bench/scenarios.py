"""The load scenarios of issue 5 §4–5, each against a fresh database and its own gunicorn (2 workers)."""

import json
import statistics
import subprocess
import time
from pathlib import Path

import page_weight
from common import PYTHON, ROOT, Gunicorn, memory_mib
from server import MemorySampler, PostgresDatabase, database

LOADGEN = ROOT / "bench" / "loadgen.py"
STEP_REQUESTS_PER_STUDENT = 150  # a whole lesson is about 75 requests; the cap stops a run that loops


def loadgen(env: dict[str, str], config: dict, time_limit: float) -> dict:
    """Run one locust scenario in its own process (gevent patches the standard library there)."""
    done = subprocess.run(
        [str(PYTHON), str(LOADGEN), json.dumps(config)],
        cwd=ROOT / "bench",
        env=env,
        capture_output=True,
        text=True,
        timeout=time_limit + 60,
    )
    if done.returncode != 0:
        raise RuntimeError(f"load generator failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def cpu_busy() -> tuple[int, int]:
    """Busy and total jiffies of the whole machine (other work on it included), from /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def with_database(
    env: dict[str, str], folder: Path, name: str, postgres: PostgresDatabase | None, classes: int = 1
):
    scenario_env = dict(env)
    if postgres:
        scenario_env["DATABASE_URL"] = postgres.url
    else:
        scenario_env["SQLITE_PATH"] = str(folder / f"{name}.sqlite3")
    return scenario_env, database(scenario_env, "prepare", str(classes))


def phases(env: dict[str, str], server: Gunicorn, join_codes, plan: list[dict]) -> list[dict]:
    """Each phase in a fresh locust process: `users` users on one page, warm-up, then a measured window; each
    phase's students join a class of their own (the next of `join_codes`), as each is a new device."""
    measured = []
    for spec in plan:
        booted, busy = server.workers_booted(), cpu_busy()
        config = {"scenario": "pages", "host": server.url, "join_code": next(join_codes), "phases": [spec]}
        result = loadgen(env, config, spec["warmup"] + spec["seconds"] + 10)["phases"][0]
        after = cpu_busy()
        result.update(
            round=spec.get("round", 0),
            paced=bool(spec.get("paced")),
            workers_booted=server.workers_booted() - booted,
            machine_busy=(after[0] - busy[0]) / max(1, after[1] - busy[1]),
        )
        measured.append(result)
    return measured


def pages(env: dict[str, str], folder: Path, *, rounds: int, seconds: float, users: int = 50) -> dict:
    """The lesson step page against the bare view on one server, in interleaved rounds (the machine is shared
    and noisy; rounds side by side make the ratio fair), then both at a student's pace, then both again with
    worker recycling off, to show what gunicorn's max_requests costs each."""
    plan_size = rounds * 3 + 2 + 2  # the rounds, the paced pair, the pair without recycling
    scenario_env, fixture = with_database(env, folder, "pages", None, classes=plan_size + 2)
    codes = iter(fixture["join_codes"])

    def spec(user: str, **extra) -> dict:
        return {
            "user": user,
            "users": users,
            "warmup": 3,
            "seconds": seconds,
            "max_requests": 100_000,
            **extra,
        }

    plan = [
        spec(user, round=number) for number in range(1, rounds + 1) for user in ("bare", "walk", "revisit")
    ]
    plan += [spec("bare", paced=1.0), spec("walk", paced=1.0)]
    with Gunicorn(scenario_env, folder / "pages-gunicorn.log") as server:
        measured = phases(env, server, codes, plan)
        weight = page_weight.measure(server.url, next(codes))
        weight["heaviest_step"] = page_weight.heaviest_step(server.url, next(codes))
        recycling = server.recycling()
        problems = server.tracebacks()
        keeps_alive, warnings = server.keeps_alive(), server.warnings()
    no_recycling_log = folder / "pages-no-recycling-gunicorn.log"
    with Gunicorn(scenario_env, no_recycling_log, GUNICORN_MAX_REQUESTS="0") as server:
        no_recycling = phases(env, server, codes, [spec("bare"), spec("walk")])
        problems += server.tracebacks()
    saturated = [phase for phase in measured if not phase["paced"]]

    def median(user: str, key: str) -> float:
        return statistics.median(phase[key] for phase in saturated if phase["user"] == user)

    def ratios(user: str) -> list[float]:
        """The page's rate over the bare view's in the same round: both met the same load on the machine."""
        return [
            page["rps"] / bare["rps"]
            for page in saturated
            if page["user"] == user
            for bare in saturated
            if bare["user"] == "bare" and bare["round"] == page["round"]
        ]

    return {
        "phases": measured,
        "median": {
            user: {key: median(user, key) for key in ("rps", "p50", "p95", "generator_cpu", "machine_busy")}
            for user in ("bare", "walk", "revisit")
        },
        "ratios": {user: ratios(user) for user in ("walk", "revisit")},
        "recycling": recycling,
        "paced": {phase["user"]: phase for phase in measured if phase["paced"]},
        "no_recycling": {phase["user"]: phase for phase in no_recycling},
        "weight": weight,
        "server_errors": problems,
        "keeps_alive": keeps_alive,
        "warnings": warnings,
    }


def journeys(
    env: dict[str, str],
    folder: Path,
    name: str,
    *,
    users: int,
    arrival_seconds: float,
    time_limit: float,
    postgres: PostgresDatabase | None = None,
    kill_together: int = 0,
    retries: int = 0,
    download: bool = True,
) -> dict:
    """Students doing the whole lesson; afterwards, the database is compared with what was acknowledged."""
    scenario_env, fixture = with_database(env, folder, name, postgres)
    with Gunicorn(scenario_env, folder / f"{name}-gunicorn.log") as server:
        config = {
            "scenario": "journeys",
            "host": server.url,
            "join_code": fixture["join_code"],
            "users": users,
            "arrival_seconds": arrival_seconds,
            "think": [0.3, 1.0],
            "retries": retries,
            "run": name,
            "time_limit": time_limit,
            "max_requests": users * STEP_REQUESTS_PER_STUDENT,
            "download": download,
        }
        if kill_together:
            config["kill"] = {"master_pid": server.master, "port": server.port, "together": kill_together}
        first_workers = server.workers()
        with MemorySampler(server.master) as sampler:
            result = loadgen(env, config, time_limit)
        time.sleep(0.5)
        workers_after = {pid: memory_mib(pid) for pid in server.workers()}
        result.update(
            workers_at_start=first_workers,
            workers_after=workers_after,
            memory_peaks=sampler.peaks,
            workers_booted=server.workers_booted(),
            recycling=server.recycling(),
            server_errors=server.tracebacks(),
            master_alive=server.process.poll() is None,
            keeps_alive=server.keeps_alive(),
            warnings=server.warnings(),
        )
    stored = database(scenario_env, "count", str(fixture["class_session"]))
    result["stored"] = stored
    result["check"] = feedback_check(result["acknowledged"], stored)
    result["database"] = "PostgreSQL" if postgres else "SQLite"
    return result


def feedback_check(acknowledged: list[dict], stored: dict) -> dict:
    """Every acknowledged feedback is stored exactly once (its comment is unique to the student), and the
    number of check-ins stored equals the number acknowledged (the database allows one per device)."""
    markers = [entry["marker"] for entry in acknowledged if entry["stage"] == "feedback"]
    checkins = sum(1 for entry in acknowledged if entry["stage"] == "checkin")
    lost = [marker for marker in markers if stored["comments"].get(marker, 0) == 0]
    doubled = [marker for marker in markers if stored["comments"].get(marker, 0) > 1]
    return {
        "feedback_acknowledged": len(markers),
        "feedback_stored": stored["feedback"],
        "feedback_lost": lost,
        "feedback_doubled": doubled,
        "checkin_acknowledged": checkins,
        "checkin_stored": stored["checkin"],
        "ok": not lost
        and not doubled
        and stored["feedback"] == len(markers)
        and stored["checkin"] == checkins,
    }


def postgres_journeys(env, folder, admin_url: str, **options) -> dict:
    with PostgresDatabase(admin_url) as postgres:
        return journeys(env, folder, "class-postgresql", postgres=postgres, **options)
