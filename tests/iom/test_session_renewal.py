"""The idle time-out: every request renews the session, but its row is written at most once a
minute; a changed session is written at once; an idle one ends."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from iom.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _session_writes(captured) -> list[str]:
    return [
        q["sql"]
        for q in captured
        if q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]
    ]


def _saved_ago(session_key: str, seconds: int) -> None:
    """Make the session's row look as if it was last written ``seconds`` ago."""
    expiry = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - seconds)
    Session.objects.filter(session_key=session_key).update(expire_date=expiry)


def _expiry(session_key: str) -> datetime.datetime:
    return Session.objects.get(session_key=session_key).expire_date


def _new_session() -> str:
    store = SessionStore()
    store["colour"] = "green"
    store.create()
    assert store.session_key is not None
    return store.session_key


def test_a_session_saved_less_than_a_minute_ago_is_not_written_again():
    key = _new_session()
    _saved_ago(key, 30)
    before = _expiry(key)
    store = SessionStore(key)
    with CaptureQueriesContext(connection) as captured:
        store.save()
    assert _session_writes(captured) == []
    assert _expiry(key) == before


def test_a_session_saved_more_than_a_minute_ago_is_renewed_for_the_whole_time_out():
    key = _new_session()
    _saved_ago(key, settings.SESSION_RENEW_AFTER_SECONDS + 30)
    store = SessionStore(key)
    store.save()
    renewed = _expiry(key) - timezone.now()
    assert renewed > datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 5)


def test_a_changed_session_is_written_at_once():
    key = _new_session()
    store = SessionStore(key)
    store["colour"] = "blue"
    store.save()
    assert SessionStore(key)["colour"] == "blue"


def test_a_page_soon_after_signing_in_does_not_write_the_session(client, officer):
    client.force_login(officer)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("cohorts:list")).status_code == 200
    assert _session_writes(captured) == []


def test_a_page_more_than_a_minute_after_the_last_one_renews_the_session(client, officer):
    client.force_login(officer)
    key = client.session.session_key
    _saved_ago(key, settings.SESSION_RENEW_AFTER_SECONDS + 1)
    assert client.get(reverse("cohorts:list")).status_code == 200
    renewed = _expiry(key) - timezone.now()
    assert renewed > datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 5)


def test_a_session_idle_for_the_time_out_is_signed_out(client, officer):
    client.force_login(officer)
    _saved_ago(client.session.session_key, settings.SESSION_COOKIE_AGE + 1)
    response = client.get(reverse("cohorts:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
