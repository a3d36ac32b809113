"""Recommended bail conditions for the control-court briefing.

The Preston control courts asked for bail conditions that match how the person has engaged:
report to a police station, supervision, residence, curfew with electronic monitoring. The
rules are data here so that a unit can read (and change) what the briefing will advise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cohorts.models import EngagementStatus

if TYPE_CHECKING:
    from .sources import DocumentData

BY_ENGAGEMENT: dict[str, list[str]] = {
    EngagementStatus.ENGAGED: [
        "Condition of residence at the address known to the IOM unit.",
        "Continue to engage with the support agreed on the pathways (supervision).",
    ],
    EngagementStatus.PARTIAL: [
        "Condition of residence at the address known to the IOM unit.",
        "Report to a police station on set days.",
        "Supervision by the IOM unit, with attendance at the appointments it sets.",
    ],
    EngagementStatus.DECLINED: [
        "Condition of residence at the address known to the IOM unit.",
        "Curfew with electronic monitoring.",
        "Report to a police station daily.",
    ],
    EngagementStatus.NOT_APPROACHED: [
        "Condition of residence at the address known to the IOM unit.",
        "Report to a police station on set days.",
    ],
}
# Added when drug tests on the current licence were positive for Class A drugs.
FOR_CLASS_A_USE = "Attend drug testing and the treatment appointments the drug service offers."
# Added when a bail condition or order has been breached.
FOR_EARLIER_BREACH = (
    "A curfew with electronic monitoring: earlier bail conditions or orders were breached."
)


def recommended_bail_conditions(data: DocumentData) -> list[str]:
    """None for a person in custody: there is no bail to set."""
    if data.in_custody:
        return []
    status = data.engagement.status if data.engagement else EngagementStatus.NOT_APPROACHED
    conditions = list(BY_ENGAGEMENT[EngagementStatus(status)])
    if data.controls.positives_on_licence:
        conditions.append(FOR_CLASS_A_USE)
    breached = any(measure.status == "breached" for measure in data.controls.measures)
    if breached and not any("electronic monitoring" in c for c in conditions):
        conditions.append(FOR_EARLIER_BREACH)
    return conditions
