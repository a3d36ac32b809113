"""Plans, pathways, actions and reviews change only through the services, with their rules."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from iom.locking import StaleEditError
from iom.models import AuditEvent
from pathways import services
from pathways.models import (
    NeedAssessment,
    PathwayAction,
    PathwayKind,
    PathwayPlan,
    PlanPathway,
)
from tests import factories
from tests.pathways import factories as pf

pytestmark = pytest.mark.django_db


def test_ensure_plan_creates_the_eight_pathways_in_one_insert(django_assert_max_num_queries):
    nominal = factories.NominalFactory()
    with django_assert_max_num_queries(6):
        plan = services.ensure_plan(nominal)
    kinds = set(plan.pathways.values_list("pathway", flat=True))
    assert kinds == set(PathwayKind.values)


def test_ensure_plan_twice_keeps_one_plan():
    nominal = factories.NominalFactory()
    first = services.ensure_plan(nominal)
    assert services.ensure_plan(nominal) == first
    assert PathwayPlan.objects.count() == 1
    assert PlanPathway.objects.count() == 8


def test_officer_updates_a_pathway_and_the_need_is_kept_dated(officer):
    nominal = pf.member_shared_with()
    pathway = pf.pathway_of(nominal, "accommodation")
    services.update_pathway(
        pathway.pk,
        by=officer,
        version=pathway.version,
        need="high",
        contact_agency=None,
        contact_worker=None,
        aims="Find settled accommodation",
        review_date=datetime.date(2026, 12, 10),
        status="open",
        need_assessed_on=datetime.date(2026, 11, 2),
    )
    pathway.refresh_from_db()
    assert (pathway.need, pathway.version) == ("high", 2)
    assessment = NeedAssessment.objects.get()
    assert (assessment.need, assessment.assessed_on) == ("high", datetime.date(2026, 11, 2))
    assert AuditEvent.objects.filter(object_type="pathways.PlanPathway").exists()


def test_closing_a_pathway_without_a_reason_is_refused_and_nothing_saved(officer):
    nominal = pf.member_shared_with()
    pathway = pf.pathway_of(nominal, "victims")
    with pytest.raises(ValidationError) as error:
        services.update_pathway(
            pathway.pk,
            by=officer,
            version=1,
            need="low",
            contact_agency=None,
            contact_worker=None,
            aims="",
            review_date=None,
            status="closed",
        )
    assert "closing_reason" in error.value.message_dict
    pathway.refresh_from_db()
    assert (pathway.status, pathway.need, pathway.version) == ("open", "", 1)


def test_a_stale_pathway_edit_is_refused(officer):
    nominal = pf.member_shared_with()
    pathway = pf.pathway_of(nominal, "victims")
    fields = dict(
        need="low", contact_agency=None, contact_worker=None, aims="", review_date=None,
        status="open",
    )  # fmt: skip
    services.update_pathway(pathway.pk, by=officer, version=1, **fields)
    with pytest.raises(StaleEditError):
        services.update_pathway(pathway.pk, by=officer, version=1, **{**fields, "need": "high"})
    pathway.refresh_from_db()
    assert pathway.need == "low"


def test_drug_worker_adds_a_treatment_appointment_on_drugs_and_alcohol():
    drugs = pf.drug_service()
    worker = pf.worker_of(drugs)
    nominal = pf.member_shared_with(drugs)
    action = services.add_action(
        nominal,
        by=worker,
        pathway="drugs-alcohol",
        description="Treatment appointment with the key worker",
        due_on=datetime.date(2026, 12, 3),
    )
    assert action.agency == drugs
    assert action.plan_pathway.pathway == "drugs-alcohol"


def test_drug_worker_cannot_add_an_action_on_accommodation():
    drugs = pf.drug_service()
    worker = pf.worker_of(drugs)
    nominal = pf.member_shared_with(drugs)
    with pytest.raises(PermissionDenied):
        services.add_action(
            nominal,
            by=worker,
            pathway="accommodation",
            description="Housing application",
            due_on=datetime.date(2026, 12, 3),
        )
    assert not PathwayAction.objects.exists()


def test_partner_cannot_record_an_action_for_another_agency():
    drugs = pf.drug_service()
    housing = pf.housing_service()
    worker = pf.worker_of(drugs)
    nominal = pf.member_shared_with(drugs)
    with pytest.raises(ValidationError) as error:
        services.add_action(
            nominal,
            by=worker,
            pathway="drugs-alcohol",
            description="Drug test",
            agency=housing,
            due_on=datetime.date(2026, 12, 3),
        )
    assert "agency" in error.value.message_dict


def test_an_action_with_bad_fields_names_each_and_writes_nothing(officer):
    nominal = pf.member_shared_with()
    drugs = pf.drug_service()
    other = pf.worker_of(pf.housing_service())
    with pytest.raises(ValidationError) as error:
        services.add_action(
            nominal,
            by=officer,
            pathway="drugs-alcohol",
            description=" ",
            agency=drugs,
            assigned_to=other,
            due_on=None,
            outcome="Attended",
        )
    assert set(error.value.message_dict) == {"description", "due_on", "assigned_to", "done_on"}
    assert not PathwayAction.objects.exists()


def test_a_stale_action_update_is_refused_and_keeps_the_first_change(officer):
    drugs = pf.drug_service()
    nominal = pf.member_shared_with(drugs)
    action = pf.action_on(nominal, "drugs-alcohol", drugs)
    services.update_action(
        action.pk, by=officer, version=1, changes={"description": "First officer's change"}
    )
    with pytest.raises(StaleEditError):
        services.update_action(
            action.pk, by=officer, version=1, changes={"description": "Second officer's change"}
        )
    action.refresh_from_db()
    assert (action.description, action.version) == ("First officer's change", 2)


def test_named_offender_manager_acts_on_every_pathway():
    from cohorts.services import set_offender_managers
    from iom.models import AgencyKind, Role
    from tests.sharing import agreement_for

    probation = factories.AgencyFactory(name="Probation", kind=AgencyKind.NPS)
    manager = factories.UserFactory(agency=probation, role=Role.IOM_OFFICER)
    agreement_for(probation)
    nominal = pf.member_shared_with()
    set_offender_managers(nominal, users=[manager], by=None)
    action = services.add_action(
        nominal,
        by=manager,
        pathway="accommodation",
        description="Housing application",
        agency=pf.housing_service(),
        due_on=datetime.date(2026, 12, 3),
    )
    assert action.plan_pathway.pathway == "accommodation"


def test_a_review_sets_the_next_review_date(officer):
    nominal = pf.member_shared_with()
    pathway = pf.pathway_of(nominal, "ete")
    services.record_review(
        pathway.pk,
        by=officer,
        version=1,
        reviewed_on=datetime.date(2026, 11, 20),
        notes="Started the CV workshop",
        next_review_date=datetime.date(2027, 1, 8),
    )
    pathway.refresh_from_db()
    assert pathway.review_date == datetime.date(2027, 1, 8)
    assert pathway.reviews.get().notes == "Started the CV workshop"


def test_a_review_whose_next_date_is_not_after_it_is_refused(officer):
    nominal = pf.member_shared_with()
    pathway = pf.pathway_of(nominal, "ete")
    with pytest.raises(ValidationError) as error:
        services.record_review(
            pathway.pk,
            by=officer,
            version=1,
            reviewed_on=datetime.date(2026, 11, 20),
            notes="",
            next_review_date=datetime.date(2026, 11, 20),
        )
    assert set(error.value.message_dict) == {"notes", "next_review_date"}
    assert not pathway.reviews.exists()


def test_configure_agencies_gives_defaults_by_kind_once():
    from iom.models import AgencyKind
    from pathways.models import AgencyPathwaySettings

    drugs = factories.AgencyFactory(name="New drug service", kind=AgencyKind.DRUG_ALCOHOL)
    police = factories.AgencyFactory(name="New police", kind=AgencyKind.POLICE)
    assert services.configure_agencies([drugs, police]) == 2
    assert services.configure_agencies([drugs, police]) == 0
    settings = AgencyPathwaySettings.objects.get(agency=drugs)
    assert list(settings.pathways.values_list("pathway", flat=True)) == ["drugs-alcohol"]
    police_settings = AgencyPathwaySettings.objects.get(agency=police)
    assert list(police_settings.pathways.values_list("pathway", flat=True)) == ["victims"]
