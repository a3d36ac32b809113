"""Helpers for the reports-for-managers tests: proven offences and custody of members."""

import datetime

from cohorts.risk.models import OffenceType
from tests import factories
from tests.risk.factories import CustodyPeriodFactory, DetectedOffenceFactory


def offence_type(category: str) -> OffenceType:
    return OffenceType.objects.filter(category=category).order_by("code").first()


def member(entered_on: datetime.date, **kwargs):
    return factories.CohortMembershipFactory(entered_on=entered_on, **kwargs).nominal


def proven(
    nominal,
    committed_on,
    category="burglary-dwelling",
    *,
    sanction_date=None,
    sanction="conviction",
):
    return DetectedOffenceFactory(
        nominal=nominal,
        committed_on=committed_on,
        offence_type=offence_type(category),
        outcome="convicted",
        sanction=sanction,
        sanction_date=sanction_date or committed_on + datetime.timedelta(days=30),
    )


def charged(nominal, committed_on, category="burglary-dwelling"):
    return DetectedOffenceFactory(
        nominal=nominal, committed_on=committed_on, offence_type=offence_type(category)
    )


def custody(nominal, started_on, ended_on=None):
    return CustodyPeriodFactory(nominal=nominal, started_on=started_on, ended_on=ended_on)
