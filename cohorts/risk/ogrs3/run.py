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
from typing import Any

from django.db import connection, transaction

from ..models import Ogrs3Input, Ogrs3Result, RankingRun, SanctionKind
from .calculator import OGRS3InputError, calculate_ogrs3
from .inputs import (
    INPUT_WORDS,
    INPUTS_CTES,
    INPUTS_SELECT,
    Inputs,
    apply_corrections,
    as_text,
    correction_note,
    from_row,
    open_corrections,
    parse_value,
    people_of_run,
    record_rows,
    unscored_reason,
)
from .reference import OGRS3_V3, Ogrs3Reference
from .sql import calculation_ctes, iso_date, quoted

WRITE_BATCH = 2000


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
            result.check_reason = scored.check_reason[:300]
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
    for row in record_rows(people_of_run(run.pk), day):
        inputs = from_row(row)
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
# The record's inputs and the officers' corrections (a JSON parameter) in front of the
# calculation (``sql.calculation_ctes``), the INSERT behind it.

CORRECTED_INPUTS = {
    Ogrs3Input.OFFENCE_CATEGORY: "text",
    Ogrs3Input.CONVICTION_DATE: "date",
    Ogrs3Input.PREVIOUS_SANCTIONS: "int",
    Ogrs3Input.FIRST_SANCTION_DATE: "date",
    Ogrs3Input.FOLLOW_UP_START: "date",
}


def _record_text() -> str:
    """What the record said of a corrected input (``as_text``), by the input's name ``e.key``."""
    return "CASE e.key " + " ".join(
        f"WHEN {quoted(name)} THEN "
        + (iso_date(f"r.{name}") if kind == "date" else f"r.{name}::text")
        for name, kind in CORRECTED_INPUTS.items()
    ) + " END"  # fmt: skip


# The run's people, copied from its assessments into a temporary table that is analysed: the
# statement is then planned knowing there are 100,000 of them, not the handful PostgreSQL
# would guess for a run id its statistics have never seen (nested loops for minutes).
PEOPLE_TABLE = "ogrs3_run_people"


def _people_table() -> tuple[str, list]:
    return f"SELECT nominal_id FROM {PEOPLE_TABLE}", []


def _record_ctes(people_sql: str) -> str:
    """The inputs as the record gives them (``record``), then with the corrections in force,
    a JSON parameter, applied (``corrected``), with what the record said of each."""
    conviction = quoted(SanctionKind.CONVICTION)
    corrected = ",\n".join(
        f"CASE WHEN g.value ? {quoted(name)} THEN (g.value ->> {quoted(name)})::{kind}"
        f" ELSE r.{name} END AS {name}"
        for name, kind in CORRECTED_INPUTS.items()
    )
    return f"""{INPUTS_CTES.format(people=people_sql)},
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
           CASE WHEN g.value ? {quoted(Ogrs3Input.FOLLOW_UP_START)} THEN FALSE
                ELSE r.released END AS released,
           r.in_custody_since,
           CASE WHEN g.note IS NULL THEN '{{}}'::jsonb ELSE (
               SELECT jsonb_object_agg(e.key, e.value || jsonb_build_object('record',
                                                                            {_record_text()}))
                 FROM jsonb_each(g.note) AS e) END AS corrections
      FROM record r LEFT JOIN given g ON g.nominal_id = r.nominal_id
)"""


def insert_sql(run: RankingRun, reference: Ogrs3Reference = OGRS3_V3) -> tuple[str, list]:
    """The one statement of the PostgreSQL path and its parameters (the run's people are
    read from ``PEOPLE_TABLE``, which ``write_in_sql`` fills)."""
    people_sql, people_args = _people_table()
    day = f"DATE '{run.run_date.isoformat()}'"
    calculation = calculation_ctes(day, reference)
    sql = f"""
WITH {_record_ctes(people_sql)},
{calculation}
INSERT INTO risk_ogrs3result
    (run_id, nominal_id, assessed_on, model_version, sex, date_of_birth, offence_category,
     offence_name, sanction, conviction_date, previous_sanctions, first_sanction_date,
     follow_up_start, released, corrections, one_year, two_year, one_year_percent,
     two_year_percent, band, unscored_input, unscored_reason, check_reason)
SELECT %s, p.nominal_id, {day}, %s, p.sex, p.date_of_birth, COALESCE(p.offence_category, ''),
       left(p.offence_name, 200), p.sanction, p.conviction_date, p.previous_sanctions,
       p.first_sanction_date, p.follow_up_start, p.released, p.corrections, p.one_year,
       p.two_year, p.one_year_percent, p.two_year_percent, p.band,
       COALESCE(p.stop_input, ''), COALESCE(left(p.stop_reason, 300), ''),
       left(p.check_reason, 300)
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
            people_sql, people_args = people_of_run(run.pk)
            cursor.execute(
                f"CREATE TEMPORARY TABLE {PEOPLE_TABLE} ON COMMIT DROP AS {people_sql}",
                people_args,
            )
            cursor.execute(f"ANALYZE {PEOPLE_TABLE}")
            cursor.execute(sql, args)
            written = cursor.rowcount
            cursor.execute(f"DROP TABLE {PEOPLE_TABLE}")
            return written
