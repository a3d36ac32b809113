"""The demo lives in the day it is seeded for: believable on any date, rebuilt by --reset only
where that is safe, and its administrator can configure the service in the admin."""

import datetime
import io
import random

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from cohorts.models import CohortConfiguration, Nominal
from iom import demo
from tests.demo_checks import assert_believable

FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@FAST_HASHER
def test_the_demo_is_believable_on_a_leap_day_years_from_now(db):
    leap_day = datetime.date(2028, 2, 29)
    out = io.StringIO()
    call_command("seed_demo", today=leap_day, stdout=out, no_color=True)
    assert "as of 29 February 2028" in out.getvalue()
    assert_believable(leap_day)


@FAST_HASHER
def test_the_demo_administrator_changes_the_cohort_cap_in_the_admin(client, db):
    demo.seed(random.Random("core"), None)
    signed_in = client.post(
        reverse("login"), {"username": "admin", "password": demo.PASSWORD}, follow=True
    )
    assert signed_in.wsgi_request.user.username == "admin"
    configuration = CohortConfiguration.current()
    url = reverse("admin:cohorts_cohortconfiguration_change", args=[configuration.pk])
    page = client.get(url)
    assert page.status_code == 200 and b'name="cap"' in page.content
    changed = client.post(url, {"cap": 275, "_save": "Save"})
    assert changed.status_code == 302, changed.content[:2000]
    configuration.refresh_from_db()
    assert configuration.cap == 275


@FAST_HASHER
def test_the_demo_administrator_sees_no_case_record(client, db):
    demo.seed(random.Random("core"), None)
    client.post(reverse("login"), {"username": "admin", "password": demo.PASSWORD})
    assert not Nominal.objects.visible_to(demo.users(["admin"])["admin"]).exists()
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    for app in (b"Agencies", b"Teams", b"Users", b"Unit costs", b"Access attempts"):
        assert app in index.content, app
    assert b"Nominals" not in index.content


@override_settings(IS_PRODUCTION=True)
def test_reset_is_refused_in_production(db):
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", reset=True, allow_production=True, stdout=io.StringIO())


def test_reset_is_refused_on_a_database_it_cannot_delete_as_a_file(db):
    # The test database is in memory (or a server database): never a file --reset may delete.
    with pytest.raises(CommandError, match="SQLite"):
        call_command("seed_demo", reset=True, stdout=io.StringIO())


def test_an_impossible_day_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("seed_demo", "--today", "2026-02-30", stdout=io.StringIO())
