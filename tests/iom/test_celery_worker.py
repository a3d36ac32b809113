"""A real Celery worker, in its own process, takes a task from the broker and runs it."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from kombu import Connection, Exchange, Queue

from iom.celery import app as celery_app
from iom.models import Heartbeat
from iom.tasks import record_heartbeat

pytestmark = pytest.mark.worker

ROOT = Path(__file__).resolve().parent.parent.parent
WAIT_FOR_TASK_SECONDS = 60


def _broker_url() -> str:
    url = settings.CELERY_BROKER_URL
    if not url:
        pytest.skip("No Celery broker: set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/15).")
    try:
        with Connection(url, connect_timeout=3) as broker:
            broker.ensure_connection(max_retries=1)
    except Exception as error:  # any failure to connect means the same: no broker to test with
        pytest.skip(f"The Celery broker at {url} is not reachable: {error}")
    return url


def _test_database_url() -> str:
    """The URL of the database this test runs on (test_<name>), for the worker process."""
    if connection.vendor == "sqlite":
        pytest.skip(
            "The worker test needs PostgreSQL (DATABASE_URL): a separate worker "
            "process cannot see the test run's SQLite database."
        )
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))


@pytest.fixture
def broker_url():
    return _broker_url()


@pytest.fixture
def eager_off(broker_url):
    """Make this process send tasks to the broker instead of running them inline."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = broker_url
    yield
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = previous


@pytest.fixture
def worker(transactional_db, broker_url, tmp_path):
    """Start a worker on a queue of its own, connected to this test's database."""
    queue = f"iom-test-{uuid.uuid4().hex}"
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "iom.settings",
        "CELERY_BROKER_URL": broker_url,
        "DATABASE_URL": _test_database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "iom", "worker",
        "--pool=solo", "--concurrency=1", "--loglevel=INFO", "-Q", queue,
        "--without-heartbeat", "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process, queue, log_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        _delete_queue(broker_url, queue)


def _delete_queue(broker_url: str, name: str) -> None:
    """Leave nothing of the test's queue on the broker (declared as Celery declares it)."""
    with Connection(broker_url) as broker:
        queue = Queue(name, Exchange(name), routing_key=name)(broker.default_channel)
        queue.declare()
        queue.delete()


def _wait_for_heartbeat(source: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + WAIT_FOR_TASK_SECONDS
    while time.monotonic() < deadline:
        if Heartbeat.objects.filter(source=source).exists():
            return
        if process.poll() is not None:
            pytest.fail(f"The worker stopped (exit {process.returncode}):\n{log_path.read_text()}")
        time.sleep(0.2)
    pytest.fail(
        f"No heartbeat after {WAIT_FOR_TASK_SECONDS}s; the worker said:\n{log_path.read_text()}"
    )


def test_worker_runs_a_task_sent_through_the_broker(worker, eager_off):
    process, queue, log_path = worker

    sent = record_heartbeat.apply_async(args=["worker-test"], queue=queue)
    _wait_for_heartbeat("worker-test", process, log_path)

    heartbeat = Heartbeat.objects.get(source="worker-test")
    assert heartbeat.count == 1
    assert heartbeat.hostname
    process.terminate()
    process.wait(timeout=20)
    assert f"[{sent.id}] succeeded" in log_path.read_text()
