"""factory_boy factories for the whole suite. Build records through the services where the
service does more than save (groups, permissions), so tests see what users would see."""

import datetime

import factory
from django.contrib.auth.models import Group

from cohorts.models import AreaKind, NeighbourhoodPolicingArea, Nominal
from iom.models import Agency, AgencyKind, Role, Team, User

PASSWORD = "correct-horse-battery-staple"


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Group {n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = AgencyKind.POLICE
    group = factory.LazyAttribute(
        lambda o: Group.objects.get_or_create(name=f"Agency: {o.name}")[0]
    )


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    is_iom_unit = False
    group = factory.LazyAttribute(
        lambda o: Group.objects.get_or_create(name=f"Team: {o.name} ({o.agency.name})")[0]
    )


def case_team_of(agency: Agency) -> Team:
    """The team of an agency that the factories put its partner users in."""
    return Team.objects.get_or_create(
        agency=agency,
        name="Case team",
        defaults={
            "is_case_holding": True,
            "group": Group.objects.get_or_create(name=f"Team: Case team ({agency.name})")[0],
        },
    )[0]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Officer{n}")
    last_name = "Example"
    agency = factory.SubFactory(AgencyFactory)
    team = factory.LazyAttribute(lambda o: case_team_of(o.agency) if o.agency else None)
    role = Role.PARTNER_WORKER
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def join_groups(obj, create, extracted, **kwargs):
        if create:
            obj.groups.set([obj.team.group] if obj.team else [])


class IomOfficerFactory(UserFactory):
    """An IOM officer of the police IOM unit: sees the whole cohort."""

    agency = factory.SubFactory(AgencyFactory, name="Demo Police", kind=AgencyKind.POLICE)
    team = factory.LazyAttribute(
        lambda o: Team.objects.get_or_create(
            agency=o.agency,
            name="IOM unit",
            defaults={
                "is_iom_unit": True,
                "group": Group.objects.get_or_create(name=f"Team: IOM unit ({o.agency.name})")[0],
            },
        )[0]
    )
    role = Role.IOM_OFFICER


class ManagerFactory(IomOfficerFactory):
    role = Role.MANAGER


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeighbourhoodPolicingArea
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Neighbourhood {n}")
    area = AreaKind.CITY


class NominalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nominal
        skip_postgeneration_save = True

    first_names = factory.Sequence(lambda n: f"Testname{n}")
    surname = factory.Sequence(lambda n: f"Fictional{n}")
    date_of_birth = datetime.date(1990, 5, 17)
    gender = "male"
    pnc_id = factory.Sequence(lambda n: f"2009/{n:07d}A")
    crn = factory.Sequence(lambda n: f"X{n:06d}")
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    lead_agency = factory.SubFactory(AgencyFactory, name="Demo Police", kind=AgencyKind.POLICE)


class AliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cohorts.Alias"

    nominal = factory.SubFactory(NominalFactory)
    first_names = "Known"
    surname = factory.Sequence(lambda n: f"Alias{n}")


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "referrals.Referral"

    nominal = factory.SubFactory(NominalFactory)
    referring_agency = factory.SubFactory(AgencyFactory, name="Demo Police", kind=AgencyKind.POLICE)
    referred_by = factory.SubFactory(
        UserFactory, agency=factory.SelfAttribute("..referring_agency")
    )
    stream = "sac"
    reasons = "Three dwelling burglaries in the last six months."
    proposed_lead_agency = factory.SelfAttribute("referring_agency")


class PanelMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "referrals.PanelMeeting"

    held_on = factory.LazyFunction(datetime.date.today)
    chair = factory.SubFactory(ManagerFactory)
    created_by = factory.SelfAttribute("chair")


class PanelDecisionFactory(factory.django.DjangoModelFactory):
    """An acceptance, as proposed, at a meeting of today."""

    class Meta:
        model = "referrals.PanelDecision"

    referral = factory.SubFactory(ReferralFactory)
    meeting = factory.SubFactory(PanelMeetingFactory)
    decision = "accept"
    proposed_stream = factory.SelfAttribute("referral.stream")
    proposed_lead_agency = factory.SelfAttribute("referral.proposed_lead_agency")
    stream = factory.SelfAttribute("referral.stream")
    lead_agency = factory.SelfAttribute("referral.proposed_lead_agency")
    decided_by = factory.SelfAttribute("meeting.chair")


class CohortMembershipFactory(factory.django.DjangoModelFactory):
    """A current member of the cohort (the cohort list shows current members by default), on
    it since before the fixed dates the ranking tests score (a member on a date is one who
    had entered by then)."""

    class Meta:
        model = "cohorts.CohortMembership"

    nominal = factory.SubFactory(NominalFactory)
    stream = "sac"
    lead_agency = factory.SelfAttribute("nominal.lead_agency")
    entered_on = factory.LazyFunction(
        lambda: datetime.date.today() - datetime.timedelta(days=3 * 365)
    )


def members(count: int, **kwargs) -> list:
    """``count`` nominals who are current members of the cohort."""
    return [CohortMembershipFactory(**kwargs).nominal for _ in range(count)]
