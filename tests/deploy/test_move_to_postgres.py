"""Moving a school's SQLite database to PostgreSQL with the commands in docs/deploy.md loses nothing."""

import os
import subprocess
import sys
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow

POSTGRES = os.environ.get("POSTGRES_TEST_URL", "")

# Made on the SQLite server: a teacher, a class session, a draft and some feedback.
MAKE_DATA = """
from django.contrib.auth import get_user_model
from feedback.services import feedback_submit
from lessons.models import Package
from lessons.services import class_session_open, package_start_draft
package = Package.objects.get(slug="personal-plan")
teacher = get_user_model().objects.create_user("ms.patel", password="a long pass phrase 42")
session = class_session_open(teacher=teacher, package=package, label="9B")
for n in range(6):
    feedback_submit(package=package, class_session=session, stage="feedback", token=f"t{n}",
                    answers={"would-use-plan": 4, "what-change": f"comment {n}"})
package_start_draft(source=package)
"""

COUNT = """
from django.apps import apps
from django.contrib.auth import authenticate
counts = {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in {"lessons", "feedback", "auth"}}
counts["login"] = authenticate(username="ms.patel", password="a long pass phrase 42") is not None
print(sorted(counts.items()))
"""


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute(statement)


@pytest.mark.long
@pytest.mark.skipif(not POSTGRES, reason="needs POSTGRES_TEST_URL (CI sets it)")
def test_dumpdata_and_loaddata_move_everything_from_sqlite_to_postgresql(tmp_path):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SQLITE_PATH", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    base["SECRET_KEY"] = "move-test-" + "k" * 40
    sqlite = {**base, "SQLITE_PATH": str(tmp_path / "school.sqlite3")}
    _manage(sqlite, "migrate", "--noinput")
    _manage(sqlite, "load_package", "packages/personal-plan.yaml")
    _manage(sqlite, "shell", "-c", MAKE_DATA)
    before = _manage(sqlite, "shell", "-c", COUNT)
    dump = tmp_path / "personal-plan.json"
    _manage(
        sqlite, "dumpdata", "--natural-foreign", "--natural-primary", "--exclude", "contenttypes",
        "--exclude", "auth.permission", "--exclude", "admin.logentry", "--exclude", "sessions",
        "--indent", "1", "-o", str(dump),
    )  # fmt: skip

    name = f"move_{uuid.uuid4().hex[:12]}"
    _admin_sql(f'CREATE DATABASE "{name}"')
    try:
        parts = urlsplit(POSTGRES)
        postgres = {**base, "DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}"))}
        _manage(postgres, "migrate", "--noinput")
        _manage(postgres, "loaddata", str(dump))
        after = _manage(postgres, "shell", "-c", COUNT)
    finally:
        _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert after == before
    assert "('feedback.FeedbackResponse', 6)" in after and "('login', True)" in after
