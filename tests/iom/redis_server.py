"""A Redis server of the test's own, on a free port, that the test may stop, freeze and start
again; and this process's Celery app pointed at it (tasks sent, not run inline)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
from kombu import pools

from iom.celery import app as celery_app

START_SECONDS = 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            pytest.skip("redis-server is not installed.")
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "no"]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.answers():
                return
            time.sleep(0.05)
        pytest.fail(f"redis-server did not start on port {self.port}")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)  # a frozen server cannot stop
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def flush(self) -> None:
        import redis

        redis.Redis.from_url(self.url, socket_timeout=2).flushall()

    def queue_length(self, queue: str = "celery") -> int:
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=2).llen(queue)


@contextlib.contextmanager
def tasks_sent_to(url: str):
    """This process sends tasks to ``url`` instead of running them inline; the connection
    pools of the previous broker are dropped on the way in and out."""
    conf = celery_app.conf
    previous = conf.task_always_eager, conf.broker_url, os.environ.get("CELERY_BROKER_URL")
    _drop_pools()
    # Celery reads CELERY_BROKER_URL from the environment before its own setting.
    os.environ["CELERY_BROKER_URL"] = url
    conf.task_always_eager, conf.broker_url = False, url
    try:
        yield
    finally:
        _drop_pools()
        conf.task_always_eager, conf.broker_url = previous[:2]
        if previous[2] is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = previous[2]


def _drop_pools() -> None:
    pools.reset()  # kombu's pools are shared, keyed by the broker's address
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
