"""Operations: purging what has expired, and backing up and restoring the database while the app runs."""

import threading
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import FailureCount
from accounts.throttle import record_failure
from lessons.models import ClassSession, Package
from operations.database_files import run_postgres_tool
from tests.builders import make_class_session, start_self_guided


@pytest.mark.django_db
def test_purge_expired_deletes_expired_sessions_and_old_counters(mini_package, capsys):
    start_self_guided(Client(), mini_package)
    start_self_guided(Client(), mini_package)
    Session.objects.filter(pk=Session.objects.first().pk).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    record_failure(["current"], 900)
    FailureCount.objects.create(key="old", window_start=timezone.now() - timedelta(days=1), count=3)
    call_command("purge_expired")
    assert "Deleted 1 expired sessions, 1 old counters and 0 rows" in capsys.readouterr().out
    assert Session.objects.count() == 1
    assert list(FailureCount.objects.values_list("key", flat=True)) == ["current"]


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_while_students_write_restores_everything(tmp_path, alice, mini_package):
    sessions_before = [make_class_session(teacher=alice, package=mini_package) for _ in range(5)]
    stop = threading.Event()

    def students_keep_joining():
        while not stop.is_set():
            start_self_guided(Client(), mini_package)
        connection.close()

    writer = threading.Thread(target=students_keep_joining)
    writer.start()
    try:
        backup = tmp_path / "backup.db"
        call_command("backup_database", str(backup))
    finally:
        stop.set()
        writer.join()
    assert (backup.stat().st_mode & 0o777) == 0o600
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup_database", str(backup))
    snapshot_codes = sorted(ClassSession.objects.values_list("join_code", flat=True))
    # Disaster: the data is lost.
    ClassSession.objects.all().delete()
    Package.objects.all().delete()
    call_command("restore_database", str(backup), yes=True)
    restored = sorted(ClassSession.objects.values_list("join_code", flat=True))
    assert restored == snapshot_codes == sorted(s.join_code for s in sessions_before)
    assert Package.objects.get().steps.count() == 6


@pytest.mark.django_db
def test_restore_refuses_something_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    with pytest.raises(CommandError):
        call_command("restore_database", str(junk), yes=True)
    with pytest.raises(CommandError, match="is not a file"):
        call_command("restore_database", str(tmp_path / "missing.db"), yes=True)


def test_a_failing_postgresql_tool_says_which_and_why():
    with pytest.raises(CommandError, match=r"pg_dump failed: .*no-such-option"):
        run_postgres_tool(["pg_dump", "--no-such-option"], {"NAME": "plan"})
