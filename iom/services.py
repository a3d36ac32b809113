"""State changes of the shared core: agencies, teams and users."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from . import audit
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
    "pathways",
    "covers_documents",
    "ends_with_membership",
)


def _check_agreement(agreement: SharingAgreement, parties) -> None:
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
    _check_agreement(agreement, parties)
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
    _check_agreement(agreement, parties)
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
