"""Fixtures that run the app as real gunicorn servers against the suite's test database."""

import pytest
from django.core.management import call_command

from tests.deploy.servers import server_environment, start_server


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    root = tmp_path_factory.mktemp("staticfiles")
    from django.test import override_settings

    with override_settings(
        STATIC_ROOT=root,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


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
