import pytest

from tests.pathways import factories as pf


@pytest.fixture
def drugs(db):
    return pf.drug_service()


@pytest.fixture
def drug_worker(drugs):
    return pf.worker_of(drugs, username="drugs.worker")


@pytest.fixture
def shared_member(drugs):
    """A cohort member shared with the drug service, with a plan."""
    return pf.member_shared_with(drugs, nominal__surname="Quillfeather")
