"""Deleted sessions leave no bytes in the SQLite files: secure_delete on every connection, and the write-ahead
log checkpointed and truncated after a session is deleted (flushed, or cleared when expired)."""

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from config.sessions import SessionStore

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite files are what is tested"),
]

# Raw, unencrypted bytes (as a row written before encryption, or any row): what must not survive deletion.
RAW_MARKER = "Axolotl-6620 raw session bytes "


def database_bytes() -> bytes:
    path = Path(connection.settings_dict["NAME"])
    return b"".join(file.read_bytes() for file in (path, Path(f"{path}-wal")) if file.exists())


def insert_raw_session(key: str, *, expires) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) VALUES (%s, %s, %s)",
            [key, RAW_MARKER * 40, connection.ops.adapt_datetimefield_value(expires)],
        )
    assert RAW_MARKER.encode() in database_bytes()


def test_every_connection_turns_secure_delete_on():
    # Debian's SQLite is built with secure_delete on by default; other builds are not, hence the PRAGMA.
    assert "PRAGMA secure_delete=ON" in settings.DATABASES["default"]["OPTIONS"]["init_command"]
    answers = []

    def fresh_connection():
        with connections["default"].cursor() as cursor:  # a new thread makes a new connection
            cursor.execute("PRAGMA secure_delete")
            answers.append(cursor.fetchone()[0])
        connections["default"].close()

    thread = threading.Thread(target=fresh_connection)
    thread.start()
    thread.join()
    assert answers == [1]


def test_deleting_a_session_wipes_its_bytes_from_the_database_and_the_log():
    key = "a" * 32
    insert_raw_session(key, expires=timezone.now() + timedelta(hours=1))
    SessionStore(session_key=key).delete()
    assert RAW_MARKER.encode() not in database_bytes()
    wal = Path(f"{connection.settings_dict['NAME']}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_clearing_expired_sessions_wipes_their_bytes_too():
    insert_raw_session("b" * 32, expires=timezone.now() - timedelta(seconds=1))
    call_command("clearsessions")
    assert RAW_MARKER.encode() not in database_bytes()
