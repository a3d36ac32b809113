"""A database connection the server dropped is replaced before a request uses it: after every
backend of the application is terminated, the next request succeeds (CONN_HEALTH_CHECKS).

The application runs under gunicorn, as in production, with one process that keeps its
connection between requests (CONN_MAX_AGE)."""

import http.client
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.iom.redis_server import free_port
from tests.iom.test_celery_worker import _test_database_url

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parent.parent.parent
START_SECONDS = 60


def test_connections_are_kept_and_checked_before_they_are_reused():
    if connection.vendor != "postgresql":
        pytest.skip("Persistent connections are configured for PostgreSQL (DATABASE_URL).")
    database = settings.DATABASES["default"]
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["CONN_MAX_AGE"] > 0


def _get(port: int, session: str = "") -> int:
    """The status of GET /status/ (not following a redirect)."""
    server = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        server.request("GET", "/status/", headers={"Cookie": f"sessionid={session}"})
        return server.getresponse().status
    finally:
        server.close()


def _terminate_other_backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@pytest.fixture
def server(transactional_db, tmp_path):
    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "DJANGO_SETTINGS_MODULE": "iom.settings",
    }
    command = [sys.executable, "-m", "gunicorn", "iom.wsgi", "--bind", f"127.0.0.1:{port}",
               "--workers", "1", "--threads", "1"]  # fmt: skip
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            if _get(port) == 302:  # to the sign-in page: the server is up
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail(f"gunicorn did not answer:\n{log_path.read_text()}")
    yield port, log_path
    process.terminate()
    process.wait(timeout=20)


def test_the_next_request_succeeds_after_the_database_connections_are_terminated(server, manager):
    port, log_path = server
    browser = Client()
    browser.force_login(manager)  # a session row the server reads on every request
    session = browser.cookies["sessionid"].value
    assert _get(port, session) == 200
    assert _terminate_other_backends() >= 1  # the server's kept connection
    assert _get(port, session) == 200, log_path.read_text()
    assert _get(port, session) == 200
