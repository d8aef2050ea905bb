"""What backup_database and restore_database both do to a database's files: copy a SQLite database page by page
with its online backup API, and run PostgreSQL's own tools (pg_dump, pg_restore) with the connection details
in their environment."""

import contextlib
import os
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import CommandError


def sqlite_copy(source: sqlite3.Connection, target: str | Path) -> None:
    """Copy the open database `source` into the file `target`, then close both. The online backup API copies
    a consistent snapshot even while others write to the source (WAL mode), a batch of pages at a time."""
    try:
        with contextlib.closing(sqlite3.connect(str(target), timeout=30)) as copy:
            source.backup(copy, pages=1024)
    finally:
        source.close()


def _postgres_env(settings_dict: dict) -> dict[str, str]:
    env = dict(os.environ)
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ]:
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    env["PGDATABASE"] = str(settings_dict["NAME"])
    return env


def run_postgres_tool(command: list[str], settings_dict: dict) -> None:
    """Run pg_dump or pg_restore on the database `settings_dict` describes; CommandError with the tool's own
    message when it fails."""
    result = subprocess.run(  # noqa: S603 - a fixed argument list, no shell
        command,
        env=_postgres_env(settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise CommandError(f"{command[0]} failed: {result.stderr.strip()}")
