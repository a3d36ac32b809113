import pytest
from django.core import signals
from django.db import close_old_connections, transaction
from django.test import override_settings

from . import dataset


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The dataset, built once for a module of tests inside a transaction that is rolled
    back at its end; each test (which must ask for ``db`` too) runs in a savepoint of its
    own within it."""
    media = tmp_path_factory.mktemp("media")
    fast_hashing = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast_hashing),
        transaction.atomic(),
    ):
        yield {**dataset.build(), "media": media}
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(request, settings, tmp_path):
    """The dataset's stored files, for the tests that use it; elsewhere a folder of the
    test's own, as in the rest of the suite."""
    if "world" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("world")["media"]
    else:
        settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def wsgi_requests_keep_the_connection():
    """Requests sent straight to the WSGI application (as schemathesis sends them) would
    close the database connection when they end, and with it the test's transaction: as
    Django's test client does, keep it open while the test runs."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
