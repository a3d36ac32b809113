"""The demo's recalls, each at a different point of the decision, as a unit would have them:

* one started within the last day whose decision (standard recall, the warnings tried copied
  from the record) waits for a manager's countersignature, probation contacted;
* one countersigned this morning: awaiting the return to custody, its paperwork done and
  most of its dossier confirmed (the police report is still to come);
* one decided against last month and countersigned: not recalled, the recall step withdrawn
  from the sanctions ladder, so the decision-not-to-recall letter is ready to produce.

Each is written with its times in the history; the rows carry who did what, and the seed's
audit event of each person stands for their collection.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from cohorts.controls import alternatives
from cohorts.controls.models import (
    Breach,
    DossierPart,
    Recall,
    RecallAlternative,
    RecallGrounds,
    RecallStatus,
    RecallType,
    Sanction,
    SanctionLevel,
)
from iom.models import Role, User

_HOUR = datetime.timedelta(hours=1)
_MINUTE = datetime.timedelta(minutes=1)

REASON = "Continued non-compliance after a District Manager's warning."
AWAITING_RATIONALE = (
    "Two missed appointments since the District Manager's warning and not at the approved "
    "address at the last curfew check: contact has broken down and the risk to the public "
    "cannot be managed in the community."
)
RECALL_RATIONALE = (
    "Seen twice in the exclusion zone near the victim's address since the warning, and "
    "positive for opiates: the risk has increased and contact has broken down."
)
RECALL_COUNTERSIGNED = (
    "Agreed: the warnings and the extra condition have not changed the behaviour. Standard "
    "recall; the neighbourhood team to arrest today."
)
NO_RECALL_RATIONALE = (
    "The missed appointment followed a family bereavement; he has reported as instructed "
    "since and his tests are negative. A curfew is added instead, reviewed in four weeks."
)
NO_RECALL_COUNTERSIGNED = (
    "Agreed: no recall. Record the curfew as an additional condition and write to him to "
    "explain the decision and what a further breach will mean."
)
DOSSIER_NOTES = {
    "charge_sheet": "Charge sheet for the original offence, from the court file",
}


def _ladders() -> list[list[Breach]]:
    """Each licence's breaches, oldest first, for the licences with three or more: two
    warnings, then the breach the recall answers."""
    by_licence: dict[int, list[Breach]] = {}
    breaches = Breach.objects.select_related("licence", "nominal").order_by(
        "licence_id", "occurred_on", "id"
    )
    for breach in breaches:
        by_licence.setdefault(breach.licence_id, []).append(breach)
    return [ladder for ladder in by_licence.values() if len(ladder) >= 3]


def _countersigner(decided_by: User) -> User | None:
    managers = User.objects.filter(role=Role.MANAGER, is_active=True).order_by("pk")
    return next((m for m in managers if m.is_iom_manager and m.pk != decided_by.pk), None)


def _alternatives(recall: Recall) -> list[RecallAlternative]:
    """The warnings and additional conditions of the licence, as the officer ticked them."""
    tried = alternatives.sanctions(recall.licence, None)
    tried += alternatives.additional_conditions(recall.licence, None)[:1]
    return [
        RecallAlternative(
            recall=recall,
            kind=item.kind,
            source=item.source,
            on=item.on,
            description=item.description[:255],
            result=item.result[:255],
        )
        for item in tried
    ]


def _recall_step(breach: Breach, started: datetime.datetime) -> Sanction:
    return Sanction.objects.create(
        nominal=breach.nominal,
        licence=breach.licence,
        breach=breach,
        level=SanctionLevel.RECALL,
        issued_on=timezone.localdate(started),
        issued_by=breach.recorded_by,
        notes="Recall sought.",
    )


def _awaiting_countersignature(breach: Breach, now: datetime.datetime) -> Recall:
    started = now - 20 * _HOUR
    return Recall(
        nominal=breach.nominal, licence=breach.licence, breach=breach,
        sanction=_recall_step(breach, started), status=RecallStatus.BEING_ASSESSED,
        reason=REASON, recommendation="Standard recall; arrest by the neighbourhood team.",
        started_at=started, started_by=breach.recorded_by,
        probation_contacted_at=started + 40 * _MINUTE,
        grounds=RecallGrounds.CONTACT, recall_type=RecallType.STANDARD,
        decision_rationale=AWAITING_RATIONALE, decided_at=started + 2 * _HOUR,
        decided_by=breach.recorded_by,
    )  # fmt: skip


def _countersigned_recall(breach: Breach, manager, now: datetime.datetime) -> Recall:
    started = now - 6 * _HOUR
    return Recall(
        nominal=breach.nominal, licence=breach.licence, breach=breach,
        sanction=_recall_step(breach, started), status=RecallStatus.AWAITING_RETURN,
        reason=REASON, recommendation="Standard recall; arrest by the neighbourhood team.",
        started_at=started, started_by=breach.recorded_by,
        probation_contacted_at=started + 30 * _MINUTE,
        grounds=RecallGrounds.BOTH, recall_type=RecallType.STANDARD,
        decision_rationale=RECALL_RATIONALE, decided_at=started + _HOUR,
        decided_by=breach.recorded_by, countersigned_at=started + 2 * _HOUR,
        countersigned_by=manager, countersign_rationale=RECALL_COUNTERSIGNED,
        paperwork_completed_at=started + 3 * _HOUR, ppcs_contacted_at=started + 4 * _HOUR,
    )  # fmt: skip


NOT_RECALLED_DAYS_AGO = 26


def _not_recalled(breach: Breach, manager, now: datetime.datetime) -> Recall:
    """Decided against: the recall step of the ladder was withdrawn, so it has none."""
    started = now - datetime.timedelta(days=NOT_RECALLED_DAYS_AGO, hours=3)
    return Recall(
        nominal=breach.nominal, licence=breach.licence, breach=breach, sanction=None,
        status=RecallStatus.NOT_RECALLED, reason=REASON,
        started_at=started, started_by=breach.recorded_by,
        probation_contacted_at=started + 50 * _MINUTE,
        grounds=RecallGrounds.CONTACT, recall_type=RecallType.NO_RECALL,
        decision_rationale=NO_RECALL_RATIONALE, decided_at=started + 5 * _HOUR,
        decided_by=breach.recorded_by, countersigned_at=started + 22 * _HOUR,
        countersigned_by=manager, countersign_rationale=NO_RECALL_COUNTERSIGNED,
    )  # fmt: skip


def _dossier(recall: Recall, now: datetime.datetime) -> list[DossierPart]:
    return [
        DossierPart(
            recall=recall,
            part=part,
            note=note,
            confirmed_by=recall.started_by,
            confirmed_at=now - _HOUR,
        )
        for part, note in DOSSIER_NOTES.items()
    ]


def recalls(rng: random.Random, today: datetime.date) -> list[Recall]:
    """The three recalls, on three licences with two warnings and a further breach; fewer
    when the demo has fewer such licences or no IOM manager to countersign."""
    ladders = _ladders()
    rng.shuffle(ladders)
    now = timezone.now()
    earlier = today - datetime.timedelta(days=NOT_RECALLED_DAYS_AGO + 1)
    decided_against = next(
        (ladder for ladder in ladders if ladder[-1].occurred_on <= earlier), None
    )
    in_progress = [ladder for ladder in ladders if ladder is not decided_against][:2]
    rows: list[Recall] = []
    for n, ladder in enumerate(in_progress):
        breach = ladder[-1]
        manager = _countersigner(breach.recorded_by)
        if n == 0 or manager is None:
            rows.append(_awaiting_countersignature(breach, now))
        else:
            rows.append(_countersigned_recall(breach, manager, now))
    if decided_against is not None:
        breach = decided_against[-1]
        manager = _countersigner(breach.recorded_by)
        if manager is not None:
            rows.append(_not_recalled(breach, manager, now))
    Recall.objects.bulk_create(rows)
    RecallAlternative.objects.bulk_create(
        [alternative for recall in rows for alternative in _alternatives(recall)]
    )
    DossierPart.objects.bulk_create(
        [part for recall in rows if recall.is_proceeding for part in _dossier(recall, now)]
    )
    return rows
