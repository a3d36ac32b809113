"""OGRS3 from a person's record, for everyone a ranking run ranks, set-based.

``score_run(run)`` is the one call the nightly run makes after writing its assessments. One
statement derives every input from the offending history (aggregates and a window over the
sanctions of the run's people, one row each); the officers' corrections in force replace the
inputs they name. On PostgreSQL the same statement goes on to apply the corrections, check
the inputs, compute the probabilities and insert the results: one ``INSERT ... SELECT``
(``insert_sql``). Elsewhere (SQLite, the embedded demo) ``calculate_ogrs3`` scores each row
in Python and the results are written with ``bulk_create`` in batches, streaming, so memory
stays bounded. How each input is derived is in docs/ogrs3.md.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from .models import Ogrs3Correction, Ogrs3Input, Ogrs3Result, RankingRun, SanctionKind
from .ogrs3 import SEXES, OGRS3InputError, calculate_ogrs3
from .ogrs3_reference import OGRS3_V3, Ogrs3Reference

WRITE_BATCH = 2000
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


def _from_row(row) -> Inputs:
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


def _people_of_run(run_id: int) -> tuple[str, list]:
    return "SELECT nominal_id FROM risk_riskassessment WHERE run_id = %s", [run_id]


def _people_one(nominal_id: int) -> tuple[str, list]:
    return "SELECT id AS nominal_id FROM cohorts_nominal WHERE id = %s", [nominal_id]


def _rows(people: tuple[str, list], day: datetime.date) -> Iterator[tuple]:
    people_sql, people_args = people
    sql = INPUTS_SQL.format(people=people_sql)
    args = [*people_args, day, SanctionKind.CONVICTION, day]
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, args)
        while batch := cursor.fetchmany(FETCH_BATCH):
            yield from batch


def record_inputs(nominal_id: int, day: datetime.date) -> Inputs:
    """One person's inputs as the record gives them on ``day`` (no corrections applied)."""
    return _from_row(next(_rows(_people_one(nominal_id), day)))


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


def score(
    inputs: Inputs, run: RankingRun, day: datetime.date, reference: Ogrs3Reference = OGRS3_V3
) -> Ogrs3Result:
    """The unsaved result of one person: the figures, or the input that stops them and why."""
    result = Ogrs3Result(
        run=run, nominal_id=inputs.nominal_id, assessed_on=day, model_version=reference.version,
        sex=inputs.sex, date_of_birth=inputs.date_of_birth,
        offence_category=inputs.offence_category or "", offence_name=inputs.offence_name[:200],
        sanction=inputs.sanction, conviction_date=inputs.conviction_date,
        previous_sanctions=inputs.previous_sanctions,
        first_sanction_date=inputs.first_sanction_date, follow_up_start=inputs.follow_up_start,
        released=inputs.released, corrections=inputs.corrections,
    )  # fmt: skip
    stopped = unscored_reason(inputs)
    if stopped is None:
        present: Any = inputs  # unscored_reason found every input present
        try:
            scored = calculate_ogrs3(
                sex=present.sex,
                date_of_birth=present.date_of_birth,
                offence_category=present.offence_category,
                previous_sanctions=present.previous_sanctions,
                conviction_date=present.conviction_date,
                first_sanction_date=present.first_sanction_date,
                follow_up_start=present.follow_up_start,
                today=day,
                reference=reference,
            )
        except OGRS3InputError as error:
            words = INPUT_WORDS.get(error.field, error.field)
            stopped = error.field, f"the {words} is not possible: {error.reason}"
        else:
            result.one_year, result.two_year = scored.one_year, scored.two_year
            result.one_year_percent = scored.one_year_percent
            result.two_year_percent = scored.two_year_percent
            result.band = scored.band.code
    if stopped is not None:
        result.unscored_input, reason = stopped
        result.unscored_reason = reason[:300]
    return result


def score_run(run: RankingRun) -> int:
    """Replace ``run``'s OGRS3 results with one per person it assessed; returns how many.

    One ``INSERT ... SELECT`` on PostgreSQL (``write_in_sql``), Python elsewhere
    (``write_in_python``); both store the same rows."""
    if connection.vendor == "postgresql":
        return write_in_sql(run)
    return write_in_python(run)


def write_in_python(run: RankingRun) -> int:
    day = run.run_date
    Ogrs3Result.objects.filter(run=run).delete()
    corrections = open_corrections()
    written = 0
    batch: list[Ogrs3Result] = []
    for row in _rows(_people_of_run(run.pk), day):
        inputs = _from_row(row)
        if inputs.nominal_id in corrections:
            apply_corrections(inputs, corrections[inputs.nominal_id])
        batch.append(score(inputs, run, day))
        if len(batch) >= WRITE_BATCH:
            Ogrs3Result.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    if batch:
        Ogrs3Result.objects.bulk_create(batch)
        written += len(batch)
    return written


# --- PostgreSQL: one INSERT ... SELECT -------------------------------------------------------
# The statement repeats, in SQL, each step of the Python path above in the same order and with
# the same float8 operations in the same order, so the stored figures are identical. Reference
# figures and words are written into it from ``OGRS3_V3`` and this module, and the run date
# from its ``date`` (never from typed input); the corrections in force are a JSON parameter.

CORRECTED_INPUTS = {
    Ogrs3Input.OFFENCE_CATEGORY: "text",
    Ogrs3Input.CONVICTION_DATE: "date",
    Ogrs3Input.PREVIOUS_SANCTIONS: "int",
    Ogrs3Input.FIRST_SANCTION_DATE: "date",
    Ogrs3Input.FOLLOW_UP_START: "date",
}


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _float(value: float) -> str:
    return f"{float(value)!r}::float8"  # repr reads back as the same double


def _iso(column: str) -> str:
    return f"to_char({column}, 'YYYY-MM-DD')"  # date.isoformat()


def _day_month_year(column: str, padded: bool = False) -> str:
    """``f"{day:%-d %B %Y}"`` (or ``%d`` when padded) as SQL."""
    return f"to_char({column}, '{'' if padded else 'FM'}DD FMMonth YYYY')"


def _joined(*parts: str) -> str:
    return "(" + " || ".join(parts) + ")"


def _whole_years(born: str, on: str) -> str:
    """``ogrs3.age_in_whole_years`` as SQL."""
    return (
        f"(EXTRACT(YEAR FROM {on})::int - EXTRACT(YEAR FROM {born})::int"
        f" - CASE WHEN (EXTRACT(MONTH FROM {on}), EXTRACT(DAY FROM {on}))"
        f" < (EXTRACT(MONTH FROM {born}), EXTRACT(DAY FROM {born})) THEN 1 ELSE 0 END)"
    )


def _spellings(kind: str) -> str:
    return ", ".join(_text(key) for key, value in SEXES.items() if value == kind)


def _checks(day: str, reference: Ogrs3Reference) -> list[tuple[str, str, str]]:
    """(input, condition, reason) in the order ``unscored_reason`` then ``calculate_ogrs3``
    check them: the first whose condition holds stops the score."""
    words = INPUT_WORDS
    sex_label = "CASE k.sex " + " ".join(
        f"WHEN {_text(sex)} THEN {_text(label)}" for sex, label in SEX_LABELS.items()
    ) + f" WHEN '' THEN {_text('empty')} ELSE k.sex END"  # fmt: skip
    custody = _joined(_text(" (in custody since "), _day_month_year("k.in_custody_since"),
                      "')'")  # fmt: skip
    offence = "CASE WHEN k.offence_name <> '' THEN ' (' || k.offence_name || ')' ELSE '' END"
    codes = ", ".join(_text(c.code) for c in reference.offence_categories)
    last = len(reference.offence_categories) - 1
    today = _day_month_year(day)

    def impossible(field: str, *reason: str) -> str:
        return _joined(_text(f"the {words[field]} is not possible: "), *reason)

    checks = [
        ("sex", f"lower(k.sex) NOT IN ({', '.join(_text(key) for key in SEXES)})",
         _joined("'sex is recorded as '", sex_label,
                 _text("; OGRS3 has figures for men and women only"))),
        ("date_of_birth", "k.date_of_birth IS NULL", _text(f"missing {words['date_of_birth']}")),
        ("conviction_date", "k.conviction_date IS NULL",
         _text(f"missing {words['conviction_date']} (no conviction or caution in the record)")),
        ("offence_category", "COALESCE(k.offence_category, '') = ''",
         _joined(_text(f"missing {words['offence_category']}"), offence,
                 _text(": set it on the offence type or record it here"))),
        ("previous_sanctions", "k.previous_sanctions IS NULL",
         _text(f"missing {words['previous_sanctions']}")),
        ("first_sanction_date", "k.first_sanction_date IS NULL",
         _text(f"missing {words['first_sanction_date']}")),
        ("follow_up_start", "k.follow_up_start IS NULL",
         _joined(_text(f"missing {words['follow_up_start']}"),
                 f"CASE WHEN k.in_custody_since IS NULL THEN '' ELSE {custody} END")),
        # calculate_ogrs3's own checks (the sex is known to be one it has terms for)
        ("offence_category", f"k.offence_category NOT IN ({codes})",
         impossible("offence_category", "'''' || k.offence_category || ''''",
                    _text(f" is not an OGRS3 offence category (an index 0-{last} or a code "
                          f"such as {reference.offence_categories[0].code!r})"))),
        ("previous_sanctions", "k.previous_sanctions < 0",
         impossible("previous_sanctions", "k.previous_sanctions::text",
                    "' is negative: a count cannot be'")),
    ]  # fmt: skip
    for name in ("date_of_birth", "first_sanction_date", "conviction_date", "follow_up_start"):
        checks.append((name, f"k.{name} > {day}", impossible(
            name, _day_month_year(f"k.{name}"), "' is in the future (today is '", today, "')'"
        )))  # fmt: skip
    born, first = _day_month_year("k.date_of_birth"), _day_month_year("k.first_sanction_date")
    convicted = _day_month_year("k.conviction_date")
    checks += [
        ("date_of_birth", "k.date_of_birth >= k.first_sanction_date",
         impossible("date_of_birth", born, "' is not before the first sanction ('", first,
                    "')'")),
        ("first_sanction_date", "k.first_sanction_date > k.conviction_date",
         impossible("first_sanction_date", first, "' is after the current conviction ('",
                    convicted, "'); the first sanction cannot come after it'")),
        ("follow_up_start", "k.follow_up_start < k.conviction_date",
         impossible("follow_up_start", _day_month_year("k.follow_up_start"),
                    "' is before the current conviction ('", convicted,
                    "'); follow-up starts at the caution, sentence or release that follows it'")),
        ("previous_sanctions",
         "k.previous_sanctions = 0 AND k.first_sanction_date <> k.conviction_date",
         impossible("previous_sanctions", "'is 0, yet the first sanction ('", first,
                    "') is before the current conviction ('", convicted,
                    "'); with no previous sanctions the current conviction is the first'")),
        ("first_sanction_date", f"k.age_at_first_sanction < {reference.minimum_age}",
         impossible("first_sanction_date", "'the person was '", "k.age_at_first_sanction::text",
                    "' on '", first, _text(f"; no one under {reference.minimum_age} can be "
                                           "cautioned or convicted"))),
    ]  # fmt: skip
    return checks


def _score_sql(reference: Ogrs3Reference) -> str:
    """``calculate_ogrs3``'s score of a checked row ``k``: the same terms, added in the same
    order."""

    def age_term(term: str) -> str:
        return "CASE " + " ".join(
            f"WHEN k.age_at_follow_up >= {band.lowest}"
            + ("" if band.highest is None else f" AND k.age_at_follow_up <= {band.highest}")
            + f" THEN {_float(getattr(band, term))}"
            for band in reference.age_bands
        ) + " END"  # fmt: skip

    age_sex = (
        f"CASE WHEN lower(k.sex) IN ({_spellings('male')}) THEN {age_term('male_term')}"
        f" ELSE {age_term('female_term')} END"
    )
    sanction = (
        f"CASE WHEN k.previous_sanctions <> 0 THEN {_float(reference.repeat_sanction_term)}"
        f" ELSE {_float(reference.first_sanction_term)} END"
    )
    copas = (
        f"ln((LEAST(k.previous_sanctions, {reference.previous_sanctions_cap}) + 1)::float8"
        f" / ({reference.copas_career_years} + k.age_at_conviction"
        f" - k.age_at_first_sanction)::float8)"
    )
    category = "CASE k.offence_category " + " ".join(
        f"WHEN {_text(c.code)} THEN {_float(c.term)}" for c in reference.offence_categories
    ) + " END"  # fmt: skip
    return (
        f"((({age_sex}) + ({sanction})) + {_float(reference.copas_weight)} * {copas}) + {category}"
    )


def _probability(intercept: float) -> str:
    return f"1::float8 / (1::float8 + exp(-({_float(intercept)} + s.score)))"


def _percent(column: str) -> str:
    return f"floor({column} * 100::float8 + 0.5::float8)::int"  # ogrs3.whole_percent


def _record_text() -> str:
    """What the record said of a corrected input (``as_text``), by the input's name ``e.key``."""
    return "CASE e.key " + " ".join(
        f"WHEN {_text(name)} THEN "
        + (_iso(f"r.{name}") if kind == "date" else f"r.{name}::text")
        for name, kind in CORRECTED_INPUTS.items()
    ) + " END"  # fmt: skip


# The run's people, copied from its assessments into a temporary table that is analysed: the
# statement is then planned knowing there are 100,000 of them, not the handful PostgreSQL
# would guess for a run id its statistics have never seen (nested loops for minutes).
PEOPLE_TABLE = "ogrs3_run_people"


def _people_table() -> tuple[str, list]:
    return f"SELECT nominal_id FROM {PEOPLE_TABLE}", []


def calculation_ctes(day: str, reference: Ogrs3Reference = OGRS3_V3) -> str:
    """The calculation as CTEs over ``corrected`` (one row of inputs per person: nominal_id,
    sex, date_of_birth, offence_name, offence_category, conviction_date, previous_sanctions,
    first_sanction_date, follow_up_start, in_custody_since, ...), ending in ``banded``: the
    inputs with stop_input and stop_reason (the first check that stops the score), score,
    one_year, two_year, the percentages and band ('' when not scored). ``day`` is the run
    date as SQL. The set-based form of ``calculate_ogrs3`` and ``unscored_reason``.

    ``checked`` and ``scored`` are MATERIALIZED: inlined, each later reference to a column
    (the percentages, the band's four comparisons) would evaluate the checks and the score
    again, a dozen times a row."""
    checks = _checks(day, reference)
    stop_input = "CASE " + " ".join(f"WHEN {when} THEN {_text(i)}" for i, when, _ in checks)
    stop_reason = "CASE " + " ".join(f"WHEN {when} THEN {why}" for _, when, why in checks)
    bands = sorted(reference.risk_bands, key=lambda band: band.lowest_percent, reverse=True)
    band = "CASE " + " ".join(
        f"WHEN p.two_year_percent >= {b.lowest_percent} THEN {_text(b.code)}" for b in bands
    ) + " END"  # fmt: skip
    return f"""aged AS (
    SELECT k.*,
           {_whole_years("k.date_of_birth", "k.conviction_date")} AS age_at_conviction,
           {_whole_years("k.date_of_birth", "k.first_sanction_date")} AS age_at_first_sanction,
           {_whole_years("k.date_of_birth", "k.follow_up_start")} AS age_at_follow_up
      FROM corrected k
),
checked AS MATERIALIZED (
    SELECT k.*, {stop_input} END AS stop_input, {stop_reason} END AS stop_reason
      FROM aged k
),
scored AS MATERIALIZED (
    SELECT k.*, CASE WHEN k.stop_input IS NULL THEN {_score_sql(reference)} END AS score
      FROM checked k
),
probabilities AS (
    SELECT s.*, {_probability(reference.intercept_1yr)} AS one_year,
           {_probability(reference.intercept_2yr)} AS two_year
      FROM scored s
),
percents AS (
    SELECT p.*, {_percent("p.one_year")} AS one_year_percent,
           {_percent("p.two_year")} AS two_year_percent
      FROM probabilities p
),
banded AS (SELECT p.*, COALESCE({band}, '') AS band FROM percents p)"""


def insert_sql(run: RankingRun, reference: Ogrs3Reference = OGRS3_V3) -> tuple[str, list]:
    """The one statement of the PostgreSQL path and its parameters (the run's people are
    read from ``PEOPLE_TABLE``, which ``write_in_sql`` fills)."""
    people_sql, people_args = _people_table()
    day = f"DATE '{run.run_date.isoformat()}'"
    conviction = _text(SanctionKind.CONVICTION)
    corrected = ",\n".join(
        f"CASE WHEN g.value ? {_text(name)} THEN (g.value ->> {_text(name)})::{kind}"
        f" ELSE r.{name} END AS {name}"
        for name, kind in CORRECTED_INPUTS.items()
    )
    calculation = calculation_ctes(day, reference)
    sql = f"""
WITH {INPUTS_CTES.format(people=people_sql)},
found AS ({INPUTS_SELECT}),
record AS (
    SELECT f.nominal_id, COALESCE(f.gender, '') AS sex, f.date_of_birth,
           COALESCE(f.sanction, '') AS sanction, f.sanction_date AS conviction_date,
           CASE WHEN f.sanction_date IS NOT NULL THEN NULLIF(f.ogrs3_category, '') END
               AS offence_category,
           COALESCE(f.name, '') AS offence_name,
           (f.occasions - 1)::int AS previous_sanctions,
           f.first_date AS first_sanction_date,
           CASE WHEN f.sanction = {conviction} AND f.released_on IS NOT NULL THEN f.released_on
                WHEN f.sanction = {conviction} AND f.inside = 1 THEN NULL
                ELSE f.sanction_date END AS follow_up_start,
           COALESCE(f.sanction = {conviction} AND f.released_on IS NOT NULL, FALSE) AS released,
           CASE WHEN f.sanction = {conviction} AND f.released_on IS NULL AND f.inside = 1
                THEN f.custody_from END AS in_custody_since
      FROM found f
),
given AS (
    SELECT (c ->> 'nominal_id')::bigint AS nominal_id, c -> 'value' AS value,
           c -> 'note' AS note
      FROM jsonb_array_elements(%s::jsonb) AS c
),
corrected AS (
    SELECT r.nominal_id, r.sex, r.date_of_birth, r.sanction, r.offence_name,
           {corrected},
           CASE WHEN g.value ? {_text(Ogrs3Input.FOLLOW_UP_START)} THEN FALSE
                ELSE r.released END AS released,
           r.in_custody_since,
           CASE WHEN g.note IS NULL THEN '{{}}'::jsonb ELSE (
               SELECT jsonb_object_agg(e.key, e.value || jsonb_build_object('record',
                                                                            {_record_text()}))
                 FROM jsonb_each(g.note) AS e) END AS corrections
      FROM record r LEFT JOIN given g ON g.nominal_id = r.nominal_id
),
{calculation}
INSERT INTO risk_ogrs3result
    (run_id, nominal_id, assessed_on, model_version, sex, date_of_birth, offence_category,
     offence_name, sanction, conviction_date, previous_sanctions, first_sanction_date,
     follow_up_start, released, corrections, one_year, two_year, one_year_percent,
     two_year_percent, band, unscored_input, unscored_reason)
SELECT %s, p.nominal_id, {day}, %s, p.sex, p.date_of_birth, COALESCE(p.offence_category, ''),
       left(p.offence_name, 200), p.sanction, p.conviction_date, p.previous_sanctions,
       p.first_sanction_date, p.follow_up_start, p.released, p.corrections, p.one_year,
       p.two_year, p.one_year_percent, p.two_year_percent, p.band,
       COALESCE(p.stop_input, ''), COALESCE(left(p.stop_reason, 300), '')
  FROM banded p"""
    args = [*people_args, run.run_date, SanctionKind.CONVICTION.value, run.run_date,
            _corrections_json(), run.pk, reference.version]  # fmt: skip
    return sql, args


def _corrections_json() -> str:
    """The corrections in force as the statement reads them: per person, each input's value
    (normalised as the Python path parses it) and who supplied it, when and why."""
    people = []
    for nominal_id, corrections in open_corrections().items():
        value, note = {}, {}
        for correction in corrections:
            value[correction.field] = as_text(parse_value(correction.field, correction.value))
            note[correction.field] = correction_note(correction)
        people.append({"nominal_id": nominal_id, "value": value, "note": note})
    return json.dumps(people)


def write_in_sql(run: RankingRun, reference: Ogrs3Reference = OGRS3_V3) -> int:
    sql, args = insert_sql(run, reference)
    with transaction.atomic():
        Ogrs3Result.objects.filter(run=run).delete()
        with connection.cursor() as cursor:
            # For this transaction only: no JIT compilation, which costs this long statement
            # more than it saves (as for the assessments).
            cursor.execute("SELECT set_config('jit', 'off', true)")
            cursor.execute(f"DROP TABLE IF EXISTS {PEOPLE_TABLE}")
            people_sql, people_args = _people_of_run(run.pk)
            cursor.execute(
                f"CREATE TEMPORARY TABLE {PEOPLE_TABLE} ON COMMIT DROP AS {people_sql}",
                people_args,
            )
            cursor.execute(f"ANALYZE {PEOPLE_TABLE}")
            cursor.execute(sql, args)
            written = cursor.rowcount
            cursor.execute(f"DROP TABLE {PEOPLE_TABLE}")
            return written
