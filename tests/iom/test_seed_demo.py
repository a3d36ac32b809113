"""The demo seed builds a believable area quickly, and a second run changes nothing."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from cohorts.demo import REFERENCE_DATE
from cohorts.identifiers import (
    validate_crn,
    validate_cro_number,
    validate_pnc_id,
    validate_prison_number,
)
from cohorts.models import (
    Alias,
    NeighbourhoodPolicingArea,
    Nominal,
    NominalGroupObjectPermission,
    NominalUserObjectPermission,
)
from iom import demo
from iom.models import Agency, AgencyKind, AuditAction, AuditEvent, Role, Team, User

VALIDATORS = {
    "pnc_id": validate_pnc_id,
    "cro_number": validate_cro_number,
    "crn": validate_crn,
    "prison_number": validate_prison_number,
}


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, no_color=True)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Agency,
            Team,
            User,
            NeighbourhoodPolicingArea,
            Nominal,
            Alias,
            Nominal.offender_managers.through,
            NominalUserObjectPermission,
            NominalGroupObjectPermission,
            AuditEvent,
        )
    }


@pytest.fixture
def seeded(db, settings):
    # A fast hasher: the seed hashes the demo password once, and that is most of its time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return seed()


def test_builds_the_area(seeded):
    assert Nominal.objects.count() == 300
    assert NeighbourhoodPolicingArea.objects.filter(area="city").count() == 10
    assert NeighbourhoodPolicingArea.objects.filter(area="county").count() == 10
    assert set(Agency.objects.values_list("kind", flat=True)) == set(AgencyKind.values)
    assert Team.objects.filter(is_iom_unit=True).count() >= 2
    assert 18 <= User.objects.count() <= 25
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.get(username="admin").is_staff
    assert User.objects.filter(role=Role.MANAGER).count() == 2


def test_cohort_looks_like_a_real_one(seeded):
    nominals = list(Nominal.objects.select_related("lead_agency"))
    male = sum(n.gender == "male" for n in nominals)
    assert 0.85 <= male / 300 <= 0.95
    ages = [n.age_on(REFERENCE_DATE) for n in nominals]
    assert min(ages) >= 18 and max(ages) <= 60
    assert sum(20 <= a <= 40 for a in ages) / 300 > 0.7
    leads = Counter(n.lead_agency.kind for n in nominals)
    assert leads == {"nps": 141, "crc": 116, "police": 43}
    assert all(n.offender_managers.exists() for n in nominals[:20])
    assert 60 <= Alias.objects.values("nominal").distinct().count() <= 120


def test_every_identifier_is_valid_and_unique(seeded):
    for field, validator in VALIDATORS.items():
        values = [v for v in Nominal.objects.values_list(field, flat=True) if v]
        for value in values:
            validator(value)
        assert len(values) == len(set(values)), field
    assert Nominal.objects.filter(pnc_id__isnull=True).count() == 0
    assert Nominal.objects.filter(crn__isnull=False).count() > 240
    assert 90 <= Nominal.objects.filter(prison_number__isnull=False).count() <= 150
    assert 150 <= Nominal.objects.filter(cro_number__isnull=False).count() <= 210


def test_second_run_changes_nothing(seeded):
    before = counts()
    output = seed()
    assert counts() == before
    assert "already seeded" in output


def test_one_collection_event_per_nominal(seeded):
    events = AuditEvent.objects.filter(username=demo.SEED_USERNAME, nominal__isnull=False)
    assert events.count() == 300
    assert set(events.values_list("action", flat=True)) == {AuditAction.COLLECTION}


def test_partners_see_a_shared_subset(seeded):
    officer = User.objects.get(username="officer.police")
    drugs = User.objects.get(username="drugs.worker")
    sees = Nominal.objects.visible_to(drugs).count()
    assert Nominal.objects.visible_to(officer).count() == 300
    assert 80 <= sees <= 120
    assert Nominal.objects.visible_to(User.objects.get(username="admin")).count() == 0


def test_offender_managers_may_change_their_cases(seeded):
    nominal = Nominal.objects.filter(offender_managers__role=Role.IOM_OFFICER).first()
    manager = nominal.offender_managers.first()
    assert manager.team.is_iom_unit
    for action in ("view", "change", "disclose"):
        assert NominalUserObjectPermission.objects.filter(
            user=manager, content_object=nominal, permission__codename=f"{action}_nominal"
        ).exists()


def test_prints_the_logins_and_password(seeded):
    for spec in demo.USERS:
        assert spec.username in seeded
    assert demo.PASSWORD in seeded
    user = User.objects.get(username="drugs.worker")
    assert user.check_password(demo.PASSWORD)
