"""A person's OGRS3 inputs as the record gives them, and as the officers' corrections change them.

One statement derives every input of a run's people from the offending history (aggregates and
a window over their sanctions, one row each; ``INPUTS_CTES``, which the PostgreSQL run reuses).
``unscored_reason`` names the first input missing. How each input is derived is in
docs/ogrs3.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection

from ..models import Ogrs3Correction, Ogrs3Input, SanctionKind
from .calculator import SEXES

FETCH_BATCH = 5000

# How each input reads in "Cannot score: missing ...".
INPUT_WORDS = {
    "sex": "sex",
    "date_of_birth": "date of birth",
    "offence_category": "OGRS3 category of the current offence",
    "conviction_date": "date of the current conviction or caution",
    "previous_sanctions": "number of previous sanctions",
    "first_sanction_date": "date of the first sanction",
    "follow_up_start": "start of follow-up (the release date)",
}

# How a sex OGRS3 has no figures for reads in "Cannot score: sex is recorded as ...".
SEX_LABELS = {"other": "Other", "unknown": "Not known"}

# One row per person: the sanctions (convictions and cautions, counted by date), the most
# serious offence of the latest sanction, and custody on or after that sanction.
INPUTS_CTES = """
people AS ({people}),
sanctions AS (
    SELECT d.nominal_id, d.sanction, d.sanction_date, t.ogrs3_category, t.name,
           ROW_NUMBER() OVER (PARTITION BY d.nominal_id
                              ORDER BY d.sanction_date DESC, t.gravity DESC, d.id DESC) AS n
      FROM risk_detectedoffence d
      JOIN people p ON p.nominal_id = d.nominal_id
      JOIN risk_offencetype t ON t.id = d.offence_type_id
     WHERE d.sanction <> '' AND d.sanction_date <= %s
),
summary AS (
    SELECT nominal_id, MIN(sanction_date) AS first_date,
           COUNT(DISTINCT sanction_date) AS occasions
      FROM sanctions GROUP BY nominal_id
),
latest AS (SELECT * FROM sanctions WHERE n = 1),
custody AS (
    SELECT c.nominal_id,
           MAX(CASE WHEN c.ended_on IS NULL THEN 1 ELSE 0 END) AS inside,
           MIN(c.ended_on) AS released_on,
           MIN(c.started_on) AS custody_from
      FROM risk_custodyperiod c
      JOIN latest l ON l.nominal_id = c.nominal_id
     WHERE l.sanction = %s AND c.started_on <= %s
       AND (c.ended_on IS NULL OR c.ended_on >= l.sanction_date)
     GROUP BY c.nominal_id
)"""
INPUTS_SELECT = """
SELECT p.nominal_id, nm.gender, nm.date_of_birth, s.first_date, s.occasions,
       l.sanction, l.sanction_date, l.ogrs3_category, l.name,
       c.inside, c.released_on, c.custody_from
  FROM people p
  JOIN cohorts_nominal nm ON nm.id = p.nominal_id
  LEFT JOIN summary s ON s.nominal_id = p.nominal_id
  LEFT JOIN latest l ON l.nominal_id = p.nominal_id
  LEFT JOIN custody c ON c.nominal_id = p.nominal_id"""
INPUTS_SQL = f"WITH {INPUTS_CTES}{INPUTS_SELECT}\n ORDER BY p.nominal_id\n"


def _as_date(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


@dataclass
class Inputs:
    """One person's OGRS3 inputs, as the record gives them and then as corrected."""

    nominal_id: int
    sex: str
    date_of_birth: datetime.date | None
    offence_category: str | None = None
    offence_name: str = ""
    sanction: str = ""
    conviction_date: datetime.date | None = None
    previous_sanctions: int | None = None
    first_sanction_date: datetime.date | None = None
    follow_up_start: datetime.date | None = None
    released: bool = False
    in_custody_since: datetime.date | None = None
    corrections: dict = field(default_factory=dict)

    def value(self, name: str):
        return getattr(self, name)


def from_row(row) -> Inputs:
    (nominal_id, gender, born, first, occasions, sanction, latest, category, name, inside,
     released_on, custody_from) = row  # fmt: skip
    inputs = Inputs(nominal_id=nominal_id, sex=gender or "", date_of_birth=_as_date(born))
    if latest is None:
        return inputs
    latest = _as_date(latest)
    inputs.sanction = sanction
    inputs.conviction_date = latest
    inputs.offence_category = category or None
    inputs.offence_name = name or ""
    inputs.previous_sanctions = int(occasions) - 1
    inputs.first_sanction_date = _as_date(first)
    released_on = _as_date(released_on)
    if sanction == SanctionKind.CONVICTION and released_on is not None:
        inputs.follow_up_start, inputs.released = released_on, True
    elif sanction == SanctionKind.CONVICTION and inside:
        inputs.in_custody_since = _as_date(custody_from)  # not released: no follow-up yet
    else:
        inputs.follow_up_start = latest  # a caution or a sentence served in the community
    return inputs


def people_of_run(run_id: int) -> tuple[str, list]:
    return "SELECT nominal_id FROM risk_riskassessment WHERE run_id = %s", [run_id]


def _people_one(nominal_id: int) -> tuple[str, list]:
    return "SELECT id AS nominal_id FROM cohorts_nominal WHERE id = %s", [nominal_id]


def record_rows(people: tuple[str, list], day: datetime.date) -> Iterator[tuple]:
    people_sql, people_args = people
    sql = INPUTS_SQL.format(people=people_sql)
    args = [*people_args, day, SanctionKind.CONVICTION, day]
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, args)
        while batch := cursor.fetchmany(FETCH_BATCH):
            yield from batch


def record_inputs(nominal_id: int, day: datetime.date) -> Inputs:
    """One person's inputs as the record gives them on ``day`` (no corrections applied)."""
    return from_row(next(record_rows(_people_one(nominal_id), day)))


def parse_value(name: str, value: str):
    """An officer's stored value as the input's type."""
    if name == Ogrs3Input.PREVIOUS_SANCTIONS:
        return int(value)
    if name == Ogrs3Input.OFFENCE_CATEGORY:
        return value
    return datetime.date.fromisoformat(value)


def as_text(value) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def open_corrections(nominal_id: int | None = None) -> dict[int, list[Ogrs3Correction]]:
    """The corrections in force, by person: one query (officers type them, so they are few)."""
    queryset = Ogrs3Correction.objects.filter(withdrawn_at__isnull=True).select_related(
        "recorded_by"
    )
    if nominal_id is not None:
        queryset = queryset.filter(nominal_id=nominal_id)
    found: dict[int, list[Ogrs3Correction]] = {}
    for correction in queryset.order_by("id"):
        found.setdefault(correction.nominal_id, []).append(correction)
    return found


def correction_note(correction: Ogrs3Correction) -> dict:
    """Who supplied an input, when and why (the result adds what the record said)."""
    return {
        "by": str(correction.recorded_by),
        "on": correction.recorded_at.date().isoformat(),
        "reason": correction.reason,
    }


def apply_corrections(inputs: Inputs, corrections: list[Ogrs3Correction]) -> Inputs:
    for correction in corrections:
        name = correction.field
        inputs.corrections[name] = {
            **correction_note(correction),
            "record": as_text(inputs.value(name)),
        }
        setattr(inputs, name, parse_value(name, correction.value))
        if name == Ogrs3Input.FOLLOW_UP_START:
            inputs.released = False
    return inputs


def unscored_reason(inputs: Inputs) -> tuple[str, str] | None:
    """The first input that stops the score, and why, in words; None when all are present."""
    if SEXES.get(inputs.sex.lower()) is None:
        label = SEX_LABELS.get(inputs.sex, inputs.sex or "empty")
        return "sex", (f"sex is recorded as {label}; OGRS3 has figures for men and women only")
    if inputs.date_of_birth is None:
        return "date_of_birth", f"missing {INPUT_WORDS['date_of_birth']}"
    if inputs.conviction_date is None:
        return "conviction_date", (
            f"missing {INPUT_WORDS['conviction_date']} (no conviction or caution in the record)"
        )
    if not inputs.offence_category:
        offence = f" ({inputs.offence_name})" if inputs.offence_name else ""
        return "offence_category", (
            f"missing {INPUT_WORDS['offence_category']}{offence}: set it on the offence type "
            "or record it here"
        )
    if inputs.previous_sanctions is None:
        return "previous_sanctions", f"missing {INPUT_WORDS['previous_sanctions']}"
    if inputs.first_sanction_date is None:
        return "first_sanction_date", f"missing {INPUT_WORDS['first_sanction_date']}"
    if inputs.follow_up_start is None:
        since = (
            f" (in custody since {inputs.in_custody_since:%-d %B %Y})"
            if inputs.in_custody_since
            else ""
        )
        return "follow_up_start", f"missing {INPUT_WORDS['follow_up_start']}{since}"
    return None
