"""Partners of the IOM unit for the recording tests: each in an agency of its own with a live
agreement (covering every section unless told otherwise), the person shared with its team."""

from iom import access
from iom.models import AgencyKind
from tests import factories
from tests.sharing import agreement_for, share_with


def partner(name: str, nominal=None, *, kind=AgencyKind.HOUSING, **sections):
    agency = factories.AgencyFactory(name=name, kind=kind)
    agreement_for(agency, name=f"{name} agreement", **sections)
    user = factories.UserFactory(agency=agency)
    if nominal is not None:
        share_with(nominal, user, agreement=False)
    return user


def offender_manager(nominal):
    """A probation officer named as the person's offender manager: may change the record."""
    user = partner("Probation", nominal, kind=AgencyKind.NPS)
    access.grant_to_user(user, nominal)
    return user
