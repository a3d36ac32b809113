"""Contacts since release as alternatives to recall, offered to the recall decision.
Registered from ``ContactsConfig.ready``."""

from __future__ import annotations

from cohorts.controls import alternatives
from cohorts.controls.models import AlternativeKind, Licence

from . import queries


def contact_candidates(licence: Licence, user) -> list[alternatives.Candidate]:
    """The contacts since release whose outcome is recorded, as the user may see them."""
    contacts = queries.since(licence.nominal, licence.release_date, user=user)
    return [
        alternatives.Candidate(
            source=f"contact:{contact.pk}",
            kind=AlternativeKind.CONTACT,
            on=contact.when.date(),
            description=contact.get_kind_display()
            + (f": {contact.outcome[:160]}" if contact.outcome else ""),
            result=contact.get_attendance_display(),
        )
        for contact in contacts
        if contact.is_recorded
    ]


def register() -> None:
    alternatives.register("contacts", contact_candidates)
