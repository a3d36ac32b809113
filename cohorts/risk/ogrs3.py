"""OGRS3: the probability of proven reoffending within one and two years, from static facts.

``calculate_ogrs3`` is a pure function: no database, no clock, no settings. It applies the
published scale (Howard et al. 2009) with the coefficients of ``ogrs3_reference.OGRS3_V3`` and
reproduces the government calculator's test data to 1e-6 (tests/risk/test_ogrs3.py). The
method, the sources of each input in a person's record, and the same formula as one SQL
expression for the nightly set-based run are in docs/ogrs3.md.

``ogrs3_annotations`` is the same calculation as Django expressions, to score a whole queryset
in one statement on PostgreSQL or SQLite. It does not check the inputs: a set-based run selects
only rows that pass the checks listed in docs/ogrs3.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Case, ExpressionWrapper, F, FloatField, Q, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import (
    Exp,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    Floor,
    Least,
    Ln,
    Lower,
)
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
)

from cohorts.risk.ogrs3_reference import (
    OGRS3_V3,
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
    a negative count, a date in the future, a first sanction after the conviction or under the
    minimum age, a follow-up that starts before the conviction, or no previous sanctions with a
    first sanction before the current one.
    """
    scale_sex = _checked_sex(sex)
    category = _checked_category(offence_category, reference)
    _check_count(previous_sanctions)
    dates = {
        "date_of_birth": date_of_birth,
        "first_sanction_date": first_sanction_date,
        "conviction_date": conviction_date,
        "follow_up_start": follow_up_start,
    }
    _check_dates(dates, today)
    if previous_sanctions == 0 and first_sanction_date != conviction_date:
        raise OGRS3InputError(
            "previous_sanctions",
            f"is 0, yet the first sanction ({first_sanction_date:%-d %B %Y}) is before the "
            f"current conviction ({conviction_date:%-d %B %Y}); with no previous sanctions the "
            "current conviction is the first",
        )

    age_at_first_sanction = age_in_whole_years(date_of_birth, first_sanction_date)
    if age_at_first_sanction < reference.minimum_age:
        raise OGRS3InputError(
            "first_sanction_date",
            f"the person was {age_at_first_sanction} on {first_sanction_date:%-d %B %Y}; no one "
            f"under {reference.minimum_age} can be cautioned or convicted",
        )
    age_at_conviction = age_in_whole_years(date_of_birth, conviction_date)
    age_at_follow_up = age_in_whole_years(date_of_birth, follow_up_start)

    counted = min(previous_sanctions, reference.previous_sanctions_cap)
    career_years = age_at_conviction - age_at_first_sanction
    copas = math.log((counted + 1) / (reference.copas_career_years + career_years))
    age_band = reference.age_band(age_at_follow_up)
    # age_at_follow_up >= age_at_first_sanction >= minimum_age, so a band always exists.
    assert age_band is not None
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
    )


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


def ogrs3_annotations(
    *,
    sex: str | Combinable,
    date_of_birth: str | Combinable,
    offence_category: str | Combinable,
    previous_sanctions: str | Combinable,
    conviction_date: str | Combinable,
    first_sanction_date: str | Combinable,
    follow_up_start: str | Combinable,
    reference: Ogrs3Reference = OGRS3_V3,
    prefix: str = "ogrs3_",
) -> dict[str, Combinable]:
    """``calculate_ogrs3`` as expressions: ``queryset.annotate(**ogrs3_annotations(...))``.

    Each input is a field name or an expression; ``sex`` must hold ``male``/``female`` (or
    ``M``/``F``) and ``offence_category`` the reference's category code. Gives ``<prefix>1yr``
    and ``<prefix>2yr``, NULL where the sex or category has no term; ``band_of`` turns the
    2-year figure into the whole percentage and band, and ``reference.version`` is the version.
    SQL has no variables, so each annotation repeats the whole score: select only those needed.
    """
    born, first, convicted, follow_up = (
        _expression(value)
        for value in (date_of_birth, first_sanction_date, conviction_date, follow_up_start)
    )
    sanctions = _expression(previous_sanctions)
    counted = Least(sanctions, Value(reference.previous_sanctions_cap))
    career = _whole_years(_age_key(born, convicted)) - _whole_years(_age_key(born, first))
    copas = Ln(
        ExpressionWrapper(
            (counted + Value(1.0)) / (Value(float(reference.copas_career_years)) + career),
            output_field=FloatField(),
        )
    )
    follow_up_age_key = _age_key(born, follow_up)
    age_sex_term = Case(
        *(
            When(
                _is_one_of(
                    _expression(sex), [key for key, value in SEXES.items() if value == kind]
                ),
                then=_age_band_term(follow_up_age_key, reference, kind),
            )
            for kind in ("male", "female")
        ),
        output_field=FloatField(),
    )
    category = _expression(offence_category)
    category_term = Case(
        *(
            When(Exact(category, Value(item.code)), then=Value(item.term))
            for item in reference.offence_categories
        ),
        output_field=FloatField(),
    )
    sanction_term = Case(
        When(GreaterThan(sanctions, Value(0)), then=Value(reference.repeat_sanction_term)),
        default=Value(reference.first_sanction_term),
        output_field=FloatField(),
    )
    score = age_sex_term + sanction_term + Value(reference.copas_weight) * copas + category_term
    return {
        f"{prefix}1yr": _logistic_expression(Value(reference.intercept_1yr) + score),
        f"{prefix}2yr": _logistic_expression(Value(reference.intercept_2yr) + score),
    }


def _expression(value: str | Combinable) -> Combinable:
    return F(value) if isinstance(value, str) else value


def _is_one_of(expression: Combinable, spellings: list[str]) -> Q:
    condition = Q()
    for spelling in spellings:
        condition |= Q(Exact(Lower(expression), Value(spelling)))
    return condition


# A day's place in its year, as month * 100 + day: 101 to 1231.
def _day_of_year_key(day: Combinable) -> Combinable:
    return ExtractMonth(day) * Value(100) + ExtractDay(day)


AGE_KEY_YEAR = 10000  # more than any difference of two _day_of_year_key values


def _age_key(born: Combinable, on: Combinable) -> Combinable:
    """Years apart * 10000 + the difference of the days' places in the year.

    The whole age is at least ``n`` exactly when this key is at least ``n * 10000`` (before the
    birthday the key falls short of ``years * 10000`` by less than a year's 10000), so an age
    band is one comparison, with no CASE for the birthday.
    """
    years = ExtractYear(on) - ExtractYear(born)
    return years * Value(AGE_KEY_YEAR) + _day_of_year_key(on) - _day_of_year_key(born)


def _whole_years(age_key: Combinable) -> Combinable:
    return Floor(ExpressionWrapper(age_key / Value(float(AGE_KEY_YEAR)), output_field=FloatField()))


def _age_band_term(age_key: Combinable, reference: Ogrs3Reference, sex: str) -> Case:
    """The term of the age band the key falls in, highest band first."""
    bands = sorted(reference.age_bands, key=lambda band: band.lowest, reverse=True)
    term = "male_term" if sex == "male" else "female_term"
    return Case(
        *(
            When(
                GreaterThanOrEqual(age_key, Value(band.lowest * AGE_KEY_YEAR)),
                then=Value(getattr(band, term)),
            )
            for band in bands
        ),
        output_field=FloatField(),
    )


def _logistic_expression(x: Combinable) -> Combinable:
    return ExpressionWrapper(
        Value(1.0) / (Value(1.0) + Exp(Value(0.0) - x)), output_field=FloatField()
    )
