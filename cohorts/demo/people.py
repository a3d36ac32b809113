"""The demo's 300 people, generated from name lists with a seeded random generator.

The shape follows a real IOM area: mostly men aged 20 to 40, cases led by the NPS, the CRC or
the police in the proportions Leicestershire reported in 2019, one or two offender managers
from the co-located IOM unit, and each record shared with one to three partner agencies.
Ages and identifier years are relative to the day of the seed, so the same seed on the same
day gives the same people.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from cohorts.models import Alias, AreaKind, Gender, Nominal
from iom import demo as core

from .names import NAMES, NICKNAMES, STREETS, WELL_KNOWN

NOMINAL_COUNT = 300

# --- Places --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    name: str
    area: AreaKind
    town: str
    district: str  # postcode district in the made-up "DS" area
    weight: int  # how many of the cohort live there, relatively
    locality: str = ""  # address line 2 (a district of the city)


CITY = "Demoford"
PLACES = (
    Place("Demoford Central", AreaKind.CITY, CITY, "DS1", 9),
    Place("Castlegate", AreaKind.CITY, CITY, "DS2", 7, "Castlegate"),
    Place("Riverside", AreaKind.CITY, CITY, "DS3", 8, "Riverside"),
    Place("Northfields", AreaKind.CITY, CITY, "DS4", 9, "Northfields"),
    Place("St Aldwyn's", AreaKind.CITY, CITY, "DS5", 5, "St Aldwyn's"),
    Place("Brookfield Park", AreaKind.CITY, CITY, "DS6", 6, "Brookfield Park"),
    Place("Canal Quarter", AreaKind.CITY, CITY, "DS7", 5, "Canal Quarter"),
    Place("Westmoor", AreaKind.CITY, CITY, "DS8", 7, "Westmoor"),
    Place("Eastbridge", AreaKind.CITY, CITY, "DS9", 6, "Eastbridge"),
    Place("Hollinsworth Estate", AreaKind.CITY, CITY, "DS10", 6, "Hollinsworth"),
    Place("Kettlebrook", AreaKind.COUNTY, "Kettlebrook", "DS11", 5),
    Place("Thornwick", AreaKind.COUNTY, "Thornwick", "DS12", 4),
    Place("Mardenby and Villages", AreaKind.COUNTY, "Mardenby", "DS13", 3),
    Place("Wetherstone", AreaKind.COUNTY, "Wetherstone", "DS14", 4),
    Place("Fennimore Vale", AreaKind.COUNTY, "Fennimore", "DS15", 2),
    Place("Hollowmere", AreaKind.COUNTY, "Hollowmere", "DS16", 2),
    Place("Stonebury", AreaKind.COUNTY, "Stonebury", "DS17", 4),
    Place("Cawley Bridge", AreaKind.COUNTY, "Cawley Bridge", "DS18", 3),
    Place("Ashgrove Wolds", AreaKind.COUNTY, "Ashgrove", "DS19", 2),
    Place("Lowen Marsh", AreaKind.COUNTY, "Lowen", "DS20", 3),
)

# Letters used in the inward part of a UK postcode (never C, I, K, M, O or V).
_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


# --- Names ---------------------------------------------------------------------------------
# The lists are in names.py.

_NAME_GROUPS = list(NAMES)
_MIDDLE_NAME_GROUPS = {"british", "caribbean"}
_NAME_GROUP_WEIGHTS = [group[3] for group in NAMES.values()]


# --- Identifiers ---------------------------------------------------------------------------
# The PNC and the CRO use a check letter: the year and serial number, read as one number,
# modulo 23, indexes this alphabet (which leaves out I, O and S).
_CHECK_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"


def pnc_id(year: int, serial: int) -> str:
    check = _CHECK_LETTERS[int(f"{year % 100:02d}{serial:07d}") % 23]
    return f"{year:04d}/{serial:07d}{check}"


def cro_number(year: int, serial: int, *, short_form: bool = False) -> str:
    yy = f"{year % 100:02d}"
    if short_form:  # "SF" numbers, issued from fingerprints since the 1990s
        return f"SF{yy}/{serial}{_CHECK_LETTERS[int(f'{yy}{serial}') % 23]}"
    return f"{serial}/{yy}{_CHECK_LETTERS[int(f'{yy}{serial:06d}') % 23]}"


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` earlier (28 February for a 29 February in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# --- Generating the people -----------------------------------------------------------------


@dataclass
class Person:
    """One generated nominal, with everything that hangs from it, before it is saved."""

    nominal: Nominal
    place: str
    lead: str  # "police", "nps" or "crc"
    offender_managers: list[str]
    shared_with_agencies: list[str]
    shared_with_teams: list[str] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)


# How cases are led (Leicestershire IOM, 2019: NPS 47.16%, CRC 38.66%, police only 14.18%).
LEADS = ("nps", "crc", "police")
_LEAD_WEIGHTS = (47.16, 38.66, 14.18)

# Which partner agencies a record is shared with, and how often, relatively.
_PARTNERS = ("drugs", "housing", "council", "health", "employment", "prison", "yos")
_PARTNER_WEIGHTS = (18, 12, 11, 10, 10, 8, 2)
PARTNER_TEAMS = {
    "drugs": "drugs_cjit",
    "housing": "housing_tenancy",
    "council": "council_housing_options",
    "health": "health_liaison",
    "employment": "employment_support",
    "prison": "prison_omu",
    "yos": "yos_transitions",
}


class _Generator:
    def __init__(self, rng: random.Random, today: datetime.date):
        self.rng = rng
        self.today = today
        self.used: dict[str, set[str]] = {
            "name": set(),
            "pnc": set(),
            "cro": set(),
            "crn": set(),
            "prison": set(),
        }

    def _unique(self, kind: str, make) -> str:
        while True:
            value = make()
            if value not in self.used[kind]:
                self.used[kind].add(value)
                return value

    def name(self, gender: str) -> tuple[str, str, str]:
        """(name group, first names, surname)."""
        rng = self.rng
        group = rng.choices(_NAME_GROUPS, weights=_NAME_GROUP_WEIGHTS)[0]
        male, female, surnames, _ = NAMES[group]
        given = male if gender == Gender.MALE else female
        while True:
            first = rng.choice(given)
            surname = rng.choice(surnames)
            if f"{first} {surname}" in WELL_KNOWN:
                continue
            # Middle names only where the naming custom has them.
            has_middle = group in _MIDDLE_NAME_GROUPS and rng.random() < 0.4
            middle = rng.choice(given) if has_middle else ""
            if middle == first:
                continue
            full = f"{first} {middle} {surname}" if middle else f"{first} {surname}"
            if full not in self.used["name"]:
                self.used["name"].add(full)
                return group, f"{first} {middle}".strip(), surname

    def date_of_birth(self) -> datetime.date:
        # Mostly 20 to 40, none under 18 or over 60.
        age = min(60, max(18, round(self.rng.gauss(31, 8))))
        born = years_before(self.today, age)
        return born - datetime.timedelta(days=self.rng.randint(1, 364))

    def address(self, place: Place) -> dict[str, str]:
        rng = self.rng
        if rng.random() < 0.05:
            return {
                "address_line_1": "No fixed abode",
                "address_line_2": "",
                "town": place.town,
                "postcode": "",
            }
        line_1 = f"{rng.randint(1, 180)} {rng.choice(STREETS)}"
        if rng.random() < 0.2:
            line_1 = f"Flat {rng.randint(1, 24)}, {line_1}"
        inward = f"{rng.randint(1, 9)}{''.join(rng.choices(_POSTCODE_LETTERS, k=2))}"
        return {
            "address_line_1": line_1,
            "address_line_2": place.locality,
            "town": place.town,
            "postcode": f"{place.district} {inward}",
        }

    def identifiers(self, born: datetime.date, lead: str) -> dict[str, str | None]:
        """PNC ID, CRO number, case reference (CRN) and prison number, as the person's
        history would have them."""
        rng = self.rng
        # The PNC record starts at the first arrest, at 12 or older.
        first_arrest = min(born.year + rng.randint(12, 24), self.today.year - 1)
        pnc = self._unique("pnc", lambda: pnc_id(first_arrest, rng.randint(1000, 999999)))
        cro = None
        if rng.random() < 0.6:
            year = min(first_arrest + rng.randint(0, 4), self.today.year - 1)
            short_form = year >= 1995 and rng.random() < 0.3
            cro = self._unique(
                "cro",
                lambda: cro_number(
                    year, rng.randint(1, 99999 if short_form else 999999), short_form=short_form
                ),
            )
        # Probation cases always have a case reference; a police-only case only when the
        # person was supervised before. Most were registered here ("D"), a few moved in.
        crn = None
        if lead != "police" or rng.random() < 0.4:
            letter = "D" if rng.random() < 0.85 else rng.choice("NTX")
            crn = self._unique("crn", lambda: f"{letter}{rng.randint(100000, 999999)}")
        # Custody is likelier for the NPS's violent offenders than for the others.
        prison_number = None
        if rng.random() < {"nps": 0.55, "crc": 0.33, "police": 0.2}[lead]:
            prison_number = self._unique(
                "prison",
                lambda: "{}{:04d}{}".format(
                    rng.choice("AAAG"),
                    rng.randint(1000, 9999),
                    "".join(rng.choices("ABCDEFGHJKLMNPRSTUVWXYZ", k=2)),
                ),
            )
        return {"pnc_id": pnc, "cro_number": cro, "crn": crn, "prison_number": prison_number}

    def managers(self, lead: str) -> list[str]:
        rng = self.rng
        managers = [rng.choice(core.OFFENDER_MANAGERS[lead])]
        if rng.random() < 0.5:
            # A co-offender manager: the police partner of a probation case, or a second
            # police officer on a police-only one.
            pool = [u for u in core.OFFENDER_MANAGERS["police"] if u not in managers]
            managers.append(rng.choice(pool))
        return managers

    def partners(self, nominal: Nominal) -> list[str]:
        """The one to three partner agencies the person's record is shared with."""
        rng = self.rng
        age = nominal.age_on(self.today)
        partners, weights = [], []
        for partner, weight in zip(_PARTNERS, _PARTNER_WEIGHTS, strict=True):
            if partner == "yos" and age > 20:
                continue  # the youth service stays involved only through the transition
            if partner == "yos":
                weight = 40
            if partner == "prison" and nominal.prison_number:
                weight *= 2
            partners.append(partner)
            weights.append(weight)
        wanted = rng.choices((1, 2, 3), weights=(50, 35, 15))[0]
        shared: list[str] = []
        while len(shared) < wanted:
            choice = rng.choices(partners, weights=weights)[0]
            if choice not in shared:
                shared.append(choice)
        return shared

    def add_aliases(self, person: Person, group: str) -> None:
        rng = self.rng
        if rng.random() >= 0.3:
            return
        count = rng.choice((1, 1, 2))
        for _ in range(10 * count):  # draw again when an alias repeats one already made
            alias = self.alias(person.nominal, group)
            key = (alias.first_names, alias.surname, alias.date_of_birth)
            if key not in {(a.first_names, a.surname, a.date_of_birth) for a in person.aliases}:
                person.aliases.append(alias)
            if len(person.aliases) == count:
                break

    def person(self, places: list[Place], lead: str) -> Person:
        rng = self.rng
        gender = Gender.MALE if rng.random() < 0.9 else Gender.FEMALE
        group, first_names, surname = self.name(gender)
        born = self.date_of_birth()
        place = rng.choices(places, weights=[p.weight for p in places])[0]
        nominal = Nominal(
            first_names=first_names,
            surname=surname,
            date_of_birth=born,
            gender=gender,
            **self.identifiers(born, lead),
            **self.address(place),
        )
        managers = self.managers(lead)
        shared = self.partners(nominal)
        teams = []
        # Some low-risk city cases have been devolved to the neighbourhood policing team.
        if place.area == AreaKind.CITY and lead != "nps" and rng.random() < 0.12:
            teams.append("city_npt")
        person = Person(nominal, place.name, lead, managers, shared, teams)
        self.add_aliases(person, group)
        return person

    def alias(self, nominal: Nominal, group: str) -> Alias:
        rng = self.rng
        first = nominal.first_names.split()[0]
        kind = rng.random()
        if kind < 0.3 and first in NICKNAMES:
            return Alias(first_names=NICKNAMES[first], surname=nominal.surname)
        if kind < 0.65:
            # Another surname (a partner's, a parent's, or one made up on arrest).
            others = [s for s in NAMES[group][2] if s != nominal.surname]
            return Alias(first_names=first, surname=rng.choice(others))
        # The same name with another date of birth: a day and month swapped, or a year out.
        born = nominal.date_of_birth
        if born.day <= 12 and born.day != born.month:
            other = born.replace(day=born.month, month=born.day)
        else:
            other = born.replace(year=born.year + rng.choice((-1, 1)), day=min(born.day, 28))
        return Alias(first_names=first, surname=nominal.surname, date_of_birth=other)


def generate(rng: random.Random, today: datetime.date) -> list[Person]:
    """The demo cohort. Depends only on ``rng`` and ``today``, never on the database."""
    generator = _Generator(rng, today)
    # The leads in the reported proportions exactly, in random order.
    counts = [round(NOMINAL_COUNT * w / sum(_LEAD_WEIGHTS)) for w in _LEAD_WEIGHTS]
    counts[0] += NOMINAL_COUNT - sum(counts)
    leads = [lead for lead, n in zip(LEADS, counts, strict=True) for _ in range(n)]
    rng.shuffle(leads)
    return [generator.person(list(PLACES), lead) for lead in leads]
