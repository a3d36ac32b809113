"""The production shape: docker-compose.yml, the Dockerfile and the production settings."""

import os
import re
import secrets
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
APPLICATION_SERVICES = ("web", "worker", "beat")
APPLICATION_ROLE = "iom_app"


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


def interpolated(value: str, *, default: bool = False) -> str:
    """Replace compose's ``${NAME...}`` references by a plain value (or by their default) so
    the URL or number can be parsed."""
    if default:
        return re.sub(r"\$\{[^}:]*:-([^}]*)\}", r"\1", value)
    return re.sub(r"\$\{[^}]*\}", "secret", value)


def gunicorn_options(command: str) -> dict[str, str]:
    return dict(word.split("=", 1) for word in shlex.split(command) if "=" in word)


def seconds(duration: str) -> float:
    """Compose's durations: 90s, 2m, 1m30s."""
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|h|m|s)", str(duration))
    assert parts and "".join(n + u for n, u in parts) == str(duration), duration
    return sum(float(number) * units[unit] for number, unit in parts)


def production_env(**extra: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_DEBUG"}
    }
    env.update(IOM_ENV="production", DJANGO_SETTINGS_MODULE="iom.settings", **extra)
    return env


def test_compose_has_the_six_services(compose):
    assert {"db", "redis", "migrate", *APPLICATION_SERVICES} <= set(compose["services"])


def test_database_is_postgres_with_a_volume_and_a_healthcheck(compose):
    db = compose["services"]["db"]
    assert db["image"].startswith("postgres:16")
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in db["volumes"])
    assert "pg_isready" in str(db["healthcheck"]["test"])


def test_broker_is_redis_with_a_healthcheck(compose):
    redis = compose["services"]["redis"]
    assert redis["image"].startswith("redis:7")
    assert "ping" in str(redis["healthcheck"]["test"])


def test_a_one_shot_service_migrates_then_grants_the_application_role(compose):
    migrate = compose["services"]["migrate"]
    command = command_of(migrate)
    assert "manage.py migrate" in command
    assert f"manage.py grant_app_role {APPLICATION_ROLE}" in command
    assert command.index("migrate --noinput") < command.index("grant_app_role")
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"


def test_only_the_migrate_service_migrates(compose):
    for name in APPLICATION_SERVICES:
        assert "migrate" not in command_of(compose["services"][name])


@pytest.mark.parametrize("name", APPLICATION_SERVICES)
def test_application_services_start_after_the_migrations_succeeded(compose, name):
    depends_on = compose["services"][name]["depends_on"]
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"


def test_web_serves_with_gunicorn_with_a_set_timeout_and_sizes_from_the_environment(compose):
    command = command_of(compose["services"]["web"])
    assert command.startswith("gunicorn iom.wsgi:application")
    options = gunicorn_options(command)
    assert options["--timeout"] == "${GUNICORN_TIMEOUT:-60}"
    assert options["--workers"].startswith("${GUNICORN_WORKERS:-")
    assert options["--threads"].startswith("${GUNICORN_THREADS:-")
    assert options["--bind"] == "0.0.0.0:8000"


def test_the_image_default_command_sets_the_gunicorn_timeout_too(dockerfile):
    cmd = re.search(r"^CMD (\[.*?\])\s*$", dockerfile, re.MULTILINE | re.DOTALL).group(1)
    assert "--timeout=60" in cmd.replace("\\\n", "")


def test_web_is_published_on_the_loopback_interface_unless_configured(compose):
    (port,) = compose["services"]["web"]["ports"]
    address, _, inside = port.rpartition(":")
    assert inside == "8000"
    assert address.startswith("${IOM_BIND:-127.0.0.1}:")


def test_web_health_check_asks_the_health_endpoint(compose):
    check = compose["services"]["web"]["healthcheck"]
    test = " ".join(check["test"])
    assert "bin/check-web-health" in test
    assert "/healthz/" in test
    assert (ROOT / "bin" / "check-web-health").stat().st_mode & 0o111


def test_worker_health_check_pings_this_containers_own_worker(compose):
    check = compose["services"]["worker"]["healthcheck"]
    kind, test = check["test"]
    assert kind == "CMD-SHELL"
    assert "celery -A iom inspect ping" in test
    # $$ reaches the container as $, where the shell reads the container's own host name.
    assert "-d celery@$$HOSTNAME" in test


def test_beat_health_check_reads_the_scheduler_heartbeat_it_sends(compose):
    from django.conf import settings

    check = compose["services"]["beat"]["healthcheck"]
    test = " ".join(check["test"])
    assert "manage.py check_heartbeat beat" in test
    max_age = int(test.split("--max-age")[1].split()[0])
    entry = settings.CELERY_BEAT_SCHEDULE["scheduler-heartbeat"]
    assert entry["args"] == ("beat",)
    assert max_age >= 2 * entry["schedule"]
    assert seconds(check["start_period"]) > entry["schedule"]


@pytest.mark.parametrize("name", APPLICATION_SERVICES)
def test_application_services_have_a_health_check_with_a_timeout(compose, name):
    check = compose["services"][name]["healthcheck"]
    assert seconds(check["timeout"]) < seconds(check["interval"])
    assert check["retries"] >= 2


@pytest.mark.parametrize("name", APPLICATION_SERVICES)
def test_stopping_waits_longer_than_any_task_or_request_may_run(compose, name):
    from django.conf import settings

    from iom.celery import app as celery_app

    grace = seconds(compose["services"][name]["stop_grace_period"])
    assert grace >= 120
    celery_app.loader.import_default_modules()
    # Every document render ends within the grace; a longer task is acknowledged late, so a
    # stop that cuts it short hands it to the next worker instead of losing it.
    assert grace > settings.IOM_TASK_TIME_LIMITS["document"][1]
    for task in celery_app.tasks.values():
        if (task.time_limit or 0) >= grace:
            assert task.acks_late, task.name
    options = gunicorn_options(command_of(compose["services"]["web"]))
    assert grace > int(interpolated(options["--timeout"], default=True))


def test_the_application_connects_as_a_role_that_does_not_own_the_tables(compose):
    db = compose["services"]["db"]["environment"]
    owner = db["POSTGRES_USER"]
    migrate = urlsplit(interpolated(environment_of(compose["services"]["migrate"])["DATABASE_URL"]))
    assert migrate.username == owner
    for name in APPLICATION_SERVICES:
        url = urlsplit(interpolated(environment_of(compose["services"][name])["DATABASE_URL"]))
        assert url.username == APPLICATION_ROLE != owner


def test_the_database_creates_the_application_role_on_first_start(compose):
    db = compose["services"]["db"]
    assert db["environment"]["IOM_APP_DB_ROLE"] == APPLICATION_ROLE
    mounts = [volume.split(":") for volume in db["volumes"]]
    scripts = [source for source, target, *_ in mounts if "/docker-entrypoint-initdb.d/" in target]
    assert scripts == ["./deploy/postgres/10-application-role.sh"]
    script = (ROOT / scripts[0]).read_text()
    assert "NOSUPERUSER" in script
    assert "PASSWORD :'password'" in script


def test_worker_runs_a_celery_worker(compose):
    assert "celery -A iom worker" in command_of(compose["services"]["worker"])


def test_beat_runs_the_celery_scheduler(compose):
    assert "celery -A iom beat" in command_of(compose["services"]["beat"])


@pytest.mark.parametrize("name", (*APPLICATION_SERVICES, "migrate"))
def test_application_services_use_the_database_and_broker_services(compose, name):
    environment = environment_of(compose["services"][name])
    database = urlsplit(interpolated(environment["DATABASE_URL"]))
    broker = urlsplit(interpolated(environment["CELERY_BROKER_URL"]))
    assert (database.scheme, database.hostname) == ("postgres", "db")
    assert (broker.scheme, broker.hostname) == ("redis", "redis")


@pytest.mark.parametrize("name", (*APPLICATION_SERVICES, "migrate"))
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


def test_production_settings_let_the_health_check_ask_over_plain_http(tmp_path):
    env = production_env(
        SECRET_KEY=secrets.token_urlsafe(45)[:60],
        ALLOWED_HOSTS="iom.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}",
    )
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECURE_SSL_REDIRECT, settings.SECURE_REDIRECT_EXEMPT)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "True ['^healthz/$']", result.stderr


# --- The lock files -----------------------------------------------------------------------


def locked(name: str) -> dict[str, tuple[str, list[str]]]:
    """{package: (version, hashes)} of a lock file written by bin/lock."""
    packages = {}
    text = (ROOT / name).read_text().replace("\\\n", " ")
    for line in text.splitlines():
        if not line or line.startswith((" ", "#")):
            continue
        requirement, *options = line.split(" --hash=")
        package, version = requirement.split(";")[0].strip().split("==")
        packages[canonicalize_name(package)] = (version, [o.strip() for o in options])
    return packages


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


@pytest.mark.parametrize("name", ["requirements.lock", "requirements-test.lock"])
def test_the_lock_pins_every_package_with_its_hashes(name):
    packages = locked(name)
    assert len(packages) > 40
    for package, (version, hashes) in packages.items():
        assert re.fullmatch(r"[\w.+!]+", version), package
        assert hashes and all(h.startswith("sha256:") for h in hashes), package


@pytest.mark.parametrize(
    ("name", "groups"),
    [("requirements.lock", ()), ("requirements-test.lock", ("test",))],
)
def test_the_lock_satisfies_what_pyproject_asks_for(name, groups):
    """Fails when pyproject.toml changed and bin/lock was not run."""
    packages = locked(name)
    wanted = pyproject()["dependencies"]
    for group in groups:
        wanted = wanted + pyproject()["optional-dependencies"][group]
    for line in wanted:
        requirement = Requirement(line)
        version = packages[canonicalize_name(requirement.name)][0]
        assert requirement.specifier.contains(version, prereleases=True), line


def test_the_test_lock_holds_the_same_versions_as_the_runtime_lock():
    runtime, test = locked("requirements.lock"), locked("requirements-test.lock")
    assert {package: runtime[package][0] for package in runtime} == {
        package: test[package][0] for package in runtime
    }
    assert "pytest" in test and "pytest" not in runtime


def test_the_image_installs_the_runtime_lock_and_nothing_else(dockerfile):
    installs = re.findall(r"^RUN pip install (.*)$", dockerfile, re.MULTILINE)
    assert installs == ["--require-hashes -r requirements.lock"]
    assert re.search(r"^COPY requirements\.lock \./\s*$", dockerfile, re.MULTILINE)


def test_setup_installs_the_test_lock_and_reinstalls_when_it_changes():
    setup = (ROOT / "bin" / "setup").read_text()
    assert "pip install --require-hashes -r requirements-test.lock" in setup
    assert "pip install --no-deps -e ." in setup
    assert "fingerprint pyproject.toml requirements-test.lock" in setup
    assert "'.[test]'" not in setup


def test_pre_commit_runs_the_projects_own_ruff():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {repo["repo"] for repo in config["repos"]} == {"local"}
    assert hooks["ruff-check"]["entry"].startswith(".venv/bin/python -m ruff check")
    assert hooks["ruff-format"]["entry"].startswith(".venv/bin/python -m ruff format")
    assert {hook["language"] for hook in hooks.values()} == {"system"}
