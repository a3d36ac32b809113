"""Demo data for OGRS3: each demo person's earlier convictions and cautions.

The risk demo gives everyone two years of recent offending; OGRS3 needs the whole criminal
career. Here each person gets a record length (long, medium, short or none) and that many
sanctions spread from a first sanction in their teens or twenties up to just before the
ranking's look-back, so the RAG scores are unchanged and OGRS3 gets a plausible spread of
Low, Medium, High and Very high. Each person's rows come from a generator seeded with their
reference, so the rest of the demo's random choices are not disturbed and a second seed adds
nothing (the references are deterministic and unique).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable

from cohorts.models import Nominal
from cohorts.risk.models import DetectedOffence, OffenceType, RiskModelVersion, SanctionKind

SOURCE = "demo"
# (record length, share of people, earlier sanctions, age at the first sanction) as ranges.
RECORDS = [
    ("long", 30, (12, 45), (13, 16)),
    ("medium", 35, (4, 12), (15, 21)),
    ("short", 25, (1, 3), (18, 30)),
    ("none", 10, (0, 0), (18, 18)),
]
CAUTION_SHARE = 0.2


def _before_lookback(today: datetime.date) -> datetime.date:
    """The last day that no ranking of the demo's nights (nor the month-ends of the reports,
    up to 62 days back) looks back to, so the RAG scores do not move."""
    lookback = RiskModelVersion.current().parameters.get("lookback_days", 730)
    return today - datetime.timedelta(days=lookback + 63)


def earlier_sanctions(nominals: Iterable[Nominal], today: datetime.date) -> list[DetectedOffence]:
    offence_types = list(OffenceType.objects.exclude(ogrs3_category="").order_by("code"))
    if not offence_types:
        return []
    last_day = _before_lookback(today)
    rows = []
    for nominal in nominals:
        key = nominal.pnc_id or f"N{nominal.pk}"
        rng = random.Random(f"ogrs3-{key}")
        _, _, counts, first_ages = rng.choices(RECORDS, weights=[r[1] for r in RECORDS])[0]
        count = rng.randint(*counts)
        first_age = rng.randint(*first_ages)
        born = nominal.date_of_birth
        first_day = born + datetime.timedelta(days=round(first_age * 365.25) + 10)
        if count == 0 or first_day >= last_day:
            continue
        span = (last_day - first_day).days
        days = sorted({first_day + datetime.timedelta(days=rng.randint(0, span))
                       for _ in range(count - 1)} | {first_day})  # fmt: skip
        for n, day in enumerate(days):
            kind = SanctionKind.CAUTION if rng.random() < CAUTION_SHARE else SanctionKind.CONVICTION
            rows.append(DetectedOffence(
                nominal=nominal, source=SOURCE, external_ref=f"S-{key}-{n}",
                committed_on=day - datetime.timedelta(days=rng.randint(20, 90)),
                offence_type=rng.choice(offence_types), outcome="convicted",
                location="", sanction=kind, sanction_date=day,
            ))  # fmt: skip
    return rows
