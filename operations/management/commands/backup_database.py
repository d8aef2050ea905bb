"""Back up the database to a file while the app keeps running.

SQLite: the online backup API copies a consistent snapshot even while students are writing (WAL mode).
PostgreSQL: pg_dump in its custom format (restore with restore_database or pg_restore).
"""

import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from operations.database_files import run_postgres_tool, sqlite_copy


class Command(BaseCommand):
    help = "Back up the database to PATH while the app runs (SQLite snapshot, or pg_dump for PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--database", default="default")

    def handle(self, *args, path: str, database: str, **options):
        connection = connections[database]
        target = Path(path)
        if target.exists():
            raise CommandError(
                f"{target} already exists; choose a new file name so no backup is overwritten."
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        if connection.vendor == "sqlite":
            sqlite_copy(sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=30), target)
        elif connection.vendor == "postgresql":
            command = ["pg_dump", "--format=custom", "--no-owner", "--file", str(target)]
            try:
                run_postgres_tool(command, connection.settings_dict)
            except CommandError:
                target.unlink(missing_ok=True)
                raise
        else:
            raise CommandError(f"backups of {connection.vendor} databases are not supported")
        target.chmod(0o600)
        self.stdout.write(f"Backed up the {connection.vendor} database to {target}.")
