"""The upgrade that turns records shared with a whole agency into shares with one team."""

import importlib

from django.apps import apps

from cohorts.models import RecordShare
from iom import access
from iom.models import AgencyKind
from tests import factories
from tests.sharing import agreement_for

migration = importlib.import_module("cohorts.migrations.0007_agency_grants_become_team_shares")


def test_agency_grants_become_grants_to_the_agencys_case_team(db, nominal, capsys):
    drugs = factories.AgencyFactory(name="Drug service", kind=AgencyKind.DRUG_ALCOHOL)
    agreement_for(drugs)
    only_team = factories.TeamFactory(agency=drugs, name="Recovery team")
    worker = factories.UserFactory(agency=drugs, team=only_team)
    access.grant_to_group(drugs.group, nominal)

    migration.forwards(apps, None)

    assert access.can(worker, "view", nominal)
    share = RecordShare.objects.get(nominal=nominal)
    assert (share.team, share.basis) == (only_team, "migrated")
    only_team.refresh_from_db()
    assert only_team.is_case_holding
    assert "1 records shared with Drug service -> Recovery team" in capsys.readouterr().out


def test_a_police_grant_goes_to_the_iom_unit_not_the_neighbourhood_team(db, nominal):
    officer = factories.IomOfficerFactory()
    police = officer.agency
    npt = factories.TeamFactory(agency=police, name="City NPT", is_neighbourhood=True)
    neighbourhood_officer = factories.UserFactory(agency=police, team=npt)
    agreement_for(police)
    access.grant_to_group(police.group, nominal)

    migration.forwards(apps, None)

    assert not access.can(neighbourhood_officer, "view", nominal)
    assert RecordShare.objects.get(nominal=nominal).team == officer.team


def test_an_agency_with_several_teams_gets_a_new_empty_case_team(db, nominal, capsys):
    council = factories.AgencyFactory(name="Council", kind=AgencyKind.LOCAL_AUTHORITY)
    factories.TeamFactory(agency=council, name="Housing options")
    factories.TeamFactory(agency=council, name="Family support")
    access.grant_to_group(council.group, nominal)

    migration.forwards(apps, None)

    share = RecordShare.objects.get(nominal=nominal)
    assert share.team.name == "Case team" and not share.team.members.exists()
    assert "created the empty 'Case team' of Council" in capsys.readouterr().out
