"""The recall decision: the alternatives tried, the officer's decision and a manager's
countersignature."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from iom import audit
from iom.locking import lock_for_update
from iom.models import AuditAction

from .. import alternatives
from ..models import (
    AlternativeKind,
    Recall,
    RecallAlternative,
    RecallGrounds,
    RecallStatus,
    RecallType,
)
from .checks import raise_if_any, require_change


def alternative_candidates(recall: Recall, user) -> list[alternatives.Candidate]:
    """What was tried on the recall's licence, from the record, as ``user`` may see it."""
    return alternatives.candidates(recall.licence, user)


def _chosen_rows(recall: Recall, user, chosen: list[str], errors: dict) -> list[RecallAlternative]:
    """The alternatives kept from the record, copied from the recall's candidates; a source
    that is not one of them is an error."""
    offered = {c.source: c for c in alternative_candidates(recall, user)}
    unknown = [source for source in chosen if source not in offered]
    if unknown:
        errors["chosen"] = "Select only items listed from the record"
    return [
        RecallAlternative(
            recall=recall,
            kind=offered[source].kind,
            source=source,
            on=offered[source].on,
            description=offered[source].description[:255],
            result=offered[source].result[:255],
        )
        for source in dict.fromkeys(chosen)
        if source in offered
    ]


def _added_rows(recall: Recall, additions: list[dict], errors: dict) -> list[RecallAlternative]:
    """The officer's own alternatives: each described, of a known kind, not in the future."""
    rows: list[RecallAlternative] = []
    today = timezone.localdate()
    for addition in additions:
        description = (addition.get("description") or "").strip()
        kind = addition.get("kind") or AlternativeKind.OTHER
        on = addition.get("on")
        if not description:
            errors["additions"] = "Describe each alternative you add"
        elif kind not in AlternativeKind.values:
            errors["additions"] = "Select the kind of each alternative you add"
        elif on is not None and on > today:
            errors["additions"] = "An alternative tried cannot be dated in the future"
        else:
            rows.append(
                RecallAlternative(
                    recall=recall,
                    kind=kind,
                    on=on,
                    description=description[:255],
                    result=(addition.get("result") or "").strip()[:255],
                )
            )
    return rows


def _decision_fields(recall: Recall, rows: list[RecallAlternative]) -> dict:
    return {
        "grounds": recall.grounds,
        "recall_type": recall.recall_type,
        "decision_rationale": recall.decision_rationale,
        "alternatives": [str(row) for row in rows],
    }


@transaction.atomic
def record_recall_decision(
    recall_id: int,
    *,
    by,
    version: int,
    grounds: str,
    recall_type: str,
    rationale: str,
    chosen: list[str],
    additions: list[dict] | None = None,
) -> Recall:
    """Record (or, before the countersignature, re-record) the decision: why recall is
    considered, the alternatives tried, and standard, fixed-term or no recall.

    ``chosen`` names the prefilled items to keep by their ``source`` key (they are copied
    from the record, never retyped); ``additions`` are the officer's own, each a dict of
    ``kind``, ``description`` and optionally ``on`` and ``result``. Refuses a source that is
    not one of the recall's candidates, a recall already countersigned or no longer in
    progress, and a stale ``version``. The decision then waits for a manager's
    countersignature."""
    actor = audit.as_actor(by)
    recall = lock_for_update(Recall, recall_id, version)
    require_change(actor, recall.nominal)
    if recall.status not in (RecallStatus.BOOKED, RecallStatus.BEING_ASSESSED):
        raise ValidationError(
            f"The decision can no longer be changed ({recall.get_status_display()})"
        )
    errors: dict[str, str] = {}
    if grounds not in RecallGrounds.values:
        errors["grounds"] = "Select why recall is considered"
    if recall_type not in RecallType.values:
        errors["recall_type"] = "Select standard recall, fixed-term recall or no recall"
    if not rationale.strip():
        errors["rationale"] = "Give the rationale for the decision"
    rows = _chosen_rows(recall, actor.user, chosen, errors)
    rows += _added_rows(recall, additions or [], errors)
    raise_if_any(errors)
    before = _decision_fields(recall, list(recall.alternatives.all()))
    recall.alternatives.all().delete()
    RecallAlternative.objects.bulk_create(rows)
    recall.grounds = grounds
    recall.recall_type = recall_type
    recall.decision_rationale = rationale.strip()
    recall.decided_at = timezone.now()
    recall.decided_by = actor.user
    recall.status = RecallStatus.BEING_ASSESSED
    recall.save()
    audit.record(
        actor,
        AuditAction.ALTERATION,
        recall,
        nominal=recall.nominal,
        description=f"Recall decision: {recall.get_recall_type_display()} "
        f"({recall.get_grounds_display().lower()}), awaiting a manager's countersignature",
        changes=audit.changes_between(before, _decision_fields(recall, rows)),
    )
    return recall


@transaction.atomic
def countersign_recall_decision(recall_id: int, *, by, version: int, rationale: str) -> Recall:
    """A manager of the IOM unit countersigns the decision, with a rationale: a recall then
    awaits return to custody; "no recall" ends it (not recalled) and withdraws the recall
    step from the sanctions ladder. Refuses anyone but an IOM manager, the person who made
    the decision, a recall without a decision or already countersigned, and a stale
    ``version``."""
    actor = audit.as_actor(by)
    recall = lock_for_update(Recall, recall_id, version)
    require_change(actor, recall.nominal)
    user = actor.user
    if user is None or not user.is_iom_manager:
        raise PermissionDenied("Only a manager of the IOM unit may countersign a recall decision.")
    if recall.status != RecallStatus.BEING_ASSESSED or not recall.is_decided:
        raise ValidationError(
            f"There is no decision waiting for a countersignature ({recall.get_status_display()})"
        )
    if recall.decided_by_id == user.pk:
        raise ValidationError(
            "The decision must be countersigned by another manager than the person who made it"
        )
    if not rationale.strip():
        raise ValidationError({"rationale": "Give the rationale for countersigning"})
    recall.countersigned_at = timezone.now()
    recall.countersigned_by = user
    recall.countersign_rationale = rationale.strip()
    sanction = recall.sanction
    if recall.recall_type == RecallType.NO_RECALL:
        recall.status = RecallStatus.NOT_RECALLED
        recall.sanction = None
    else:
        recall.status = RecallStatus.AWAITING_RETURN
    recall.save()
    if recall.status == RecallStatus.NOT_RECALLED and sanction is not None:
        audit.record(
            actor,
            AuditAction.ERASURE,
            sanction,
            nominal=recall.nominal,
            description=f"Recall step withdrawn from the sanctions ladder: not recalled "
            f"({sanction})",
        )
        sanction.delete()
    audit.record(
        actor,
        AuditAction.ALTERATION,
        recall,
        nominal=recall.nominal,
        description=f"Recall decision countersigned: {recall.get_recall_type_display()}",
        changes={"status": [RecallStatus.BEING_ASSESSED.value, recall.status]},
    )
    return recall
