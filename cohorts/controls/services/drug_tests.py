"""Drug tests on licence."""

from __future__ import annotations

import datetime

from django.db import transaction

from cohorts.models import Nominal
from iom import audit
from iom.models import AuditAction

from ..models import (
    DrugTest,
    TestOutcome,
)
from .checks import not_in_future, raise_if_any, require_change
from .licences import current_licence


@transaction.atomic
def record_drug_test(
    nominal: Nominal,
    *,
    by,
    tested_on: datetime.date,
    outcome: str,
    class_a_substances: str = "",
    other_substances: str = "",
    notes: str = "",
) -> DrugTest:
    """Record a drug test result. It is linked to the licence the person was on that day, if
    any, which is what the recall threshold counts. A positive result names the drug."""
    actor = audit.as_actor(by)
    require_change(actor, nominal)
    errors: dict[str, str] = {}
    not_in_future(tested_on, "tested_on", "The date of the test", errors)
    if outcome not in TestOutcome.values:
        errors["outcome"] = "Select the result of the test"
    elif outcome == TestOutcome.POSITIVE and not class_a_substances.strip():
        errors["class_a_substances"] = "Name the Class A drugs the test found"
    elif outcome != TestOutcome.POSITIVE and class_a_substances.strip():
        errors["class_a_substances"] = "Only a positive test names Class A drugs"
    raise_if_any(errors)
    test = DrugTest.objects.create(
        nominal=nominal,
        licence=current_licence(nominal, tested_on),
        tested_on=tested_on,
        outcome=outcome,
        class_a_substances=class_a_substances.strip(),
        other_substances=other_substances.strip(),
        notes=notes.strip(),
        recorded_by=actor.user,
    )
    audit.record(
        actor,
        AuditAction.COLLECTION,
        test,
        nominal=nominal,
        description=f"Drug test: {test}",
    )
    return test
