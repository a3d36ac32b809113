"""The health checks the containers run: /healthz/ for web, the scheduler's heartbeat for beat."""

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from iom.models import Heartbeat

ROOT = Path(__file__).resolve().parent.parent.parent


def test_healthz_answers_ok_without_signing_in(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_is_exempt_from_the_https_redirect_and_nothing_else(settings, client, db):
    from iom import settings as project_settings

    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("status")).status_code == 301
    # Production sets the exemption (read from the module, whatever this run's IOM_ENV).
    assert r"^healthz/$" in Path(project_settings.__file__).read_text()


def test_the_web_check_passes_against_a_running_server(live_server):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bin" / "check-web-health"), f"{live_server.url}/healthz/"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr


def test_the_web_check_fails_when_nothing_answers():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bin" / "check-web-health"), "http://127.0.0.1:9/healthz/"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "unhealthy" in result.stderr


@pytest.mark.parametrize(
    ("allowed_hosts", "expected"),
    [
        ("iom.example.org,other.example.org", "iom.example.org"),
        (".example.org", "example.org"),
        ("*", None),
        ("", None),
    ],
)
def test_the_web_check_asks_with_a_host_the_application_accepts(allowed_hosts, expected):
    namespace: dict = {}
    exec(compile((ROOT / "bin" / "check-web-health").read_text(), "check", "exec"), namespace)
    assert namespace["host_header"](allowed_hosts) == expected


def _beat(source: str, seconds_ago: int) -> None:
    Heartbeat.objects.create(source=source, at=timezone.now() - timedelta(seconds=seconds_ago))


def test_a_recent_scheduler_heartbeat_is_healthy(db, capsys):
    _beat("beat", 30)
    call_command("check_heartbeat", "beat", "--max-age", "180")
    assert "'beat' heartbeat" in capsys.readouterr().out


def test_a_stale_scheduler_heartbeat_is_unhealthy(db):
    _beat("beat", 600)
    with pytest.raises(CommandError, match="600 seconds old"):
        call_command("check_heartbeat", "beat", "--max-age", "180")


def test_no_scheduler_heartbeat_yet_is_unhealthy(db):
    _beat("worker", 0)
    with pytest.raises(CommandError, match="No 'beat' heartbeat"):
        call_command("check_heartbeat", "beat")


def test_beat_sends_its_own_heartbeat_more_often_than_the_check_allows(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["scheduler-heartbeat"]
    assert entry["task"] == "iom.tasks.record_heartbeat"
    assert entry["args"] == ("beat",)
    assert entry["schedule"] * 2 < 180
