"""Is a new person already on the system? The check every way of adding a person makes.

A referral (``referrals``) and an IOM officer adding a person directly both ask
``check_new_person`` before ``create_nominal``: identifiers, surname with date of birth, and
aliases, showing only the look-alikes the user may see.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from ..identifiers import normalise_identifier
from ..models import Alias, Nominal
from .nominals import IDENTIFIER_FIELDS


class PossibleDuplicates(Exception):
    """A new person looks like people already on the system; the user must choose."""

    def __init__(self, matches: QuerySet[Nominal]):
        self.matches = matches
        super().__init__("This person may already have a record.")


@dataclass(frozen=True)
class NewPerson:
    first_names: str
    surname: str
    date_of_birth: datetime.date
    gender: str = "unknown"
    pnc_id: str | None = None
    cro_number: str | None = None
    crn: str | None = None
    prison_number: str | None = None
    address_line_1: str = ""
    address_line_2: str = ""
    town: str = ""
    postcode: str = ""
    neighbourhood: Any = None


def possible_duplicates(person: NewPerson) -> QuerySet[Nominal]:
    """Everyone who shares an identifier with ``person``, or their surname and date of birth
    (also as an alias). Unfiltered: callers decide what the user may be shown."""
    match = Q(surname__iexact=person.surname.strip(), date_of_birth=person.date_of_birth)
    for field in IDENTIFIER_FIELDS:
        value = normalise_identifier(getattr(person, field))
        if value:
            match |= Q(**{field: value})
    by_alias = Alias.objects.filter(surname__iexact=person.surname.strip()).filter(
        Q(date_of_birth=person.date_of_birth)
        | Q(date_of_birth__isnull=True, nominal__date_of_birth=person.date_of_birth)
    )
    return Nominal.objects.filter(match | Q(pk__in=by_alias.values("nominal_id"))).order_by(
        "surname", "first_names", "id"
    )


def check_new_person(
    user, person: NewPerson, *, confirmed_new_person: bool
) -> tuple[Nominal | None, bool]:
    """Check a new person against existing records, showing only those the user may see.

    Raises ``PossibleDuplicates`` with the look-alikes the user may see, unless they
    confirmed that the person is new. Look-alikes they may not see are never mentioned: they
    only make the record need an identity check (the second value). A record they may not
    see that already holds one of the person's identifiers is returned, to be used instead
    of a duplicate being created.
    """
    matches = possible_duplicates(person)
    visible_ids = Nominal.objects.visible_to(user).filter(pk__in=matches.values("pk")).values("pk")
    if not confirmed_new_person and matches.filter(pk__in=visible_ids).exists():
        raise PossibleDuplicates(matches.filter(pk__in=visible_ids))
    hidden = matches.exclude(pk__in=visible_ids)
    if not hidden.exists():
        return None, False
    same_identifier = Q(pk__in=[])
    for field in IDENTIFIER_FIELDS:
        value = normalise_identifier(getattr(person, field))
        if value:
            same_identifier |= Q(**{field: value})
    if matches.filter(pk__in=visible_ids).filter(same_identifier).exists():
        # A record the user may see holds the identifier: creating the person is refused
        # with a message about that record.
        return None, True
    return hidden.filter(same_identifier).order_by("pk").first(), True
