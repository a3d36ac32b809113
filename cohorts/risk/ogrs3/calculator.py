"""OGRS3: the probability of proven reoffending within one and two years, from static facts.

``calculate_ogrs3`` is a pure function: no database, no clock, no settings. It applies the
published scale (Howard et al. 2009) with the coefficients of ``reference.OGRS3_V3`` and
reproduces the government calculator's test data to 1e-6 (tests/risk/test_ogrs3.py). The
method, the sources of each input in a person's record, and the same formula as one SQL
expression for the nightly set-based run are in docs/ogrs3.md.

It is the one reference in Python. The nightly run's set-based form (``sql`` and ``run``, one
``INSERT ... SELECT`` on PostgreSQL) repeats it step by step in SQL; the tests hold the two
to the same figures on every case of the government's test data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

from .reference import (
    OGRS3_V3,
    AgeBand,
    OffenceCategory,
    Ogrs3Reference,
    RiskBand,
)

# The two sexes the scale has terms for, under the spellings callers use: the project's
# ``cohorts.models.Gender`` values and the single letters of the published test data.
SEXES = {"male": "male", "m": "male", "female": "female", "f": "female"}


class OGRS3InputError(ValueError):
    """An input the scale cannot be applied to; ``field`` names it, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


@dataclass(frozen=True, slots=True)
class Ogrs3Result:
    one_year: float
    two_year: float
    # Whole percentages, rounded half up; the band is decided on ``two_year_percent``.
    one_year_percent: int
    two_year_percent: int
    band: RiskBand
    model_version: str
    # The intermediate facts, so a score can be explained and checked by hand.
    age_at_conviction: int
    age_at_first_sanction: int
    age_at_follow_up: int
    counted_previous_sanctions: int
    copas: float
    # Why an officer should check the inputs before relying on the figures ("" when nothing
    # looks wrong): the figures are the published scale's all the same.
    check_reason: str = ""


def age_in_whole_years(date_of_birth: date, on: date) -> int:
    """Completed years of age on a day (someone born on 29 February ages on 1 March)."""
    before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - before_birthday


def band_of(two_year: float, reference: Ogrs3Reference = OGRS3_V3) -> tuple[int, RiskBand]:
    """The whole 2-year percentage and the band it falls in."""
    percent = whole_percent(two_year)
    return percent, reference.risk_band(percent)


def whole_percent(probability: float) -> int:
    """Half up, written as in the SQL of docs/ogrs3.md (``FLOOR(p * 100 + 0.5)``)."""
    return math.floor(probability * 100 + 0.5)


def calculate_ogrs3(
    *,
    sex: str,
    date_of_birth: date,
    offence_category: int | str,
    previous_sanctions: int,
    conviction_date: date,
    first_sanction_date: date,
    follow_up_start: date,
    today: date,
    reference: Ogrs3Reference = OGRS3_V3,
) -> Ogrs3Result:
    """Score one person with OGRS3.

    ``offence_category`` is the current offence's OGRS3 category, by index (0-19, as in the
    published test data) or code; ``previous_sanctions`` excludes the current conviction;
    ``follow_up_start`` is the date of the caution, the non-custodial sentence or the release
    from custody; ``today`` is the day of the calculation (no input may be after it).

    Raises ``OGRS3InputError`` naming the first impossible input: an unknown sex or category,
    a negative count, a date in the future, a first sanction after the conviction, a
    follow-up that starts before the conviction, no previous sanctions with a first sanction
    before the current one, or a follow-up before the age of the scale's first band. A first
    sanction under the age of criminal responsibility is scored as the published calculator
    scores it, with ``check_reason`` saying what to check.
    """
    scale_sex = _checked_sex(sex)
    category = _checked_category(offence_category, reference)
    _check_count(previous_sanctions)
    _check_dates(
        {
            "date_of_birth": date_of_birth,
            "first_sanction_date": first_sanction_date,
            "conviction_date": conviction_date,
            "follow_up_start": follow_up_start,
        },
        today,
    )
    _check_first_sanction(previous_sanctions, first_sanction_date, conviction_date)
    age_at_first_sanction = age_in_whole_years(date_of_birth, first_sanction_date)
    age_at_conviction = age_in_whole_years(date_of_birth, conviction_date)
    age_at_follow_up = age_in_whole_years(date_of_birth, follow_up_start)
    age_band = _checked_age_band(age_at_follow_up, follow_up_start, reference)

    counted = min(previous_sanctions, reference.previous_sanctions_cap)
    career_years = age_at_conviction - age_at_first_sanction
    copas = math.log((counted + 1) / (reference.copas_career_years + career_years))
    score = (
        (age_band.male_term if scale_sex == "male" else age_band.female_term)
        + (reference.repeat_sanction_term if previous_sanctions else reference.first_sanction_term)
        + reference.copas_weight * copas
        + category.term
    )
    one_year = _logistic(reference.intercept_1yr + score)
    two_year = _logistic(reference.intercept_2yr + score)
    two_year_percent, band = band_of(two_year, reference)
    return Ogrs3Result(
        one_year=one_year,
        two_year=two_year,
        one_year_percent=whole_percent(one_year),
        two_year_percent=two_year_percent,
        band=band,
        model_version=reference.version,
        age_at_conviction=age_at_conviction,
        age_at_first_sanction=age_at_first_sanction,
        age_at_follow_up=age_at_follow_up,
        counted_previous_sanctions=counted,
        copas=copas,
        check_reason=young_first_sanction(age_at_first_sanction, first_sanction_date, reference),
    )


def young_first_sanction(age: int, on: date, reference: Ogrs3Reference = OGRS3_V3) -> str:
    """What an officer should check when the first sanction is dated before the age of
    criminal responsibility ("" otherwise). The published calculator scores such a record
    without complaint (case T677 of its test data); no one under that age can be cautioned
    or convicted in England and Wales, so the date of birth or of the sanction is likely
    wrong."""
    if age >= reference.minimum_age:
        return ""
    return (
        f"the first sanction ({on:%-d %B %Y}) is dated when the person was {age}, under the "
        f"age of criminal responsibility ({reference.minimum_age}): check the date of birth "
        "and the date of the first sanction"
    )


def _check_first_sanction(previous_sanctions: int, first: date, convicted: date) -> None:
    if previous_sanctions == 0 and first != convicted:
        raise OGRS3InputError(
            "previous_sanctions",
            f"is 0, yet the first sanction ({first:%-d %B %Y}) is before the "
            f"current conviction ({convicted:%-d %B %Y}); with no previous sanctions the "
            "current conviction is the first",
        )


def _checked_age_band(age: int, follow_up_start: date, reference: Ogrs3Reference) -> AgeBand:
    band = reference.age_band(age)
    if band is None:
        raise OGRS3InputError(
            "follow_up_start",
            f"the person was {age} on {follow_up_start:%-d %B %Y}; OGRS3 has figures from "
            f"the age of {reference.age_bands[0].lowest}",
        )
    return band


def _logistic(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _checked_sex(sex: str) -> str:
    scale_sex = SEXES.get(sex.strip().lower()) if isinstance(sex, str) else None
    if scale_sex is None:
        raise OGRS3InputError(
            "sex", f"{sex!r} cannot be scored: OGRS3 has terms for male and female only"
        )
    return scale_sex


def _checked_category(key: int | str, reference: Ogrs3Reference) -> OffenceCategory:
    category = None if isinstance(key, bool) else reference.category(key)
    if category is None:
        last = len(reference.offence_categories) - 1
        raise OGRS3InputError(
            "offence_category",
            f"{key!r} is not an OGRS3 offence category (an index 0-{last} or a code such as "
            f"{reference.offence_categories[0].code!r})",
        )
    return category


def _check_count(previous_sanctions: int) -> None:
    if isinstance(previous_sanctions, bool) or not isinstance(previous_sanctions, int):
        raise OGRS3InputError("previous_sanctions", f"{previous_sanctions!r} is not a whole number")
    if previous_sanctions < 0:
        raise OGRS3InputError(
            "previous_sanctions", f"{previous_sanctions} is negative: a count cannot be"
        )


def _check_dates(dates: dict[str, date], today: date) -> None:
    for field, value in dates.items():
        if isinstance(value, datetime) or not isinstance(value, date):
            raise OGRS3InputError(field, f"{value!r} is not a date")
        if value > today:
            raise OGRS3InputError(
                field, f"{value:%-d %B %Y} is in the future (today is {today:%-d %B %Y})"
            )
    born = dates["date_of_birth"]
    first = dates["first_sanction_date"]
    convicted = dates["conviction_date"]
    follow_up = dates["follow_up_start"]
    if born >= first:
        raise OGRS3InputError(
            "date_of_birth",
            f"{born:%-d %B %Y} is not before the first sanction ({first:%-d %B %Y})",
        )
    if first > convicted:
        raise OGRS3InputError(
            "first_sanction_date",
            f"{first:%-d %B %Y} is after the current conviction ({convicted:%-d %B %Y}); the "
            "first sanction cannot come after it",
        )
    if follow_up < convicted:
        raise OGRS3InputError(
            "follow_up_start",
            f"{follow_up:%-d %B %Y} is before the current conviction ({convicted:%-d %B %Y}); "
            "follow-up starts at the caution, sentence or release that follows it",
        )
