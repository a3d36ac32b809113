"""The published OGRS3 reference data: one frozen, versioned structure.

Every coefficient of the Offender Group Reconviction Scale version 3 lives here and nowhere
else, so the calculator holds no numbers of its own and a result can say which set produced it.
Source: Howard, Francis, Soothill & Humphreys (2009), *OGRS 3: the revised Offender Group
Reconviction Scale*, Ministry of Justice Research Summary 7/09, as used by the government's
own calculator (NOMS Digital Studio, rsr-calculator), against whose test data the tests run.

The parts are tuples of named tuples, so a data migration can load them as rows::

    for category in OGRS3_V3.offence_categories:
        OffenceCategory.objects.create(version=OGRS3_V3.version, **category._asdict())

A new version of the scale is a new ``Ogrs3Reference`` beside this one, never an edit of it:
results already stored name the version they were computed with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class OffenceCategory(NamedTuple):
    """One of the 20 OGRS3 current-offence categories and its term in the score."""

    # The calculator's own name for it; it shadows tuple.index, which nothing here calls.
    index: int  # type: ignore[assignment]
    code: str
    label: str
    term: float


class AgeBand(NamedTuple):
    """Ages ``lowest`` to ``highest`` (whole years, inclusive; ``None``: no upper limit)."""

    lowest: int
    highest: int | None
    male_term: float
    female_term: float

    def holds(self, age: int) -> bool:
        return self.lowest <= age and (self.highest is None or age <= self.highest)


class RiskBand(NamedTuple):
    """A probation band on the 2-year probability, from ``lowest_percent`` upwards."""

    code: str
    label: str
    lowest_percent: int


@dataclass(frozen=True, slots=True)
class Ogrs3Reference:
    version: str
    intercept_1yr: float
    intercept_2yr: float
    copas_weight: float
    # The constant added to the criminal career length (in years) in the copas denominator.
    copas_career_years: int
    first_sanction_term: float
    repeat_sanction_term: float
    # The government's calculator counts at most this many previous sanctions: its test data
    # for records longer than 50 only come out with the count capped (see docs/ogrs3.md).
    previous_sanctions_cap: int
    # The age of criminal responsibility in England and Wales: a first sanction dated before it
    # is scored, as the published calculator does, and flagged for an officer to check.
    minimum_age: int
    age_bands: tuple[AgeBand, ...]
    offence_categories: tuple[OffenceCategory, ...]
    risk_bands: tuple[RiskBand, ...]

    def category(self, key: int | str) -> OffenceCategory | None:
        """The category with this index (0-19) or code, or None."""
        for category in self.offence_categories:
            if category.index == key or category.code == key:
                return category
        return None

    def age_band(self, age: int) -> AgeBand | None:
        for band in self.age_bands:
            if band.holds(age):
                return band
        return None

    def risk_band(self, percent: int) -> RiskBand:
        """The band of a whole-number 2-year percentage (the highest band it reaches)."""
        reached = [band for band in self.risk_bands if percent >= band.lowest_percent]
        return max(reached, key=lambda band: band.lowest_percent)


OGRS3_V3 = Ogrs3Reference(
    version="OGRS3 (Howard et al. 2009)",
    intercept_1yr=1.402562384,
    intercept_2yr=2.121705678,
    copas_weight=1.251124464,
    copas_career_years=10,
    first_sanction_term=0.126142106,
    repeat_sanction_term=0.463062792,
    previous_sanctions_cap=50,
    minimum_age=10,
    age_bands=(
        AgeBand(10, 11, 0.0, -0.785038489),
        AgeBand(12, 13, 0.083922902, -0.613852078),
        AgeBand(14, 15, 0.075775765, -0.669521331),
        AgeBand(16, 17, -0.061594199, -0.959179629),
        AgeBand(18, 20, -0.625103618, -0.897480934),
        AgeBand(21, 24, -1.051515067, -1.028488454),
        AgeBand(25, 29, -1.166679288, -1.052777806),
        AgeBand(30, 34, -1.325976554, -1.129127959),
        AgeBand(35, 39, -1.368045933, -1.42187494),
        AgeBand(40, 49, -1.499690953, -1.524652221),
        AgeBand(50, None, -2.025261458, -2.44983716),
    ),
    offence_categories=(
        OffenceCategory(0, "violence", "Violence", 0.0),
        OffenceCategory(1, "robbery", "Robbery", -0.634795912),
        OffenceCategory(2, "public_order", "Public order", 0.181917975),
        OffenceCategory(3, "sexual_not_child", "Sexual (not against a child)", 0.003276327),
        OffenceCategory(4, "sexual_child", "Sexual (against a child)", -0.653434071),
        OffenceCategory(5, "soliciting", "Soliciting", 0.760608858),
        OffenceCategory(6, "burglary_domestic", "Burglary (domestic)", -0.12394352),
        OffenceCategory(7, "burglary_other", "Burglary (other)", 0.240604429),
        OffenceCategory(8, "theft_non_motor", "Theft (non-motor)", 0.661244321),
        OffenceCategory(9, "handling", "Handling stolen goods", 0.351866973),
        OffenceCategory(10, "fraud_forgery", "Fraud and forgery", 0.159910192),
        OffenceCategory(11, "absconding_bail", "Absconding / bail offences", 0.733378677),
        OffenceCategory(12, "vehicle_taking", "Taking a vehicle / theft of vehicle", 0.380059431),
        OffenceCategory(13, "theft_from_vehicle", "Theft from a vehicle", 0.427225615),
        OffenceCategory(14, "other_motoring", "Other motoring", 0.262228428),
        OffenceCategory(15, "drink_driving", "Drink driving", -0.121439408),
        OffenceCategory(16, "criminal_damage", "Criminal damage", 0.204960477),
        OffenceCategory(17, "drug_import_export", "Drug import/export/production", -0.795556373),
        OffenceCategory(18, "drug_possession_supply", "Drug possession/supply", 0.077165871),
        OffenceCategory(19, "other", "Other", -0.060667525),
    ),
    risk_bands=(
        RiskBand("low", "Low", 0),
        RiskBand("medium", "Medium", 50),
        RiskBand("high", "High", 75),
        RiskBand("very_high", "Very high", 90),
    ),
)
