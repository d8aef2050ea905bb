"""Settings read from the environment, with safe defaults and a SQLite set-up that queues writers."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from tests.builders import settings_in_subprocess

ROOT = settings.BASE_DIR


def test_debug_is_off_unless_set():
    assert settings_in_subprocess("settings.DEBUG") == "False"
    assert settings_in_subprocess("settings.DEBUG", DEBUG="1") == "True"
    assert "DEBUG must be true or false" in settings_in_subprocess("settings.DEBUG", DEBUG="maybe")


def test_it_reads_hosts_origins_and_database_from_the_environment():
    output = settings_in_subprocess(
        "settings.ALLOWED_HOSTS, settings.CSRF_TRUSTED_ORIGINS, settings.DATABASES['default']['ENGINE']",
        ALLOWED_HOSTS="plan.school.example, localhost",
        CSRF_TRUSTED_ORIGINS="https://plan.school.example",
        DATABASE_URL="postgres://u:p@db.example:5432/plan",
    )
    assert output == (
        "(['plan.school.example', 'localhost'], ['https://plan.school.example'], "
        "'django.db.backends.postgresql')"
    )


def test_a_development_run_needs_no_secret_key_and_none_is_in_the_repo(tmp_path):
    key = settings_in_subprocess("settings.SECRET_KEY", DATA_DIR=str(tmp_path)).strip("'")
    assert len(key) >= 50
    assert (tmp_path / "secret_key").read_text() == key
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
    assert settings_in_subprocess("settings.SECRET_KEY", DATA_DIR=str(tmp_path)) == repr(key)
    assert settings_in_subprocess("settings.SECRET_KEY", SECRET_KEY="from-env") == "'from-env'"
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout
    assert "secret_key" not in tracked


def test_it_uses_london_time_and_british_english():
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")
@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions_and_a_busy_timeout():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
    assert connection.transaction_mode == "IMMEDIATE"


def test_the_documented_production_settings_pass_the_deploy_checks():
    # As on a real server: no test-only variables (the browser tests allow async-unsafe ORM calls).
    env = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        SECRET_KEY="x" * 20 + "-production-secret-key-that-is-long-and-random-7f3a9",
        ALLOWED_HOSTS="plan.school.example",
        CSRF_TRUSTED_ORIGINS="https://plan.school.example",
        HTTPS="true",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
