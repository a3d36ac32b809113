import pytest

from tests import factories


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users; a deliberately slow production hash would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def officer(db):
    return factories.IomOfficerFactory()


@pytest.fixture
def manager(db):
    return factories.ManagerFactory()


@pytest.fixture
def outsider(db):
    """A partner worker of an agency with which nothing is shared."""
    agency = factories.AgencyFactory(name="Unrelated Housing Association", kind="housing")
    return factories.UserFactory(agency=agency)


@pytest.fixture
def nominal(db):
    return factories.NominalFactory()
