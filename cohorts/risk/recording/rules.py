"""The rules of arrests, detected offences and intelligence (docs/offending.md), written once:
the pages, the API and the CSV import all check what they are given against them.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from cohorts.coordinates import validate_easting, validate_northing
from iom.formatting import long_date

from .. import grading
from ..models import (
    Arrest,
    ArrestGrounds,
    DetectedOffence,
    DetectionOutcome,
    IntelligenceReport,
    IntelligenceSource,
    SanctionKind,
)

# A text value starting with one of these is a formula to a spreadsheet that opens a list of
# the records (an export, a report): such a value is refused rather than stored.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LOCATION_LENGTH = 200
SUMMARY_LENGTH = 4000
CONDITIONS_LENGTH = 255

# The fields each record's rules and corrections cover (the rest are set by the system).
ARREST_FIELDS = ("arrested_on", "offence_type_id", "grounds", "location")
DETECTION_FIELDS = (
    "committed_on", "offence_type_id", "outcome", "location", "sanction", "sanction_date",
    "scene_easting", "scene_northing",
)  # fmt: skip
INTELLIGENCE_FIELDS = (
    "reported_on", "intelligence_source", "offence_type_id", "summary", "location",
    "grading_system", "source_evaluation", "intelligence_assessment", "handling_code",
    "handling_conditions",
)  # fmt: skip
FIELDS = {Arrest: ARREST_FIELDS, DetectedOffence: DETECTION_FIELDS}
FIELDS[IntelligenceReport] = INTELLIGENCE_FIELDS
NAMES = {Arrest: "arrest", DetectedOffence: "detected offence", IntelligenceReport: "intelligence"}


def check_text(value: str, *, length: int, formulas: bool = True) -> str | None:
    if len(value) > length:
        return f"Must be {length} characters or fewer"
    if formulas and value.startswith(FORMULA_PREFIXES):
        return f"Starts with {value[0]!r}, which a spreadsheet would run as a formula"
    return None


def check_day(errors: dict, name: str, value, today: datetime.date, what: str) -> None:
    if value is None:
        errors[name] = f"Enter the date of the {what}"
    elif value > today:
        errors[name] = f"{long_date(value)} is in the future"


def _check_common(errors: dict, values: dict, *, offence_required: bool) -> None:
    if offence_required and not values.get("offence_type_id"):
        errors["offence_type_id"] = "Select the offence"
    problem = check_text(values.get("location") or "", length=LOCATION_LENGTH)
    if problem:
        errors["location"] = problem


def check_arrest(values: dict, *, today: datetime.date | None = None) -> dict[str, str]:
    """What is wrong with an arrest, by field name; empty when nothing is."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    check_day(errors, "arrested_on", values.get("arrested_on"), today, "arrest")
    _check_common(errors, values, offence_required=True)
    if values.get("grounds") not in ArrestGrounds.values:
        errors["grounds"] = f"Select the grounds: {', '.join(ArrestGrounds.values)}"
    return errors


def check_detection(values: dict, *, today: datetime.date | None = None) -> dict[str, str]:
    """What is wrong with a detected offence: outcome, sanction with its date (not before the
    offence), and the scene's grid reference (both or neither, inside Great Britain)."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    day = values.get("committed_on")
    check_day(errors, "committed_on", day, today, "offence")
    _check_common(errors, values, offence_required=True)
    if values.get("outcome") not in DetectionOutcome.values:
        errors["outcome"] = f"Select the outcome: {', '.join(DetectionOutcome.values)}"
    sanction, sanction_date = values.get("sanction") or "", values.get("sanction_date")
    if sanction not in SanctionKind.values:
        errors["sanction"] = f"{sanction!r} is not conviction or caution"
    elif not sanction and sanction_date is not None:
        errors["sanction"] = "Say conviction or caution for the sanction date"
    elif sanction:
        if sanction_date is None:
            errors["sanction_date"] = "Enter the date of the conviction or caution"
        elif sanction_date > today:
            errors["sanction_date"] = f"{long_date(sanction_date)} is in the future"
        elif day and sanction_date < day:
            errors["sanction_date"] = "The sanction cannot be before the offence"
    easting, northing = values.get("scene_easting"), values.get("scene_northing")
    for name, value, validate in (
        ("scene_easting", easting, validate_easting),
        ("scene_northing", northing, validate_northing),
    ):
        try:
            validate(value)
        except ValidationError as error:
            errors[name] = error.messages[0]
    if (easting is None) != (northing is None):
        missing = "scene_northing" if northing is None else "scene_easting"
        errors.setdefault(missing, "Give both the easting and the northing, or neither")
    return errors


def check_intelligence(
    values: dict, *, today: datetime.date | None = None, systems=(grading.THREE,)
) -> dict[str, str]:
    """What is wrong with an intelligence report: its date, source and grading (see
    ``grading.check``: C needs its conditions, 5x5x5 codes only under 5x5x5)."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    check_day(errors, "reported_on", values.get("reported_on"), today, "report")
    _check_common(errors, values, offence_required=False)
    if values.get("intelligence_source") not in IntelligenceSource.values:
        errors["intelligence_source"] = f"Select the source: {', '.join(IntelligenceSource.values)}"
    problem = check_text(values.get("summary") or "", length=SUMMARY_LENGTH, formulas=False)
    if problem:
        errors["summary"] = problem
    problem = check_text(values.get("handling_conditions") or "", length=CONDITIONS_LENGTH)
    if problem:
        errors["handling_conditions"] = problem
    errors.update(grading.check(_grading_of(values), systems=systems))
    return errors


def _grading_of(values: dict) -> grading.Grading:
    return grading.Grading(
        system=values.get("grading_system") or "",
        source_evaluation=values.get("source_evaluation") or "",
        intelligence_assessment=values.get("intelligence_assessment"),
        handling_code=values.get("handling_code") or "",
        handling_conditions=(values.get("handling_conditions") or "").strip(),
    )


def normalise(model, values: dict) -> dict:
    """Tidy what was typed: trimmed text; intelligence gets its grading as it reads."""
    values = {name: values.get(name) for name in FIELDS[model]}
    for name in ("location", "summary", "handling_conditions"):
        if name in values:
            values[name] = (values[name] or "").strip()
    for name in ("sanction", "grading_system", "source_evaluation", "handling_code"):
        if name in values:
            values[name] = values[name] or ""
    if model is IntelligenceReport:
        values["grading"] = _grading_of(values).text
    return values


CHECKS = {Arrest: check_arrest, DetectedOffence: check_detection}


def check(model, values: dict, **options) -> dict[str, str]:
    if model is IntelligenceReport:
        return check_intelligence(values, **options)
    return CHECKS[model](values)
