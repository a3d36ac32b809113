# The real-worker fixtures (a worker process on its own queue, eager mode off), shared with
# the core's worker test.
from tests.iom.test_celery_worker import broker_url, eager_off, worker  # noqa: F401
