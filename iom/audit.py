"""Writing the audit log (Data Protection Act 2018, s.62).

Services call ``record`` inside their transaction, so that a change and its audit event are
committed together or not at all. Views call it for consultations, searches and disclosures.
"""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction

from . import sharing
from .models import AuditAction, AuditEvent, AuditSubject

# How to name the subjects of events, registered by the app that holds them (the core knows
# no domain app): kind -> a function from primary keys to {primary key: name}.
_SUBJECT_NAMES: dict[str, Callable[[set[int]], dict[int, str]]] = {}


def register_subject_names(kind: str, names: Callable[[set[int]], dict[int, str]]) -> None:
    _SUBJECT_NAMES[kind] = names


def with_subject_names(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """The events, each with ``subject_name``: the name of the person it concerns, "" when it
    concerns nobody, or None when their record has been erased. One query per kind."""
    events = list(events)
    wanted: dict[str, set[int]] = {}
    for event in events:
        if event.subject_type and event.subject_id is not None:
            wanted.setdefault(event.subject_type, set()).add(event.subject_id)
    names = {
        kind: _SUBJECT_NAMES[kind](ids) if kind in _SUBJECT_NAMES else {}
        for kind, ids in wanted.items()
    }
    for event in events:
        if event.subject_type and event.subject_id is not None:
            event.subject_name = names[event.subject_type].get(event.subject_id)
        else:
            event.subject_name = ""
    return events


@dataclass(frozen=True)
class Actor:
    """Who acted, and from where. Built once per request by ``actor_from_request``."""

    user: Any
    ip_address: str | None = None
    path: str = ""

    @property
    def username(self) -> str:
        return getattr(self.user, "username", "") or "system"

    @property
    def agency_name(self) -> str:
        agency = getattr(self.user, "agency", None)
        return agency.name if agency else ""


SYSTEM = Actor(user=None, path="")


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _is_trusted_proxy(address, proxies: list) -> bool:
    return address is not None and any(address in network for network in proxies)


def client_ip(request) -> str | None:
    """The address the request came from: ``REMOTE_ADDR``, unless that is a trusted proxy.

    ``X-Forwarded-For`` is written by the client as much as by proxies, so only the entries
    added by the proxies named in ``IOM_TRUSTED_PROXIES`` are believed: from a trusted proxy,
    the client is the right-most entry that is not itself a trusted proxy. Sign-in lock-out
    by address uses the same answer.
    """
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    proxies = [ipaddress.ip_network(proxy, strict=False) for proxy in settings.IOM_TRUSTED_PROXIES]
    if not _is_trusted_proxy(remote, proxies):
        return str(remote) if remote is not None else None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for entry in reversed(forwarded):
        address = _address(entry)
        if address is None:
            # A proxy we trust wrote garbage: believe no more of the header.
            break
        if not _is_trusted_proxy(address, proxies):
            return str(address)
    return str(remote)


def actor_from_request(request) -> Actor:
    return Actor(
        user=request.user, ip_address=client_ip(request), path=request.get_full_path()[:255]
    )


def as_actor(who) -> Actor:
    """Accept an Actor, a user or None (the system) wherever a service asks who acted."""
    if isinstance(who, Actor):
        return who
    return Actor(user=who) if who is not None else SYSTEM


# A partner consults and is disclosed records under an agreement, which their events name.
_UNDER_AGREEMENT = (AuditAction.CONSULTATION, AuditAction.DISCLOSURE)


def _agreement_id(user, action: str) -> int | None:
    if user is None or action not in _UNDER_AGREEMENT:
        return None
    return sharing.terms_for(user).agreement_id


def _event(actor: Actor, action: str, obj: models.Model | None, nominal, **fields) -> AuditEvent:
    user = actor.user if getattr(actor.user, "is_authenticated", False) else None
    return AuditEvent(
        agreement_id=_agreement_id(user, action),
        user=user,
        username=actor.username,
        agency_name=actor.agency_name,
        action=action,
        subject_type=AuditSubject.PERSON if nominal is not None else "",
        subject_id=getattr(nominal, "pk", nominal),
        object_type=obj._meta.label if obj is not None else fields.pop("object_type", ""),
        object_id=str(obj.pk) if obj is not None else fields.pop("object_id", ""),
        ip_address=actor.ip_address,
        path=actor.path,
        **fields,
    )


def record(
    who,
    action: AuditAction | str,
    obj: models.Model | None = None,
    *,
    nominal=None,
    description: str = "",
    changes: dict | None = None,
    disclosure_format: str = "",
    recipient: str = "",
    reason: str = "",
) -> AuditEvent:
    """Write one audit event. ``nominal`` is the person the record is about, if any."""
    event = _event(
        as_actor(who),
        action,
        obj,
        nominal,
        description=description[:255],
        changes=changes or {},
        disclosure_format=disclosure_format,
        recipient=recipient[:255],
        reason=reason[:255],
    )
    event.save()
    return event


def record_disclosures(
    who, nominals: Iterable, *, disclosure_format: str, recipient: str, description: str
) -> int:
    """Write one disclosure event per nominal (a person or their id) in a single INSERT
    (exports, API lists)."""
    person_ids = [getattr(nominal, "pk", nominal) for nominal in nominals]
    if person_ids:
        template = _event(
            as_actor(who),
            AuditAction.DISCLOSURE,
            None,
            None,
            object_type="cohorts.Nominal",
            description=description[:255],
            disclosure_format=disclosure_format,
            recipient=recipient[:255],
        )
        template.person_id = 0  # the type of subject; each row has its own person
        _insert_per_person(template, person_ids)
    return len(person_ids)


def record_consultations(
    who, nominal_ids: Iterable[int], *, description: str, search: str | None = None
) -> int:
    """Write one consultation event per person listed on a page, in one INSERT whatever the
    number of people. With ``search``, the search that listed them is written first, in the
    same transaction."""
    actor = as_actor(who)
    listed = sorted(set(nominal_ids))
    # One statement is atomic by itself; with the search there are two.
    with transaction.atomic() if search is not None else contextlib.nullcontext():
        if search is not None:
            _event(
                actor, AuditAction.SEARCH, None, None, description=search[:255], changes={}
            ).save()
        if listed:
            template = _event(
                actor,
                AuditAction.CONSULTATION,
                None,
                None,
                object_type="cohorts.Nominal",
                description=description[:255],
            )
            template.person_id = 0  # the type of subject; each row has its own person
            _insert_per_person(template, listed)
    return len(listed)


# The columns of an event that name its person, one row for each.
_PER_PERSON = ("subject_id", "object_id")
_BATCH = 500


def _insert_per_person(template: AuditEvent, person_ids: list[int]) -> None:
    """INSERT one copy of ``template`` per person: the same columns but the person's, who
    is both the subject and the object. One statement, with the template's values prepared
    for the database once: building and preparing a model instance per person for
    ``bulk_create`` cost more than the rest of the cohort list's audit."""
    columns = {f.name: f for f in AuditEvent._meta.concrete_fields if not f.primary_key}
    fields = [f for name, f in columns.items() if name not in _PER_PERSON]
    shared = [f.get_db_prep_save(f.pre_save(template, add=True), connection) for f in fields]
    fields += [columns[name] for name in _PER_PERSON]
    quote = connection.ops.quote_name
    insert = (
        f"INSERT INTO {quote(AuditEvent._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) VALUES "
    )
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        # In batches, within SQLite's limit on the parameters of a statement.
        for start in range(0, len(person_ids), _BATCH):
            batch = person_ids[start : start + _BATCH]
            params = [value for pk in batch for value in (*shared, pk, str(pk))]
            cursor.execute(insert + ", ".join([row] * len(batch)), params)


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """The fields whose values differ, as ``{field: [old, new]}`` in JSON-safe form."""
    return {
        name: [_jsonable(before.get(name)), _jsonable(value)]
        for name, value in after.items()
        if before.get(name) != value
    }


def _jsonable(value):
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_jsonable(item) for item in value]
    return str(value)


def record_failed_sign_in(sender, credentials: dict, request=None, **kwargs) -> None:
    """Receiver of Django's ``user_login_failed``: every failed password sign-in, whatever
    the form (the sign-in page, the admin's), and those refused by the lock-out.

    Authentication happens inside ``django.contrib.auth.authenticate``, which announces a
    failure only through this signal. The username is logged only when it names an account:
    what someone typed in the box might be their password. No password is ever logged.
    """
    from .models import User

    typed = credentials.get(User.USERNAME_FIELD)
    account = (
        User.objects.select_related("agency").filter(username=typed).first()
        if isinstance(typed, str) and typed
        else None
    )
    if getattr(request, "axes_locked_out", False):
        description = "Sign-in refused: locked out after repeated failures"
    elif account is None:
        description = "Sign-in failed: no account has that username"
    elif not account.is_active:
        description = "Sign-in failed: the account is inactive"
    else:
        description = "Sign-in failed: wrong password"
    AuditEvent.objects.create(
        user=account,
        username=account.username if account else "unknown",
        agency_name=account.agency.name if account and account.agency else "",
        action=AuditAction.SIGN_IN_FAILED,
        object_type="iom.User" if account else "",
        object_id=str(account.pk) if account else "",
        description=description,
        ip_address=client_ip(request) if request is not None else None,
        path=request.get_full_path()[:255] if request is not None else "",
    )
