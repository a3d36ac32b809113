"""Records shared with a whole agency are shared with one of its teams instead.

Before this migration a referral shared the new person with the referrer's agency and the
panel shared members with the lead and partner agencies, so every user of such an agency (its
administrators and neighbourhood officers included) could open the record. Each such grant
becomes a grant to the agency's case-holding team:

* the team marked "case-holding", if the agency has one;
* otherwise the agency's IOM unit team, or its only team that is not a neighbourhood team,
  which is then marked case-holding;
* otherwise a new "Case team" of the agency, with no members, which an administrator fills.

Grants that were already to a team are kept and recorded as shares. The migration prints
what it did, agency by agency; reversing it gives the agencies their grants back.
"""

from django.db import migrations
from django.utils import timezone

CASE_TEAM_NAME = "Case team"


def _case_holding_team(agency, Team, Group, created):
    teams = list(Team.objects.filter(agency=agency))
    for team in teams:
        if team.is_case_holding:
            return team
    candidates = [t for t in teams if t.is_iom_unit] or [t for t in teams if not t.is_neighbourhood]
    if len(candidates) == 1:
        team = candidates[0]
    else:
        group, _ = Group.objects.get_or_create(name=f"Team: {agency.name} – {CASE_TEAM_NAME}")
        team = Team.objects.create(agency=agency, name=CASE_TEAM_NAME, group=group)
        created.append(agency.name)
    team.is_case_holding = True
    team.save(update_fields=["is_case_holding"])
    return team


def forwards(apps, schema_editor):
    Agency = apps.get_model("iom", "Agency")
    Team = apps.get_model("iom", "Team")
    Group = apps.get_model("auth", "Group")
    GroupGrant = apps.get_model("cohorts", "NominalGroupObjectPermission")
    RecordShare = apps.get_model("cohorts", "RecordShare")
    now = timezone.now()
    created_teams: list[str] = []
    report: list[str] = []

    agency_by_group = {a.group_id: a for a in Agency.objects.all()}
    team_by_group = {t.group_id: t for t in Team.objects.all()}

    for group_id, agency in agency_by_group.items():
        grants = GroupGrant.objects.filter(group_id=group_id)
        nominal_ids = sorted(set(grants.values_list("content_object_id", flat=True)))
        if not nominal_ids:
            continue
        team = _case_holding_team(agency, Team, Group, created_teams)
        team_by_group[team.group_id] = team
        for grant in grants:
            GroupGrant.objects.get_or_create(
                group_id=team.group_id,
                permission_id=grant.permission_id,
                content_object_id=grant.content_object_id,
            )
        grants.delete()
        report.append(f"{len(nominal_ids)} records shared with {agency.name} -> {team.name}")

    existing = set(
        RecordShare.objects.filter(ended_at__isnull=True).values_list("nominal_id", "team_id")
    )
    shares = []
    for group_id, nominal_id in (
        GroupGrant.objects.filter(
            group_id__in=list(team_by_group), permission__codename="view_nominal"
        )
        .values_list("group_id", "content_object_id")
        .distinct()
    ):
        team = team_by_group[group_id]
        if (nominal_id, team.pk) in existing:
            continue
        existing.add((nominal_id, team.pk))
        shares.append(
            RecordShare(
                nominal_id=nominal_id,
                team=team,
                basis="migrated",
                reason="Shared before sharing was by team",
                shared_at=now,
            )
        )
    RecordShare.objects.bulk_create(shares)

    if report or shares or created_teams:
        print()
        for line in report:
            print(f"  Sharing by team: {line}")
        for name in created_teams:
            print(
                f"  Sharing by team: created the empty '{CASE_TEAM_NAME}' of {name}; add its members"
            )
        print(f"  Sharing by team: {len(shares)} team shares recorded")


def backwards(apps, schema_editor):
    Team = apps.get_model("iom", "Team")
    GroupGrant = apps.get_model("cohorts", "NominalGroupObjectPermission")
    RecordShare = apps.get_model("cohorts", "RecordShare")
    for share in RecordShare.objects.filter(basis="migrated", ended_at__isnull=True):
        team = Team.objects.select_related("agency").get(pk=share.team_id)
        for grant in GroupGrant.objects.filter(
            group_id=team.group_id, content_object_id=share.nominal_id
        ):
            GroupGrant.objects.get_or_create(
                group_id=team.agency.group_id,
                permission_id=grant.permission_id,
                content_object_id=grant.content_object_id,
            )
    RecordShare.objects.filter(basis="migrated").delete()


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0006_record_shares")]

    operations = [migrations.RunPython(forwards, backwards)]
