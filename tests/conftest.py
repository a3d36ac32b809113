import pytest
from django.core.cache import cache

from iom.celery import app as celery_app
from tests import factories


def pytest_collection_modifyitems(items):
    """Tests that commit (real workers, the browser's live server) end by emptying every
    table, reference data from the migrations included (offence types, the risk model, the
    cohort configuration). Each such test restores that data when it starts, so none depends
    on running before another."""
    for item in items:
        if {"transactional_db", "live_server"} & set(item.fixturenames):
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(autouse=True)
def tasks_run_inline():
    """Pages and services queue tasks; outside the real-worker tests they run in the test's
    own process and database, also when a broker is configured (CI). The worker tests' own
    ``eager_off`` fixture turns this off for themselves."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """What one test leaves in the cache is not another's; and each page counts the
    intelligence waiting and the dashboard its figures afresh, so that a page's queries do not
    depend on the page before it (the tests of those caches turn them back on)."""
    settings.IOM_QUEUE_COUNT_SECONDS = 0
    settings.IOM_DASHBOARD_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users; a deliberately slow production hash would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(settings, tmp_path):
    """Generated documents go through the storage API; keep the tests' files out of var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def officer(db):
    return factories.IomOfficerFactory()


@pytest.fixture
def manager(db):
    return factories.ManagerFactory()


@pytest.fixture
def outsider(db):
    """A partner worker of an agency with a live sharing agreement, with whom nothing is
    shared."""
    from tests.sharing import ensure_agreement

    agency = factories.AgencyFactory(name="Unrelated Housing Association", kind="housing")
    ensure_agreement(agency)
    return factories.UserFactory(agency=agency)


@pytest.fixture
def nominal(db):
    return factories.NominalFactory()
