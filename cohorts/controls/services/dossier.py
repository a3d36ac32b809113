"""The recall dossier: the parts it must hold, their confirmation and its issue to the
Public Protection Casework Section."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cohorts.risk.models import (
    DetectedOffence,
    RiskAssessment,
    SanctionKind,
)
from iom import audit
from iom.formatting import long_date
from iom.locking import lock_for_update
from iom.models import AuditAction

from ..models import (
    DOSSIER_PART_KEYS,
    DOSSIER_PARTS,
    DossierPart,
    Recall,
    RecallStatus,
)
from .checks import require_change


def _derived_parts(recall: Recall) -> dict[str, str]:
    """The parts of the dossier the record itself supplies, with what supplies them."""
    derived = {"licence": f"{recall.licence}"}
    offences = DetectedOffence.objects.filter(nominal_id=recall.nominal_id).exclude(
        sanction=SanctionKind.NONE
    )
    convictions = offences.filter(sanction=SanctionKind.CONVICTION).count()
    cautions = offences.filter(sanction=SanctionKind.CAUTION).count()
    if convictions or cautions:
        derived["previous_convictions"] = (
            f"{convictions} conviction{'s' if convictions != 1 else ''} and "
            f"{cautions} caution{'s' if cautions != 1 else ''} on the record"
        )
    assessment = (
        RiskAssessment.objects.filter(nominal_id=recall.nominal_id)
        .order_by("-assessed_on", "-id")
        .first()
    )
    if assessment is not None:
        derived["risk_assessment"] = (
            f"{assessment.get_band_display()} risk, assessed {long_date(assessment.assessed_on)}"
        )
    return derived


def dossier_check(recall: Recall) -> list[dict]:
    """Each part the dossier must hold: present (from the record, or confirmed by someone,
    with who and when) or missing."""
    derived = _derived_parts(recall)
    confirmed = {
        part.part: part for part in recall.dossier_parts.select_related("confirmed_by").all()
    }
    check = []
    for key, label in DOSSIER_PARTS:
        part = confirmed.get(key)
        check.append(
            {
                "part": key,
                "label": label,
                "present": key in derived or part is not None,
                "from_record": derived.get(key, ""),
                "confirmed": part,
            }
        )
    return check


def missing_dossier_parts(recall: Recall) -> list[str]:
    return [item["label"] for item in dossier_check(recall) if not item["present"]]


@transaction.atomic
def confirm_dossier_part(
    recall_id: int, *, by, version: int, part: str, note: str = ""
) -> DossierPart:
    """Record that a part of the dossier (a charge sheet, a police report) is held, by whom
    and when. Refuses an unknown part, one already confirmed, a recall no longer in progress
    and a stale ``version``."""
    actor = audit.as_actor(by)
    recall = lock_for_update(Recall, recall_id, version)
    require_change(actor, recall.nominal)
    if part not in DOSSIER_PART_KEYS:
        raise ValidationError({"part": "Select a part of the dossier"})
    if not recall.is_in_progress:
        raise ValidationError(
            f"The recall is no longer in progress ({recall.get_status_display()})"
        )
    if recall.dossier_parts.filter(part=part).exists():
        raise ValidationError({"part": "That part is already confirmed"})
    recall.save()
    confirmed = DossierPart.objects.create(
        recall=recall,
        part=part,
        note=note.strip()[:255],
        confirmed_by=actor.user,
        confirmed_at=timezone.now(),
    )
    audit.record(
        actor,
        AuditAction.ALTERATION,
        recall,
        nominal=recall.nominal,
        description=f"Recall dossier: {confirmed.get_part_display()} confirmed"
        + (f" ({confirmed.note})" if confirmed.note else ""),
    )
    return confirmed


@transaction.atomic
def issue_dossier(recall_id: int, *, by, version: int) -> Recall:
    """Mark the dossier issued to the Public Protection Casework Section. Refuses while any
    required part is missing (naming them), before a countersigned decision to recall, and a
    stale ``version``."""
    actor = audit.as_actor(by)
    recall = lock_for_update(Recall, recall_id, version)
    require_change(actor, recall.nominal)
    if recall.status != RecallStatus.AWAITING_RETURN:
        raise ValidationError(
            "The dossier is issued once a decision to recall is countersigned "
            f"({recall.get_status_display()})"
        )
    missing = missing_dossier_parts(recall)
    if missing:
        raise ValidationError(f"The dossier is missing: {', '.join(missing)}")
    recall.status = RecallStatus.DOSSIER_ISSUED
    recall.dossier_issued_at = timezone.now()
    recall.dossier_issued_by = actor.user
    recall.save()
    audit.record(
        actor,
        AuditAction.ALTERATION,
        recall,
        nominal=recall.nominal,
        description="Recall dossier issued",
        changes={"status": [RecallStatus.AWAITING_RETURN.value, recall.status]},
    )
    return recall
