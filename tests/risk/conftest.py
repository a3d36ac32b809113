import pytest

from iom.celery import app as celery_app

# The real-worker fixtures (a worker process on its own queue, eager mode off), shared with
# the core's worker test.
from tests.iom.test_celery_worker import broker_url, eager_off, worker  # noqa: F401


@pytest.fixture(autouse=True)
def tasks_run_inline():
    """Pages and services queue tasks; outside the worker test they run in the test's own
    process and database, also when a broker is configured (eager_off turns this off)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous
