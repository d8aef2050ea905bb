"""What both benchmarks share: Django and gunicorn on loopback, the machine's description, RESULTS.md."""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
PACKAGE_FILE = ROOT / "packages" / "personal-plan.yaml"
PYTHON = Path(sys.executable)
GUNICORN = PYTHON.with_name("gunicorn")
WORKERS = 2


# The app ------------------------------------------------------------------------------------------------------


def base_environment(folder: Path, secret_key: str, static_root: Path | None = None) -> dict[str, str]:
    """This process's environment for a benchmark's app: its data in `folder`, never the developer's database."""
    drop = {"DATABASE_URL", "SQLITE_PATH", "DEBUG", "HTTPS", "GUNICORN_CMD_ARGS"}
    env = {key: value for key, value in os.environ.items() if key not in drop}
    env.update(
        DATA_DIR=str(folder),
        SECRET_KEY=secret_key,
        DJANGO_SETTINGS_MODULE="config.settings",
        BENCH_VIEWS="true",
        PYTHONUNBUFFERED="1",
    )
    if static_root:
        env["STATIC_ROOT"] = str(static_root)
    return env


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def migrate_and_load_package() -> None:
    from django.core.management import call_command

    from lessons.package_file import load_package_file

    call_command("migrate", verbosity=0)
    load_package_file(PACKAGE_FILE)


# gunicorn -----------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def worker_pids(master: int) -> list[int]:
    try:
        return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except FileNotFoundError:
        return []


def memory_mib(pid: int) -> dict[str, float]:
    """Resident memory now (VmRSS) and its peak over the process's life (VmHWM), in MiB."""
    figures = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                figures[line.split(":")[0]] = int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return figures


class Gunicorn:
    """The project's gunicorn.conf.py with 2 workers on a free loopback port; stopped on leaving.

    `extra` overrides environment variables (GUNICORN_ACCESS_LOG=..., say); `arguments` are added to the
    command line."""

    def __init__(self, env: dict[str, str], log: Path, arguments: tuple[str, ...] = (), **extra: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.arguments = arguments
        self.env = {
            **env,
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(WORKERS),
            "GUNICORN_ACCESS_LOG": "/dev/null",
            # Our own control socket setting: never share the default one with other gunicorns here.
            "GUNICORN_CMD_ARGS": "--no-control-socket",
            **extra,
        }

    def __enter__(self) -> "Gunicorn":
        self.handle = self.log.open("w")
        self.process = subprocess.Popen(
            [str(GUNICORN), "-c", "gunicorn.conf.py", *self.arguments, "config.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200 and len(self.workers()) == WORKERS:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not become healthy:\n{self.log.read_text()[-3000:]}")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.handle.close()

    @property
    def master(self) -> int:
        return self.process.pid

    def workers(self) -> list[int]:
        return worker_pids(self.master)

    def peak_memory_mib(self) -> dict[int, float]:
        """Each worker's peak resident memory (VmHWM) so far."""
        return {pid: memory_mib(pid).get("VmHWM", 0.0) for pid in self.workers()}

    def recycling(self) -> str:
        """gunicorn.conf.py's max_requests and jitter as this server has them (its environment included)."""
        done = subprocess.run(
            [
                str(PYTHON),
                "-c",
                "import runpy; c = runpy.run_path('gunicorn.conf.py'); "
                "print(c['max_requests'], c['max_requests_jitter'])",
            ],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        max_requests, jitter = (int(value) for value in done.stdout.split())
        if not max_requests:
            return "never (max_requests 0)"
        return f"after {max_requests:,} ± {jitter:,} requests"

    def workers_booted(self) -> int:
        return self.log.read_text().count("Booting worker")

    def keeps_alive(self) -> bool:
        """Whether the server keeps an HTTP/1.1 connection open after a response (browsers reuse it)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            response.read()
            return response.getheader("Connection", "").lower() != "close" and not response.will_close
        finally:
            connection.close()

    def warnings(self) -> list[str]:
        lines = self.log.read_text().splitlines()
        return sorted({line.split("] ", 3)[-1] for line in lines if "[WARNING]" in line})

    def tracebacks(self) -> list[str]:
        """The exception line of every traceback the server logged (an error that reached a student)."""
        found, inside = [], False
        for line in self.log.read_text().splitlines():
            if line.startswith("Traceback (most recent call last):"):
                inside = True
            elif inside and not line.startswith((" ", "\t")):
                found.append(line[:200])
                inside = False
        return found


# The machine --------------------------------------------------------------------------------------------------


def wait_for_quiet(seconds: float, below: float = 1.0) -> None:
    """Other work on this shared machine skews every figure: wait (bounded) for the one-minute load to settle."""
    deadline = time.monotonic() + seconds
    while os.getloadavg()[0] >= below and time.monotonic() < deadline:
        time.sleep(5)


def load_average(values: tuple[float, ...] | None = None) -> str:
    """The 1/5/15-minute load average, now or as recorded, as '0.41 / 1.02 / 1.50'."""
    return " / ".join(f"{value:.2f}" for value in (values if values is not None else os.getloadavg()))


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip()


def machine() -> dict:
    memory = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "uname": subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip(),
        "nproc": subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() or os.cpu_count(),
        "memory_gib": int(memory) / 1024 / 1024,
        "commit": git("rev-parse", "--short", "HEAD") or "unknown",
        # The results file itself does not count: each benchmark writes its own section of it.
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/RESULTS.md")),
        "python": subprocess.run([str(PYTHON), "--version"], capture_output=True, text=True).stdout.strip(),
        "load": os.getloadavg(),
    }


def describe_commit(machine: dict) -> str:
    tree = " with uncommitted changes in the working tree" if machine["dirty"] else ""
    return f"commit {machine['commit']}{tree}"


def describe_machine(machine: dict) -> str:
    return (
        f"`{machine['uname']}`; {machine['nproc']} cores (nproc); {machine['memory_gib']:.1f} GiB of memory; "
        f"{machine['python']}"
    )


# Figures ------------------------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (`fraction` 0.95 for p95) of at least one value."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


# bench/RESULTS.md ---------------------------------------------------------------------------------------------

LOAD_HEADING = "## Load, memory and page weight (issue 5 §4–5)"
PDF_HEADING = "## Plan PDF"
LIVE_HEADING = "## Live lesson (issue 9 §4)"
PICTURE_WEIGHT_HEADING = "## Page weight of a step page with a picture (issue 11 §1)"
DIFFERENCES_HEADING = "## Where these benchmarks differ from a school's server"
# Sections appear in this order, whichever benchmark wrote last; any other section follows them.
SECTION_ORDER = (LOAD_HEADING, PICTURE_WEIGHT_HEADING, PDF_HEADING, LIVE_HEADING, DIFFERENCES_HEADING)


def differences() -> str:
    """Rewritten with every section, so that it stays in RESULTS.md and says what the figures leave out."""
    return "\n".join(
        [
            DIFFERENCES_HEADING,
            "",
            "The figures are for the app and gunicorn alone, on a machine shared with other work. On a "
            "school's server, nginx in front does HTTPS across the school's network (latency these loopback "
            "runs on 127.0.0.1 do not have) and the load generator takes no CPU; gunicorn writes an access "
            "line per request to journald, where these runs send it to /dev/null (the PDF benchmark: a "
            "two-field file, to count downloads per worker); workers default to one per core rather than "
            "WEB_CONCURRENCY=2; and the database has a year of sessions and feedback rather than one "
            "scenario's. Step pages here come from each worker's cache of the one package version in use "
            "(lessons/step_cache.py) after its first request, as on a school's server running one version; "
            "after a restart, or with several versions in use, each is loaded once per worker first. The "
            "simulated students of one class reach the same few pages, so a story step's question box "
            "(lessons/live_responses/rendering.py) and the class's state (live.RecentStates, a quarter of a "
            "second) are kept as they would be for a class of 30, and more often than for a class spread "
            "over many steps. BENCH_VIEWS=true adds /bench/bare, which a school's server never has.",
            "",
        ]
    )


def _sections(text: str) -> tuple[str, dict[str, str]]:
    """The title (and anything before the first section), then each `## ` section by its heading line."""
    title, *parts = re.split(r"(?m)^(?=## )", text)
    return title, {part.split("\n", 1)[0]: part.rstrip("\n") + "\n" for part in parts}


def write_section(section: str, path: Path = RESULTS) -> None:
    """Put this section (it starts with its `## ` heading) into RESULTS.md, replacing its previous run; the
    other sections stay as they are, and the differences from a school's server are rewritten after them."""
    text = path.read_text() if path.exists() else "# Benchmark results\n\n"
    title, sections = _sections(text)
    sections[section.split("\n", 1)[0]] = section.rstrip("\n") + "\n"
    sections[DIFFERENCES_HEADING] = differences()
    ordered = [heading for heading in SECTION_ORDER if heading in sections]
    ordered += [heading for heading in sections if heading not in SECTION_ORDER]
    path.write_text(title.rstrip("\n") + "\n\n" + "\n".join(sections[heading] for heading in ordered))
