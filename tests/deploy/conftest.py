"""Fixtures that run the app as real gunicorn servers against the suite's test database."""

import fcntl
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.deploy.servers import server_environment, start_server


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory, worker_id):
    """The static files as a deployment collects them (hashed names, compressed copies): several seconds
    of work on a busy machine, so done once a run, by whichever pytest-xdist worker asks first, in the run's
    shared temporary folder; the others wait for it and use it. scripts/run-tests names a folder for all its
    parts in TEST_COLLECTED_STATIC_DIR (and removes it at the end), so the `timed` part reuses them too."""
    from django.test import override_settings

    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent
    if os.environ.get("TEST_COLLECTED_STATIC_DIR"):
        shared = Path(os.environ["TEST_COLLECTED_STATIC_DIR"])
    root = shared / "collected-staticfiles"
    with open(shared / "collected-staticfiles.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "staticfiles.json").exists():  # the manifest is written last
            with override_settings(
                STATIC_ROOT=root,
                STORAGES={
                    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
                },
            ):
                call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture(autouse=True)
def _deployment_password_hashers(settings):
    """The servers check passwords with the deployment's hashers (Django's own), not the tests' fast one
    (tests/conftest.py): teachers made for a test here are hashed as a deployment would hash them."""
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS


@pytest.fixture
def start_app_server(transactional_db, collected_static, tmp_path):
    """Start gunicorn servers sharing the test database; all are stopped after the test."""
    servers = []

    def start(**env):
        server = start_server(
            server_environment(collected_static, **env), tmp_path / f"server-{len(servers)}.log"
        )
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
