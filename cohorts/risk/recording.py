"""Recording and correcting arrests, detected offences and intelligence, and partners'
submissions of intelligence (docs/offending.md).

The rules of each record are written once, here (``check_arrest``, ``check_detection``,
``check_intelligence``), and so is the writing (``write_rows``): the pages, the API and the CSV
import (``importing``) all go through them. A correction bumps the row's ``version`` and keeps
the old values in its audit event (``changes``), whether an officer or a feed made it.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from cohorts.coordinates import validate_easting, validate_northing
from cohorts.models import Nominal
from iom import access, audit, sharing
from iom.formatting import long_date
from iom.locking import lock_for_update
from iom.models import AuditAction, AuditEvent, AuditSubject

from . import grading
from .models import (
    OFFICER_SOURCE,
    Arrest,
    ArrestGrounds,
    DetectedOffence,
    DetectionOutcome,
    IntelligenceReport,
    IntelligenceSource,
    IntelligenceSubmission,
    OffenceType,
    SanctionKind,
    SubmissionStatus,
)

# A text value starting with one of these is a formula to a spreadsheet that opens a list of
# the records (an export, a report): such a value is refused rather than stored.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LOCATION_LENGTH = 200
SUMMARY_LENGTH = 4000
CONDITIONS_LENGTH = 255
LOOKUP_CHUNK = 2000
# Rows accepted from a partner are intelligence from this source system.
SUBMISSION_SOURCE = "partner-submission"

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


# --- Who may write --------------------------------------------------------------------------


def can_record(user, nominal: Nominal, model: type[models.Model]) -> bool:
    """Arrests and detections: whoever may change the person's record (the IOM unit, a named
    offender manager) and whose agreements cover that part of it. Intelligence: the IOM unit
    only; everyone else submits it for the IOM unit to grade."""
    if not getattr(user, "is_authenticated", False):
        return False
    terms = sharing.terms_for(user)
    if model is IntelligenceReport:
        return terms.is_iom_unit
    section = sharing.ARRESTS if model is Arrest else sharing.OFFENDING
    return terms.covers(section) and access.can(user, "change", nominal)


def can_submit_intelligence(user, nominal: Nominal) -> bool:
    """A partner who may see the person, whatever their agreement says about intelligence:
    telling the IOM unit something discloses nothing to the partner."""
    if not getattr(user, "is_authenticated", False) or user.agency_id is None:
        return False
    terms = sharing.terms_for(user)
    return not terms.is_iom_unit and terms.sees_records and access.can(user, "view", nominal)


def can_grade(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.sees_whole_cohort)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- The rules of each record ---------------------------------------------------------------


def check_text(value: str, *, length: int, formulas: bool = True) -> str | None:
    if len(value) > length:
        return f"Must be {length} characters or fewer"
    if formulas and value.startswith(FORMULA_PREFIXES):
        return f"Starts with {value[0]!r}, which a spreadsheet would run as a formula"
    return None


def _check_day(errors: dict, name: str, value, today: datetime.date, what: str) -> None:
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
    _check_day(errors, "arrested_on", values.get("arrested_on"), today, "arrest")
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
    _check_day(errors, "committed_on", day, today, "offence")
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
    _check_day(errors, "reported_on", values.get("reported_on"), today, "report")
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


def _normalise(model, values: dict) -> dict:
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


# --- Writing: one way for the pages, the API and the feeds ----------------------------------


@dataclass
class Written:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _offence_codes(ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {pk for pk in ids if pk}
    if not wanted:
        return {}
    return dict(OffenceType.objects.filter(pk__in=wanted).values_list("pk", "code"))


def _readable(values: dict, codes: dict[int, str]) -> dict:
    """Values as an audit trail reads them: the offence by its code, not its row id."""
    shown = {name: value for name, value in values.items() if name != "offence_type_id"}
    if "offence_type_id" in values:
        shown["offence_type"] = codes.get(values["offence_type_id"])
    return shown


def _snapshot(row, names) -> dict:
    return {name: getattr(row, name) for name in names}


def write_rows(
    model,
    rows: list[tuple[tuple[str, str], dict]],
    actor,
    *,
    recorded_by=None,
    each_collected: bool = True,
):
    """Create or correct rows keyed (source, external_ref), whose values have passed the
    rules. Call inside a transaction. New rows: one 'collection' event each (unless not
    ``each_collected``: a feed writes one per person itself); corrected rows: their version
    goes up and one 'alteration' event each keeps the old and new values; rows equal to what
    is stored are left alone."""
    written = Written()
    names = [*FIELDS[model], *(["grading"] if model is IntelligenceReport else [])]
    existing = {}
    by_source: dict[str, list[str]] = {}
    for (source, ref), _values in rows:
        by_source.setdefault(source, []).append(ref)
    for source, refs in by_source.items():
        for start in range(0, len(refs), LOOKUP_CHUNK):
            chunk = refs[start : start + LOOKUP_CHUNK]
            # Locked: an officer's correction and a feed's meet here, one after the other.
            locked = model.objects.select_for_update().filter(source=source, external_ref__in=chunk)
            for row in locked:
                existing[(row.source, row.external_ref)] = row
    now = timezone.now()
    to_create, to_update, corrections = [], [], []
    for key, values in rows:
        current = existing.get(key)
        if current is None:
            to_create.append(
                model(source=key[0], external_ref=key[1], recorded_by=recorded_by, **values)
            )
            continue
        before = _snapshot(current, names)
        if all(before[name] == values[name] for name in names):
            written.unchanged += 1
            continue
        for name in names:
            setattr(current, name, values[name])
        current.version += 1
        current.updated_at = now
        to_update.append(current)
        corrections.append((current, before))
    model.objects.bulk_create(to_create, batch_size=LOOKUP_CHUNK)
    model.objects.bulk_update(to_update, [*names, "version", "updated_at"], batch_size=LOOKUP_CHUNK)
    written.created, written.updated = len(to_create), len(to_update)
    _audit(model, actor, to_create, corrections, names, each_collected)
    return written, to_create + to_update


def _audit(model, actor, created: list, corrections: list, names, each_collected) -> None:
    ids = [row.offence_type_id for row in created]
    for row, before in corrections:
        ids += [row.offence_type_id, before["offence_type_id"]]
    codes = _offence_codes(ids)
    label, kind = model._meta.label, NAMES[model]
    events = []
    if each_collected:
        for row in created:
            events.append(
                _event(actor, AuditAction.COLLECTION, row.nominal_id, label, row.pk,
                       f"Recorded {kind} {row.source} {row.external_ref}",
                       audit.changes_between({}, _readable(_snapshot(row, names), codes)))
            )  # fmt: skip
    for row, before in corrections:
        changes = audit.changes_between(
            _readable(before, codes), _readable(_snapshot(row, names), codes)
        )
        events.append(
            _event(actor, AuditAction.ALTERATION, row.nominal_id, label, row.pk,
                   f"Corrected {kind} {row.source} {row.external_ref}", changes)
        )  # fmt: skip
    AuditEvent.objects.bulk_create(events, batch_size=500)


def collection_events(actor, nominal_ids: Iterable[int], description: str) -> None:
    """One 'collection' event per person (a feed that added to their history)."""
    AuditEvent.objects.bulk_create(
        [
            _event(actor, AuditAction.COLLECTION, nominal_id, "cohorts.Nominal", nominal_id,
                   description, {})
            for nominal_id in sorted(set(nominal_ids))
        ],
        batch_size=500,
    )  # fmt: skip


def _event(actor, action, nominal_id, object_type, object_id, description, changes):
    user = actor.user if getattr(actor.user, "is_authenticated", False) else None
    return AuditEvent(
        user=user,
        username=actor.username,
        agency_name=actor.agency_name,
        action=action,
        subject_type=AuditSubject.PERSON,
        subject_id=nominal_id,
        object_type=object_type,
        object_id=str(object_id),
        description=description[:255],
        changes=changes,
        path=actor.path,
        ip_address=actor.ip_address,
    )


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(
            {("offence_type" if k == "offence_type_id" else k): v for k, v in errors.items()}
        )


def _values(model, values: dict) -> dict:
    """Accept ``offence_type`` (an OffenceType or None) as the forms and the API give it."""
    values = dict(values)
    if "offence_type" in values:
        offence = values.pop("offence_type")
        values["offence_type_id"] = offence.pk if offence is not None else None
    unknown = set(values) - set(FIELDS[model])
    if unknown:
        raise TypeError(f"Not a field of {NAMES[model]}: {', '.join(sorted(unknown))}")
    return values


def _record(model, nominal: Nominal, actor, values: dict, *, source: str, ref: str, **options):
    values = _normalise(model, {**_values(model, values)})
    _refuse(check(model, values, **options))
    with transaction.atomic():
        _written, rows = write_rows(
            model, [((source, ref), {**values, "nominal_id": nominal.pk})], actor,
            recorded_by=actor.user,
        )  # fmt: skip
    return rows[0]


def _correct(model, row_id: int, actor, version: int, changes: dict, **options):
    """Lock the row at ``version`` (StaleEditError when it moved on), check the corrected
    whole against the rules, and write it through ``write_rows``."""
    changes = _values(model, changes)
    with transaction.atomic():
        current = lock_for_update(model, row_id, version)
        _require(
            can_record(actor.user, current.nominal, model),
            f"You cannot correct this person's {NAMES[model]} records.",
        )
        current.version = version  # write_rows moves it on, once, if anything changed
        values = _normalise(model, {**_snapshot(current, FIELDS[model]), **changes})
        if model is IntelligenceReport:
            options.setdefault("systems", tuple({grading.THREE, current.grading_system}))
        _refuse(check(model, values, **options))
        key = (current.source, current.external_ref)
        write_rows(model, [(key, {**values, "nominal_id": current.nominal_id})], actor)
    return model.objects.select_related("offence_type").get(pk=row_id)


def officer_ref() -> str:
    return f"officer-{uuid.uuid4().hex}"


def record_arrest(nominal: Nominal, *, by, **values) -> Arrest:
    """Record an arrest (date, offence, grounds, location). Refuses a user who may not write
    the person's arrests and anything the rules refuse (``check_arrest``)."""
    actor = audit.as_actor(by)
    _require(can_record(actor.user, nominal, Arrest), "You cannot record this person's arrests.")
    return _record(Arrest, nominal, actor, values, source=OFFICER_SOURCE, ref=officer_ref())


def correct_arrest(arrest_id: int, *, by, version: int, **changes) -> Arrest:
    """Correct an arrest based on ``version``; the old values stay in the audit trail."""
    return _correct(Arrest, arrest_id, audit.as_actor(by), version, changes)


def record_detection(nominal: Nominal, *, by, **values) -> DetectedOffence:
    """Record a detected offence: outcome, sanction and its date, the scene's grid reference."""
    actor = audit.as_actor(by)
    _require(
        can_record(actor.user, nominal, DetectedOffence),
        "You cannot record this person's detected offences.",
    )
    return _record(
        DetectedOffence, nominal, actor, values, source=OFFICER_SOURCE, ref=officer_ref()
    )


def correct_detection(detection_id: int, *, by, version: int, **changes) -> DetectedOffence:
    """Correct a detected offence based on ``version``; the old values stay in the audit."""
    return _correct(DetectedOffence, detection_id, audit.as_actor(by), version, changes)


def record_intelligence(nominal: Nominal, *, by, **values) -> IntelligenceReport:
    """Record an intelligence report, graded 3x5x2 (the IOM unit only)."""
    actor = audit.as_actor(by)
    _require(can_record(actor.user, nominal, IntelligenceReport),
             "Only the IOM unit records intelligence; partners submit it.")  # fmt: skip
    return _record(
        IntelligenceReport, nominal, actor, values, source=OFFICER_SOURCE, ref=officer_ref()
    )


def correct_intelligence(report_id: int, *, by, version: int, **changes) -> IntelligenceReport:
    """Correct or re-grade a report based on ``version``. A 5x5x5 report may keep its 5x5x5
    grading or be re-graded 3x5x2; nothing else is graded 5x5x5."""
    return _correct(IntelligenceReport, report_id, audit.as_actor(by), version, changes)


# --- Intelligence from partners -------------------------------------------------------------


def submit_intelligence(
    nominal: Nominal,
    *,
    by,
    reported_on: datetime.date,
    summary: str,
    offence_type: OffenceType | None = None,
    location: str = "",
) -> IntelligenceSubmission:
    """A partner tells the IOM unit something about a person shared with them. It waits to be
    graded; only the IOM unit and the partner's own agency see it."""
    actor = audit.as_actor(by)
    _require(
        can_submit_intelligence(actor.user, nominal),
        "Only a partner who may see this person can submit intelligence about them.",
    )
    errors: dict[str, str] = {}
    _check_day(errors, "reported_on", reported_on, timezone.localdate(), "information")
    summary, location = (summary or "").strip(), (location or "").strip()
    if not summary:
        errors["summary"] = "Say what you learnt"
    else:
        problem = check_text(summary, length=SUMMARY_LENGTH, formulas=False)
        if problem:
            errors["summary"] = problem
    problem = check_text(location, length=LOCATION_LENGTH)
    if problem:
        errors["location"] = problem
    _refuse(errors)
    with transaction.atomic():
        submission = IntelligenceSubmission.objects.create(
            nominal=nominal, agency_id=actor.user.agency_id, submitted_by=actor.user,
            reported_on=reported_on, offence_type=offence_type, summary=summary,
            location=location,
        )  # fmt: skip
        audit.record(actor, AuditAction.COLLECTION, submission, nominal=nominal,
                     description="Submitted intelligence to the IOM unit")  # fmt: skip
    return submission


def accept_submission(
    submission_id: int, *, by, version: int, note: str = "", **values
) -> IntelligenceSubmission:
    """Grade a partner's submission (3x5x2) and accept it as an intelligence report from a
    partner agency. ``values`` are the report's (summary, offence and location default to
    what the partner wrote). Refuses anyone outside the IOM unit and a decided submission."""
    actor = audit.as_actor(by)
    _require(can_grade(actor.user), "Only the IOM unit grades intelligence.")
    with transaction.atomic():
        submission = lock_for_update(IntelligenceSubmission, submission_id, version)
        if submission.status != SubmissionStatus.SUBMITTED:
            raise ValidationError("This submission has already been decided")
        report_values = {
            "reported_on": submission.reported_on,
            "intelligence_source": IntelligenceSource.PARTNER,
            "offence_type_id": submission.offence_type_id,
            "summary": submission.summary,
            "location": submission.location,
            **_values(IntelligenceReport, values),
        }
        report = _record(
            IntelligenceReport, submission.nominal, actor, report_values,
            source=SUBMISSION_SOURCE, ref=f"submission-{submission.pk}",
        )  # fmt: skip
        submission.status = SubmissionStatus.ACCEPTED
        submission.report = report
        _decided(submission, actor, note, f"Graded {report.grading} and accepted")
    return submission


def reject_submission(submission_id: int, *, by, version: int, note: str) -> IntelligenceSubmission:
    """Reject a partner's submission with a reason the partner sees."""
    actor = audit.as_actor(by)
    _require(can_grade(actor.user), "Only the IOM unit grades intelligence.")
    if not (note or "").strip():
        raise ValidationError({"note": "Say why the submission is rejected"})
    with transaction.atomic():
        submission = lock_for_update(IntelligenceSubmission, submission_id, version)
        if submission.status != SubmissionStatus.SUBMITTED:
            raise ValidationError("This submission has already been decided")
        submission.status = SubmissionStatus.REJECTED
        _decided(submission, actor, note, "Rejected")
    return submission


def _decided(submission: IntelligenceSubmission, actor, note: str, description: str) -> None:
    submission.decided_by = actor.user
    submission.decided_at = timezone.now()
    submission.decision_note = (note or "").strip()[:500]
    submission.save()
    audit.record(
        actor,
        AuditAction.ALTERATION,
        submission,
        nominal=submission.nominal,
        description=f"{description}: intelligence submitted by {submission.agency}",
        changes={"status": [SubmissionStatus.SUBMITTED, submission.status]},
    )
