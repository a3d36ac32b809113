"""Recording and correcting an officer's arrests, detected offences and intelligence."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction

from cohorts.models import Nominal
from iom import audit
from iom.locking import lock_for_update

from .. import grading
from ..models import OFFICER_SOURCE, Arrest, DetectedOffence, IntelligenceReport
from .permissions import can_record, require
from .rules import FIELDS, NAMES, check, normalise
from .writing import snapshot, write_rows


def refuse(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(
            {("offence_type" if k == "offence_type_id" else k): v for k, v in errors.items()}
        )


def field_values(model, values: dict) -> dict:
    """Accept ``offence_type`` (an OffenceType or None) as the forms and the API give it."""
    values = dict(values)
    if "offence_type" in values:
        offence = values.pop("offence_type")
        values["offence_type_id"] = offence.pk if offence is not None else None
    unknown = set(values) - set(FIELDS[model])
    if unknown:
        raise TypeError(f"Not a field of {NAMES[model]}: {', '.join(sorted(unknown))}")
    return values


def record_new(model, nominal: Nominal, actor, values: dict, *, source: str, ref: str, **options):
    values = normalise(model, {**field_values(model, values)})
    refuse(check(model, values, **options))
    with transaction.atomic():
        _written, rows = write_rows(
            model, [((source, ref), {**values, "nominal_id": nominal.pk})], actor,
            recorded_by=actor.user,
        )  # fmt: skip
    return rows[0]


def _correct(model, row_id: int, actor, version: int, changes: dict, **options):
    """Lock the row at ``version`` (StaleEditError when it moved on), check the corrected
    whole against the rules, and write it through ``write_rows``."""
    changes = field_values(model, changes)
    with transaction.atomic():
        current = lock_for_update(model, row_id, version)
        require(
            can_record(actor.user, current.nominal, model),
            f"You cannot correct this person's {NAMES[model]} records.",
        )
        current.version = version  # write_rows moves it on, once, if anything changed
        values = normalise(model, {**snapshot(current, FIELDS[model]), **changes})
        if model is IntelligenceReport:
            options.setdefault("systems", tuple({grading.THREE, current.grading_system}))
        refuse(check(model, values, **options))
        key = (current.source, current.external_ref)
        write_rows(model, [(key, {**values, "nominal_id": current.nominal_id})], actor)
    return model.objects.select_related("offence_type").get(pk=row_id)


def officer_ref() -> str:
    return f"officer-{uuid.uuid4().hex}"


def record_arrest(nominal: Nominal, *, by, **values) -> Arrest:
    """Record an arrest (date, offence, grounds, location). Refuses a user who may not write
    the person's arrests and anything the rules refuse (``check_arrest``)."""
    actor = audit.as_actor(by)
    require(can_record(actor.user, nominal, Arrest), "You cannot record this person's arrests.")
    return record_new(Arrest, nominal, actor, values, source=OFFICER_SOURCE, ref=officer_ref())


def correct_arrest(arrest_id: int, *, by, version: int, **changes) -> Arrest:
    """Correct an arrest based on ``version``; the old values stay in the audit trail."""
    return _correct(Arrest, arrest_id, audit.as_actor(by), version, changes)


def record_detection(nominal: Nominal, *, by, **values) -> DetectedOffence:
    """Record a detected offence: outcome, sanction and its date, the scene's grid reference."""
    actor = audit.as_actor(by)
    require(
        can_record(actor.user, nominal, DetectedOffence),
        "You cannot record this person's detected offences.",
    )
    return record_new(
        DetectedOffence, nominal, actor, values, source=OFFICER_SOURCE, ref=officer_ref()
    )


def correct_detection(detection_id: int, *, by, version: int, **changes) -> DetectedOffence:
    """Correct a detected offence based on ``version``; the old values stay in the audit."""
    return _correct(DetectedOffence, detection_id, audit.as_actor(by), version, changes)


def record_intelligence(nominal: Nominal, *, by, **values) -> IntelligenceReport:
    """Record an intelligence report, graded 3x5x2 (the IOM unit only)."""
    actor = audit.as_actor(by)
    require(can_record(actor.user, nominal, IntelligenceReport),
             "Only the IOM unit records intelligence; partners submit it.")  # fmt: skip
    return record_new(
        IntelligenceReport, nominal, actor, values, source=OFFICER_SOURCE, ref=officer_ref()
    )


def correct_intelligence(report_id: int, *, by, version: int, **changes) -> IntelligenceReport:
    """Correct or re-grade a report based on ``version``. A 5x5x5 report may keep its 5x5x5
    grading or be re-graded 3x5x2; nothing else is graded 5x5x5."""
    return _correct(IntelligenceReport, report_id, audit.as_actor(by), version, changes)
