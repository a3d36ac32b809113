"""The broker is not a single point of failure for the user: with Redis stopped or frozen a
request answers within two seconds, saying the job is saved and will start when the service
recovers; the sweeper sends it once Redis is back, and later requests are sent again at once
(docs/jobs.md). A Redis server of the test's own, stopped and frozen by its process id."""

import time

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.risk.models import RankingRun
from iom.tasks import sweep_jobs
from reports.models import Document
from tests.iom.redis_server import RedisServer, tasks_sent_to

pytestmark = pytest.mark.worker

ANSWER_WITHIN_SECONDS = 2
UNSENT = "Documents cannot be produced right now; the request is saved and will start when the "


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    with tasks_sent_to(server.url):
        yield server
    server.stop()


@pytest.fixture
def sweep_at_once(settings):
    settings.IOM_JOB_SEND_GRACE_SECONDS = 0


def _request_document(client, nominal, capture):
    started = time.monotonic()
    with capture(execute=True):
        response = client.post(
            reverse("reports:documents", args=[nominal.pk]), {"kind": "recall-pack"}
        )
    return response, time.monotonic() - started


def test_with_the_broker_stopped_a_document_request_is_saved_and_says_so_at_once(
    client, officer, nominal, redis_server, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    redis_server.stop()
    response, took = _request_document(client, nominal, django_capture_on_commit_callbacks)
    assert took < ANSWER_WITHIN_SECONDS
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.status, document.published_at) == ("queued", None)
    assert UNSENT in client.get(response.url).content.decode()


def test_once_the_broker_is_back_the_sweeper_sends_what_it_could_not_take(
    client, officer, nominal, redis_server, sweep_at_once, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    redis_server.stop()
    _request_document(client, nominal, django_capture_on_commit_callbacks)
    redis_server.start()
    assert sweep_jobs()["published"] == 1
    assert redis_server.queue_length() == 1
    assert Document.objects.get().published_at is not None
    response, _ = _request_document(client, nominal, django_capture_on_commit_callbacks)
    assert redis_server.queue_length() == 2
    assert UNSENT not in client.get(response.url).content.decode()


def test_with_the_broker_frozen_a_document_request_does_not_hang(
    client, officer, nominal, redis_server, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    redis_server.freeze()
    try:
        response, took = _request_document(client, nominal, django_capture_on_commit_callbacks)
    finally:
        redis_server.thaw()
    assert took < ANSWER_WITHIN_SECONDS
    assert response.status_code == 302
    assert Document.objects.get().published_at is None


def test_with_the_broker_stopped_a_managers_ranking_run_is_saved_and_says_so(
    client, manager, redis_server, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    redis_server.stop()
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cohorts:risk-run-start"), follow=True)
    assert time.monotonic() - started < ANSWER_WITHIN_SECONDS
    assert response.status_code == 200
    run = RankingRun.objects.get()
    assert (run.status, run.published_at, run.run_date) == ("queued", None, timezone.localdate())
    assert "Ranking runs cannot be started right now" in response.content.decode()
