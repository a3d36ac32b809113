"""The OGRS3 calculation as SQL, for the nightly run on PostgreSQL (``calculation_ctes``).

It repeats, in SQL, each step of ``calculate_ogrs3`` and ``inputs.unscored_reason`` in the
same order and with the same float8 operations in the same order, so the stored figures are
identical. Reference figures and words are written into it from ``OGRS3_V3`` and the inputs'
words, and the run date from its ``date`` (never from typed input).
"""

from __future__ import annotations

from .calculator import SEXES
from .inputs import INPUT_WORDS, SEX_LABELS
from .reference import OGRS3_V3, Ogrs3Reference


def quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _float(value: float) -> str:
    return f"{float(value)!r}::float8"  # repr reads back as the same double


def iso_date(column: str) -> str:
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
    return ", ".join(quoted(key) for key, value in SEXES.items() if value == kind)


def _checks(day: str, reference: Ogrs3Reference) -> list[tuple[str, str, str]]:
    """(input, condition, reason) in the order ``unscored_reason`` then ``calculate_ogrs3``
    check them: the first whose condition holds stops the score."""
    return _missing_checks() + _impossible_checks(day, reference)


def _impossible(field: str, *reason: str) -> str:
    return _joined(quoted(f"the {INPUT_WORDS[field]} is not possible: "), *reason)


def _missing_checks() -> list[tuple[str, str, str]]:
    """``unscored_reason``'s checks: an input the scale has no figures for, or missing."""
    words = INPUT_WORDS
    sex_label = "CASE k.sex " + " ".join(
        f"WHEN {quoted(sex)} THEN {quoted(label)}" for sex, label in SEX_LABELS.items()
    ) + f" WHEN '' THEN {quoted('empty')} ELSE k.sex END"  # fmt: skip
    custody = _joined(quoted(" (in custody since "), _day_month_year("k.in_custody_since"),
                      "')'")  # fmt: skip
    offence = "CASE WHEN k.offence_name <> '' THEN ' (' || k.offence_name || ')' ELSE '' END"
    return [
        ("sex", f"lower(k.sex) NOT IN ({', '.join(quoted(key) for key in SEXES)})",
         _joined("'sex is recorded as '", sex_label,
                 quoted("; OGRS3 has figures for men and women only"))),
        ("date_of_birth", "k.date_of_birth IS NULL", quoted(f"missing {words['date_of_birth']}")),
        ("conviction_date", "k.conviction_date IS NULL",
         quoted(f"missing {words['conviction_date']} (no conviction or caution in the record)")),
        ("offence_category", "COALESCE(k.offence_category, '') = ''",
         _joined(quoted(f"missing {words['offence_category']}"), offence,
                 quoted(": set it on the offence type or record it here"))),
        ("previous_sanctions", "k.previous_sanctions IS NULL",
         quoted(f"missing {words['previous_sanctions']}")),
        ("first_sanction_date", "k.first_sanction_date IS NULL",
         quoted(f"missing {words['first_sanction_date']}")),
        ("follow_up_start", "k.follow_up_start IS NULL",
         _joined(quoted(f"missing {words['follow_up_start']}"),
                 f"CASE WHEN k.in_custody_since IS NULL THEN '' ELSE {custody} END")),
    ]  # fmt: skip


def _impossible_checks(day: str, reference: Ogrs3Reference) -> list[tuple[str, str, str]]:
    """``calculate_ogrs3``'s own checks (the sex is known to be one it has terms for)."""
    codes = ", ".join(quoted(c.code) for c in reference.offence_categories)
    last = len(reference.offence_categories) - 1
    today = _day_month_year(day)
    checks = [
        ("offence_category", f"k.offence_category NOT IN ({codes})",
         _impossible("offence_category", "'''' || k.offence_category || ''''",
                     quoted(f" is not an OGRS3 offence category (an index 0-{last} or a code "
                            f"such as {reference.offence_categories[0].code!r})"))),
        ("previous_sanctions", "k.previous_sanctions < 0",
         _impossible("previous_sanctions", "k.previous_sanctions::text",
                     "' is negative: a count cannot be'")),
    ]  # fmt: skip
    for name in ("date_of_birth", "first_sanction_date", "conviction_date", "follow_up_start"):
        checks.append((name, f"k.{name} > {day}", _impossible(
            name, _day_month_year(f"k.{name}"), "' is in the future (today is '", today, "')'"
        )))  # fmt: skip
    born, first = _day_month_year("k.date_of_birth"), _day_month_year("k.first_sanction_date")
    convicted = _day_month_year("k.conviction_date")
    youngest = reference.age_bands[0].lowest
    checks += [
        ("date_of_birth", "k.date_of_birth >= k.first_sanction_date",
         _impossible("date_of_birth", born, "' is not before the first sanction ('", first,
                     "')'")),
        ("first_sanction_date", "k.first_sanction_date > k.conviction_date",
         _impossible("first_sanction_date", first, "' is after the current conviction ('",
                     convicted, "'); the first sanction cannot come after it'")),
        ("follow_up_start", "k.follow_up_start < k.conviction_date",
         _impossible("follow_up_start", _day_month_year("k.follow_up_start"),
                     "' is before the current conviction ('", convicted,
                     "'); follow-up starts at the caution, sentence or release that follows it'")),
        ("previous_sanctions",
         "k.previous_sanctions = 0 AND k.first_sanction_date <> k.conviction_date",
         _impossible("previous_sanctions", "'is 0, yet the first sanction ('", first,
                     "') is before the current conviction ('", convicted,
                     "'); with no previous sanctions the current conviction is the first'")),
        ("follow_up_start", f"k.age_at_follow_up < {youngest}",
         _impossible("follow_up_start", "'the person was '", "k.age_at_follow_up::text",
                     "' on '", _day_month_year("k.follow_up_start"),
                     quoted(f"; OGRS3 has figures from the age of {youngest}"))),
    ]  # fmt: skip
    return checks


def _check_reason_sql(reference: Ogrs3Reference) -> str:
    """``calculator.young_first_sanction`` of a scored row ``k``, '' when nothing to check."""
    minimum = reference.minimum_age
    reason = _joined(
        quoted("the first sanction ("), _day_month_year("k.first_sanction_date"),
        quoted(") is dated when the person was "), "k.age_at_first_sanction::text",
        quoted(f", under the age of criminal responsibility ({minimum}): check the date of "
               "birth and the date of the first sanction"),
    )  # fmt: skip
    return (
        f"CASE WHEN k.stop_input IS NULL AND k.age_at_first_sanction < {minimum}"
        f" THEN {reason} ELSE '' END"
    )


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
        f"WHEN {quoted(c.code)} THEN {_float(c.term)}" for c in reference.offence_categories
    ) + " END"  # fmt: skip
    return (
        f"((({age_sex}) + ({sanction})) + {_float(reference.copas_weight)} * {copas}) + {category}"
    )


def _probability(intercept: float) -> str:
    return f"1::float8 / (1::float8 + exp(-({_float(intercept)} + s.score)))"


def _percent(column: str) -> str:
    return f"floor({column} * 100::float8 + 0.5::float8)::int"  # ogrs3.whole_percent


def calculation_ctes(day: str, reference: Ogrs3Reference = OGRS3_V3) -> str:
    """The calculation as CTEs over ``corrected`` (one row of inputs per person: nominal_id,
    sex, date_of_birth, offence_name, offence_category, conviction_date, previous_sanctions,
    first_sanction_date, follow_up_start, in_custody_since, ...), ending in ``banded``: the
    inputs with stop_input and stop_reason (the first check that stops the score), score,
    one_year, two_year, the percentages and band ('' when not scored), and check_reason
    (what an officer should check in a scored row, or ''). ``day`` is the run
    date as SQL. The set-based form of ``calculate_ogrs3`` and ``unscored_reason``.

    ``checked`` and ``scored`` are MATERIALIZED: inlined, each later reference to a column
    (the percentages, the band's four comparisons) would evaluate the checks and the score
    again, a dozen times a row."""
    checks = _checks(day, reference)
    stop_input = "CASE " + " ".join(f"WHEN {when} THEN {quoted(i)}" for i, when, _ in checks)
    stop_reason = "CASE " + " ".join(f"WHEN {when} THEN {why}" for _, when, why in checks)
    bands = sorted(reference.risk_bands, key=lambda band: band.lowest_percent, reverse=True)
    band = "CASE " + " ".join(
        f"WHEN p.two_year_percent >= {b.lowest_percent} THEN {quoted(b.code)}" for b in bands
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
    SELECT k.*, CASE WHEN k.stop_input IS NULL THEN {_score_sql(reference)} END AS score,
           {_check_reason_sql(reference)} AS check_reason
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
