"""The production shape: docker-compose.yml, the Dockerfile and the production settings."""

import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APPLICATION_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def command_of(service: dict) -> str:
    command = service.get("command", "")
    return command if isinstance(command, str) else shlex.join(command)


def environment_of(service: dict) -> dict[str, str]:
    environment = service.get("environment", {})
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {name: str(value) for name, value in environment.items()}


def interpolated(value: str) -> str:
    """Replace compose's ``${NAME...}`` references by a plain value so the URL can be parsed."""
    return re.sub(r"\$\{[^}]*\}", "secret", value)


def production_env(**extra: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_DEBUG"}
    }
    env.update(IOM_ENV="production", DJANGO_SETTINGS_MODULE="iom.settings", **extra)
    return env


def test_compose_has_the_five_services(compose):
    assert {"db", "redis", *APPLICATION_SERVICES} <= set(compose["services"])


def test_database_is_postgres_with_a_volume_and_a_healthcheck(compose):
    db = compose["services"]["db"]
    assert db["image"].startswith("postgres:16")
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in db["volumes"])
    assert "pg_isready" in str(db["healthcheck"]["test"])


def test_broker_is_redis_with_a_healthcheck(compose):
    redis = compose["services"]["redis"]
    assert redis["image"].startswith("redis:7")
    assert "ping" in str(redis["healthcheck"]["test"])


def test_web_migrates_then_serves_with_gunicorn(compose):
    command = command_of(compose["services"]["web"])
    assert "manage.py migrate" in command
    assert "gunicorn iom.wsgi:application" in command
    assert command.index("migrate") < command.index("gunicorn")


def test_worker_runs_a_celery_worker(compose):
    assert "celery -A iom worker" in command_of(compose["services"]["worker"])


def test_beat_runs_the_celery_scheduler(compose):
    assert "celery -A iom beat" in command_of(compose["services"]["beat"])


@pytest.mark.parametrize("name", APPLICATION_SERVICES)
def test_application_services_use_the_database_and_broker_services(compose, name):
    environment = environment_of(compose["services"][name])
    database = urlsplit(interpolated(environment["DATABASE_URL"]))
    broker = urlsplit(interpolated(environment["CELERY_BROKER_URL"]))
    assert (database.scheme, database.hostname) == ("postgres", "db")
    assert (broker.scheme, broker.hostname) == ("redis", "redis")


@pytest.mark.parametrize("name", APPLICATION_SERVICES)
def test_application_services_run_in_production_mode_with_a_secret_from_outside(compose, name):
    environment = environment_of(compose["services"][name])
    assert environment["IOM_ENV"] == "production"
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY")
    assert "ALLOWED_HOSTS" in environment


@pytest.mark.parametrize("name", APPLICATION_SERVICES)
def test_application_services_wait_for_healthy_database_and_broker(compose, name):
    depends_on = compose["services"][name]["depends_on"]
    assert depends_on["db"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"


def test_dockerfile_builds_assets_with_node_and_copies_this_project(dockerfile):
    assert re.search(r"^FROM node:20\S* AS assets", dockerfile, re.MULTILINE)
    assert "npm ci" in dockerfile
    assert "npm run build" in dockerfile
    assert re.search(r"^FROM python:3\.11-slim-bookworm\s*$", dockerfile, re.MULTILINE)
    assert re.search(r"^COPY \. \.\s*$", dockerfile, re.MULTILINE)
    assert "COPY --from=assets" in dockerfile
    assert "collectstatic" in dockerfile
    assert "libpango-1.0-0" in dockerfile


def test_image_runs_as_an_unprivileged_user(dockerfile):
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users
    assert users[-1] not in {"root", "0"}


def test_image_leaves_out_local_environments_and_secrets():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", "node_modules", "var", ".env"} <= ignored


def test_production_settings_pass_the_deployment_checks(tmp_path):
    env = production_env(
        SECRET_KEY=secrets.token_urlsafe(45)[:60],
        ALLOWED_HOSTS="iom.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=production_env(ALLOWED_HOSTS="iom.example.org"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
