"""Fail the run when any test is skipped and ``IOM_REQUIRE_FULL_SUITE=1`` is set.

On a bare machine the tests that need PostgreSQL, a Celery broker or Chromium skip with a
reason. CI has all of them, so a skip there means a test silently stopped testing anything
(a missing browser, an unreachable service): CI sets the variable and each skip becomes a
failure that carries the skip's reason.
"""

import os

import pytest

ENV_VAR = "IOM_REQUIRE_FULL_SUITE"


def _is_required(config: pytest.Config) -> bool:
    return os.environ.get(ENV_VAR, "").strip().lower() in {"1", "true", "yes", "on"}


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if _is_required(item.config) and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = (
            f"Skipped, but {ENV_VAR}=1 requires every test to run: {_skip_reason(report)}"
        )
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    report = yield
    if _is_required(collector.config) and report.skipped:
        report.outcome = "failed"
        report.longrepr = (
            f"Module skipped, but {ENV_VAR}=1 requires every test to run: {_skip_reason(report)}"
        )
    return report


def pytest_report_header(config: pytest.Config) -> str | None:
    if _is_required(config):
        return f"{ENV_VAR}=1: a skipped test fails the run"
    return None
