import pytest

from tests import factories


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
