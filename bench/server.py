"""The app under test: a database for each scenario, gunicorn (2 workers) on 127.0.0.1, and its workers' memory."""

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
GUNICORN = PYTHON.with_name("gunicorn")
WORKERS = 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def base_environment(folder: Path, secret_key: str, static_root: Path) -> dict[str, str]:
    drop = {"DATABASE_URL", "SQLITE_PATH", "DEBUG", "HTTPS", "GUNICORN_CMD_ARGS"}
    env = {key: value for key, value in os.environ.items() if key not in drop}
    env.update(
        DATA_DIR=str(folder),
        SECRET_KEY=secret_key,
        STATIC_ROOT=str(static_root),
        DJANGO_SETTINGS_MODULE="config.settings",
        BENCH_VIEWS="true",
        PYTHONUNBUFFERED="1",
    )
    return env


def collect_static(env: dict[str, str]) -> None:
    subprocess.run(
        [str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )


def database(env: dict[str, str], *args: str) -> dict:
    done = subprocess.run(
        [str(PYTHON), str(ROOT / "bench" / "database.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


class PostgresDatabase:
    """A throw-away database on the server that `admin_url` reaches (a role allowed to create databases)."""

    def __init__(self, admin_url: str):
        self.admin_url = admin_url
        self.name = f"plan_bench_{os.getpid()}_{int(time.time())}"
        parts = urllib.parse.urlsplit(admin_url)
        self.url = urllib.parse.urlunsplit(parts._replace(path=f"/{self.name}"))

    def _execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as connection:
            connection.execute(sql)

    def __enter__(self) -> "PostgresDatabase":
        self._execute(f'CREATE DATABASE "{self.name}"')
        return self

    def __exit__(self, *exc) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def postgres_reachable(admin_url: str) -> str:
    """'' when a database can be created there, else why not."""
    try:
        import psycopg

        with psycopg.connect(admin_url, connect_timeout=5) as connection:
            connection.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 - any failure means the PostgreSQL runs are skipped, with why
        return f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"
    return ""


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


@dataclass
class MemorySampler:
    """Reads every worker's /proc/<pid>/status a few times a second: workers are recycled (max_requests),
    so a peak read only at the end would miss the ones that came and went."""

    master: int
    peaks: dict[int, float] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(0.2)

    def sample(self) -> None:
        for pid in worker_pids(self.master):
            peak = memory_mib(pid).get("VmHWM")
            if peak:
                self.peaks[pid] = max(peak, self.peaks.get(pid, 0.0))

    def __enter__(self) -> "MemorySampler":
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
        self.sample()


class Gunicorn:
    """The project's gunicorn.conf.py with 2 workers on a free loopback port; stopped on leaving."""

    def __init__(self, env: dict[str, str], log: Path, **extra: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
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
            [str(GUNICORN), "-c", "gunicorn.conf.py", "config.wsgi"],
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
