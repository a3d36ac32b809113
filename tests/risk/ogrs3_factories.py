"""Sanctions (convictions and cautions) in a person's record, for the OGRS3 tests."""

import datetime
import itertools

from cohorts.risk.models import DetectedOffence
from tests.risk.factories import offence_type

_refs = itertools.count(1)


def sanction(
    nominal, on: datetime.date, *, code: str = "46", kind: str = "conviction"
) -> DetectedOffence:
    """A detected offence with a sanction on ``on`` (committed a month before)."""
    return DetectedOffence.objects.create(
        nominal=nominal, source="police", external_ref=f"SAN-{next(_refs):06d}",
        committed_on=on - datetime.timedelta(days=30), offence_type=offence_type(code),
        outcome="convicted", sanction=kind, sanction_date=on,
    )  # fmt: skip
