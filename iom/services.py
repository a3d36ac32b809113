"""State changes of the shared core: agencies, teams, users, passwords and sign-in."""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from . import audit
from .backends import is_administrator
from .locking import lock_for_update
from .models import Agency, AgencyKind, AuditAction, Role, SharingAgreement, Team, User


@transaction.atomic
def create_agency(*, name: str, kind: AgencyKind | str, by=None) -> Agency:
    """Create an agency with its permission group (named after it)."""
    group = Group.objects.create(name=f"Agency: {name}")
    agency = Agency.objects.create(name=name, kind=kind, group=group)
    audit.record(by, AuditAction.COLLECTION, agency, description=f"Created agency {name}")
    return agency


@transaction.atomic
def create_team(
    *,
    agency: Agency,
    name: str,
    is_iom_unit: bool = False,
    is_case_holding: bool = False,
    is_neighbourhood: bool = False,
    by=None,
) -> Team:
    """Create a team of an agency with its permission group. Records are shared with teams."""
    group = Group.objects.create(name=f"Team: {name} ({agency.name})")
    team = Team.objects.create(
        agency=agency,
        name=name,
        is_iom_unit=is_iom_unit,
        is_case_holding=is_case_holding,
        is_neighbourhood=is_neighbourhood,
        group=group,
    )
    audit.record(by, AuditAction.COLLECTION, team, description=f"Created team {team}")
    return team


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str | None,
    agency: Agency,
    role: Role | str,
    team: Team | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    job_title: str = "",
    by=None,
) -> User:
    """Create a user in an agency (and team), a member of their groups.

    Refuses a team of another agency. ``password=None`` leaves the user unable to sign in
    until a password is set.
    """
    if team is not None and team.agency_id != agency.pk:
        raise ValueError(f"Team {team} is not part of {agency}.")
    user = User(
        username=username,
        agency=agency,
        team=team,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
        job_title=job_title,
        is_staff=role == Role.ADMINISTRATOR,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    sync_groups(user)
    audit.record(by, AuditAction.COLLECTION, user, description=f"Created user {username}")
    return user


def sync_groups(user: User) -> None:
    """Make the user a member of exactly their team's group. Records are shared with teams,
    never with a whole agency, so membership of an agency gives sight of nothing."""
    user.groups.set([user.team.group] if user.team else [])


@transaction.atomic
def save_configuration(instance, *, by, changed=None):
    """Save a configuration record edited in the admin site (an agency, a team, a unit cost,
    the cohort cap, an agreement...), with its old and new values in the audit log.

    ``changed`` names the fields the administrator changed (all of them for a new record).
    A record with a ``version`` has it moved on, so a stale edit elsewhere is refused.
    """
    model = type(instance)
    is_new = instance.pk is None or not model._default_manager.filter(pk=instance.pk).exists()
    names = list(changed) if changed is not None else [f.name for f in model._meta.concrete_fields]
    names = [n for n in names if any(f.name == n for f in model._meta.concrete_fields)]
    before = {}
    if not is_new:
        stored = model._default_manager.select_for_update().get(pk=instance.pk)
        before = {name: getattr(stored, name) for name in names}
        if hasattr(instance, "version"):
            instance.version = stored.version + 1
    instance.save()
    after = {name: getattr(instance, name) for name in names}
    audit.record(
        by,
        AuditAction.COLLECTION if is_new else AuditAction.ALTERATION,
        instance,
        description=f"{'Created' if is_new else 'Changed'} {model._meta.verbose_name} "
        f"{instance} in the admin site",
        changes=audit.changes_between(before, after),
    )
    return instance


@transaction.atomic
def delete_configuration(instance, *, by) -> None:
    """Delete a configuration record from the admin site; the deletion is audited."""
    label = f"{type(instance)._meta.verbose_name} {instance}"
    audit.record(by, AuditAction.ERASURE, instance, description=f"Deleted {label}")
    instance.delete()


AGREEMENT_FIELDS = (
    "name",
    "purpose",
    "legal_basis",
    "starts_on",
    "review_on",
    "ends_on",
    "covers_identity",
    "offending",
    "covers_intelligence",
    "covers_risk",
    "covers_controls",
    "covers_contacts",
    "pathways",
    "covers_documents",
    "ends_with_membership",
)


def check_agreement(agreement: SharingAgreement, parties) -> None:
    errors = {}
    if not parties:
        errors["parties"] = "Select the agencies that are parties to the agreement."
    if agreement.starts_on and agreement.review_on and agreement.review_on < agreement.starts_on:
        errors["review_on"] = "The review date must be on or after the start date."
    if agreement.ends_on and agreement.starts_on and agreement.ends_on < agreement.starts_on:
        errors["ends_on"] = "The end date must be on or after the start date."
    try:
        agreement.full_clean(validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages[0])
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_agreement(*, parties, by=None, **fields) -> SharingAgreement:
    """Record an information-sharing agreement between agencies. Validates every field first;
    the collection is audited."""
    unknown = set(fields) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown agreement fields: {', '.join(sorted(unknown))}")
    parties = list(parties)
    agreement = SharingAgreement(**fields)
    check_agreement(agreement, parties)
    agreement.save()
    agreement.parties.set(parties)
    audit.record(
        by,
        AuditAction.COLLECTION,
        agreement,
        description=f"Recorded the sharing agreement {agreement.name}",
        changes=audit.changes_between({}, _agreement_snapshot(agreement)),
    )
    return agreement


@transaction.atomic
def update_agreement(agreement_id: int, *, version: int, by=None, parties=None, **changes):
    """Change an agreement edited from ``version``; old and new values are audited. Refuses a
    stale edit (``StaleEditError``) and invalid fields, writing nothing."""
    unknown = set(changes) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown agreement fields: {', '.join(sorted(unknown))}")
    agreement = lock_for_update(SharingAgreement, agreement_id, version)
    before = _agreement_snapshot(agreement)
    for name, value in changes.items():
        setattr(agreement, name, value)
    parties = list(agreement.parties.all()) if parties is None else list(parties)
    check_agreement(agreement, parties)
    agreement.save()
    agreement.parties.set(parties)
    diff = audit.changes_between(before, _agreement_snapshot(agreement))
    audit.record(
        by,
        AuditAction.ALTERATION,
        agreement,
        description=f"Changed the sharing agreement {agreement.name}",
        changes=diff,
    )
    return agreement


def _agreement_snapshot(agreement: SharingAgreement) -> dict:
    snapshot = {name: getattr(agreement, name) for name in AGREEMENT_FIELDS}
    if agreement.pk:
        snapshot["parties"] = ", ".join(sorted(a.name for a in agreement.parties.all()))
    return snapshot


# --- Passwords and sign-in ------------------------------------------------------------------


def _require_administrator(by) -> None:
    user = audit.as_actor(by).user
    if not is_administrator(user):
        raise PermissionDenied("Only an administrator can do this.")


@transaction.atomic
def set_password(user: User, password: str, *, by, description: str) -> None:
    """Set a user's password (already validated by the form) and clear their failed sign-in
    attempts. The audit event says what happened, never the password."""
    user.set_password(password)
    user.save(update_fields=["password"])
    AccessAttempt.objects.filter(username=user.get_username()).delete()
    audit.record(by, AuditAction.ALTERATION, user, description=description)


def set_password_link_hours() -> int:
    return settings.PASSWORD_RESET_TIMEOUT // 3600


@transaction.atomic
def issue_set_password_link(user: User, *, by) -> str:
    """A link (path) with which ``user`` sets a new password, signed out, once, before it
    expires (``PASSWORD_RESET_TIMEOUT``). Setting a password, or signing in, spends it.

    Refused to anyone but an administrator, and for a superuser to anyone but a superuser.
    """
    _require_administrator(by)
    issuer = audit.as_actor(by).user
    if user.is_superuser and not issuer.is_superuser:
        raise PermissionDenied("Only a superuser can issue a link for a superuser.")
    if not user.is_active:
        raise ValidationError(f"{user.get_username()} is not active: activate the account first.")
    path = reverse(
        "password-set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    audit.record(
        by,
        AuditAction.ALTERATION,
        user,
        description=f"Issued a set-password link, valid for {set_password_link_hours()} hours",
    )
    return path


@transaction.atomic
def unlock_sign_in(attempts: QuerySet[AccessAttempt], *, by) -> int:
    """Clear failed sign-in attempts, which lifts the lock-out they caused. One audit event
    for each account (or address) unlocked. Refused to anyone but an administrator."""
    _require_administrator(by)
    rows = list(attempts.values_list("username", "ip_address").distinct())
    accounts = {
        account.get_username(): account
        for account in User.objects.filter(username__in=[name for name, _ in rows if name])
    }
    for username, ip_address in sorted(set(rows), key=lambda row: (row[0] or "", row[1] or "")):
        audit.record(
            by,
            AuditAction.ALTERATION,
            accounts.get(username),
            description=f"Unlocked sign-in for {username or 'an unknown username'} "
            f"from {ip_address or 'an unknown address'}"[:255],
        )
    count, _ = AccessAttempt.objects.filter(pk__in=attempts.values("pk")).delete()
    return count
