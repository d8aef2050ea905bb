"""The load benchmarks' databases (SQLite or a throw-away PostgreSQL one) and their workers' memory over a run."""

import json
import os
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

from common import PYTHON, ROOT, memory_mib, worker_pids


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
