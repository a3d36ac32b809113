"""The one gate: who sees which nominal."""

from cohorts.models import Nominal
from cohorts.services import set_offender_managers
from iom import access
from iom.models import Role
from tests import factories
from tests.sharing import agreement_for, share_with


def test_iom_unit_officer_sees_every_nominal(officer):
    factories.NominalFactory.create_batch(3)
    assert Nominal.objects.visible_to(officer).count() == 3


def test_partner_cannot_see_unshared_nominal(outsider, nominal):
    assert not Nominal.objects.visible_to(outsider).exists()


def test_partner_sees_nominal_shared_with_their_agency(outsider, nominal, officer):
    share_with(nominal, outsider, by=officer)
    assert list(Nominal.objects.visible_to(outsider)) == [nominal]


def test_sharing_gives_view_but_not_change(outsider, nominal, officer):
    share_with(nominal, outsider, by=officer)
    assert not Nominal.objects.visible_to(outsider, "change").exists()


def test_sharing_with_a_team_reaches_its_members_only(db, nominal, officer):
    team = factories.TeamFactory(name="Housing options")
    member = factories.UserFactory(agency=team.agency, team=team)
    colleague_elsewhere = factories.UserFactory(agency=team.agency)
    share_with(nominal, team, by=officer)
    assert access.can(member, "view", nominal)
    assert not access.can(colleague_elsewhere, "view", nominal)


def test_named_offender_manager_of_another_agency_can_view_and_change(db, nominal, officer):
    probation_officer = factories.UserFactory(role=Role.IOM_OFFICER)
    agreement_for(probation_officer.agency)
    set_offender_managers(nominal, users=[probation_officer], by=officer)
    assert access.can(probation_officer, "view", nominal)
    assert access.can(probation_officer, "change", nominal)


def test_named_offender_manager_without_a_live_agreement_sees_nothing(db, nominal, officer):
    probation_officer = factories.UserFactory(role=Role.IOM_OFFICER)
    agreement_for(probation_officer.agency, ends_in_days=-1)
    set_offender_managers(nominal, users=[probation_officer], by=officer)
    assert not access.can(probation_officer, "view", nominal)


def test_removing_an_offender_manager_takes_their_access_away(db, nominal, officer):
    probation_officer = factories.UserFactory(role=Role.IOM_OFFICER)
    set_offender_managers(nominal, users=[probation_officer], by=officer)
    set_offender_managers(nominal, users=[], by=officer)
    assert not access.can(probation_officer, "view", nominal)


def test_partner_worker_in_an_iom_team_does_not_see_the_whole_cohort(db, nominal):
    team = factories.TeamFactory(is_iom_unit=True)
    worker = factories.UserFactory(agency=team.agency, team=team, role=Role.PARTNER_WORKER)
    assert not Nominal.objects.visible_to(worker).exists()


def test_inactive_user_sees_nothing(officer, nominal):
    officer.is_active = False
    officer.save()
    assert not Nominal.objects.visible_to(officer).exists()


def test_visible_to_costs_one_query_and_one_for_the_agreements(
    officer, outsider, django_assert_num_queries
):
    factories.NominalFactory.create_batch(5)
    with django_assert_num_queries(2):
        list(Nominal.objects.visible_to(outsider))
    with django_assert_num_queries(1):  # the user's agreements are read once
        list(Nominal.objects.visible_to(outsider))
