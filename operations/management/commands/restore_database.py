"""Restore a backup made by backup_database, replacing everything in the database. Stop the app first."""

import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from operations.database_files import run_postgres_tool, sqlite_copy


class Command(BaseCommand):
    help = "Replace the database with a backup made by backup_database. Stop the app servers first."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--database", default="default")
        parser.add_argument("--yes", action="store_true", help="Do not ask before replacing the data.")

    def handle(self, *args, path: str, database: str, yes: bool, **options):
        connection = connections[database]
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"{source} is not a file")
        if (
            not yes
            and input(f"Replace everything in the database with {source}? Type yes: ").strip() != "yes"
        ):
            raise CommandError("Nothing was changed.")
        connection.close()
        if connection.vendor == "sqlite":
            try:
                backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
                backup.execute("PRAGMA schema_version").fetchone()
            except sqlite3.DatabaseError as error:
                raise CommandError(f"{source} is not a SQLite backup ({error})") from None
            sqlite_copy(backup, connection.settings_dict["NAME"])
        elif connection.vendor == "postgresql":
            command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
            command += ["--dbname", connection.settings_dict["NAME"], str(source)]
            run_postgres_tool(command, connection.settings_dict)
        else:
            raise CommandError(f"restoring {connection.vendor} databases is not supported")
        self.stdout.write(f"Restored the database from {source}.")
