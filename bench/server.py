"""The load benchmarks' databases (SQLite or a throw-away PostgreSQL one) and their workers' memory over a run."""

import json
import os
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

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


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system, every thread) of a process so far, from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return None
    return (int(fields[11]) + int(fields[12])) / 100  # utime, stime in clock ticks (100 a second)


@dataclass
class MemorySampler:
    """Reads every worker's /proc/<pid>/status and CPU time a few times a second: workers are recycled
    (max_requests), so a figure read only at the end would miss the ones that came and went."""

    master: int
    peaks: dict[int, float] = field(default_factory=dict)
    # Each worker's CPU seconds when first and last seen: a recycled worker's use is kept to its last sample.
    cpu_first: dict[int, float] = field(default_factory=dict)
    cpu_last: dict[int, float] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)

    def cpu_used(self) -> float:
        """CPU seconds every worker used while sampled (one sampled once counts nothing)."""
        return sum(self.cpu_last[pid] - self.cpu_first[pid] for pid in self.cpu_last)

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(0.2)

    def sample(self) -> None:
        for pid in worker_pids(self.master):
            peak = memory_mib(pid).get("VmHWM")
            if peak:
                self.peaks[pid] = max(peak, self.peaks.get(pid, 0.0))
            used = cpu_seconds(pid)
            if used is not None:
                self.cpu_first.setdefault(pid, used)
                self.cpu_last[pid] = used

    def __enter__(self) -> "MemorySampler":
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
        self.sample()
