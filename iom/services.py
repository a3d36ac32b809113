"""State changes of the shared core: agencies, teams and users."""

from django.contrib.auth.models import Group
from django.db import transaction

from . import audit
from .models import Agency, AgencyKind, AuditAction, Role, Team, User


@transaction.atomic
def create_agency(*, name: str, kind: AgencyKind | str, by=None) -> Agency:
    """Create an agency with its permission group (named after it)."""
    group = Group.objects.create(name=f"Agency: {name}")
    agency = Agency.objects.create(name=name, kind=kind, group=group)
    audit.record(by, AuditAction.COLLECTION, agency, description=f"Created agency {name}")
    return agency


@transaction.atomic
def create_team(*, agency: Agency, name: str, is_iom_unit: bool = False, by=None) -> Team:
    """Create a team of an agency with its permission group."""
    group = Group.objects.create(name=f"Team: {name} ({agency.name})")
    team = Team.objects.create(agency=agency, name=name, is_iom_unit=is_iom_unit, group=group)
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
    """Make the user a member of exactly their agency's and team's groups."""
    wanted = [g for g in (user.agency and user.agency.group, user.team and user.team.group) if g]
    user.groups.set(wanted)
