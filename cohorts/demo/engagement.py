"""How a member's engagement with the IOM unit is recorded over one period on the cohort."""

from __future__ import annotations

import datetime
import random

from cohorts.models import EngagementStatus

# --- Engagement ----------------------------------------------------------------------------

ENGAGEMENT_NOTES = {
    EngagementStatus.NOT_APPROACHED: (
        "Accepted at the panel; the offender managers will make the first approach.",
        "Accepted at the panel; home visit booked for the first approach.",
    ),
    EngagementStatus.ENGAGED: (
        "Met the offender managers at home and agreed a support plan for accommodation and "
        "drug treatment.",
        "Agreed to engage; first appointments booked with the drug service and housing.",
        "Keeps every appointment; working on the education, training and employment pathway.",
        "Engaging well: negative drug tests and keeping to the curfew.",
        "Engaging with the drug service and a tenancy sustainment worker.",
    ),
    EngagementStatus.PARTIAL: (
        "Keeps police appointments but has not attended the drug service.",
        "Engages when sober; missed two of the last five appointments.",
        "Accepted help with housing; refuses drug treatment.",
        "Attends probation but will not meet the police offender manager.",
    ),
    EngagementStatus.DECLINED: (
        "Refused to meet the offender managers and wants nothing to do with IOM.",
        "Declined support at the home visit; control measures to be considered.",
        "Has not kept any appointment since the first approach.",
    ),
}
_IN_CUSTODY_NOTE = "In custody: first approach at the pre-release meeting in HMP Demoford."
_NOT_YET = EngagementStatus.NOT_APPROACHED
_APPROACHED = (EngagementStatus.ENGAGED, EngagementStatus.PARTIAL, EngagementStatus.DECLINED)


def engagement_history(
    rng: random.Random,
    *,
    entered_on: datetime.date,
    until: datetime.date,
    latest: str,
    in_custody: bool = False,
) -> list[tuple[str, datetime.date, str]]:
    """(status, date, note) records for one period on the cohort, oldest first, ending with
    ``latest``: "not yet approached" on entry, then the outcome of the first approach a few
    weeks later and, for some, a change of heart months after that. ``until`` is the last
    possible date (the exit, or the demo's today)."""
    first_note = _IN_CUSTODY_NOTE if in_custody else rng.choice(ENGAGEMENT_NOTES[_NOT_YET])
    records = [(_NOT_YET, entered_on, first_note)]
    if latest == _NOT_YET:
        return records
    approached = min(entered_on + datetime.timedelta(days=rng.randint(5, 40)), until)
    room = (until - approached).days
    if room > 90 and rng.random() < 0.45:
        earlier = rng.choice([s for s in _APPROACHED if s != latest])
        records.append((earlier, approached, rng.choice(ENGAGEMENT_NOTES[earlier])))
        approached += datetime.timedelta(days=rng.randint(45, room))
    records.append((latest, approached, rng.choice(ENGAGEMENT_NOTES[latest])))
    return records
