"""Factories of the pathways tests: agencies configured to deliver pathways, their workers,
and plans built through the services."""

import datetime

from iom.models import AgencyKind, PathwaysCover, Role, SharingAgreement
from pathways.models import AgencyPathway, AgencyPathwaySettings
from pathways.services import add_action, ensure_plan
from tests import factories
from tests.sharing import agreement_for, share_with


def agency_delivering(name: str, kind: str, pathways, sharing=PathwaysCover.SUMMARY):
    """An agency delivering ``pathways``, whose agreement shows the others as ``sharing``
    says (and every other section of the record)."""
    agency = factories.AgencyFactory(name=name, kind=kind)
    SharingAgreement.objects.filter(parties=agency).delete()
    agreement_for(agency, pathways=sharing)
    settings, _ = AgencyPathwaySettings.objects.get_or_create(agency=agency)
    AgencyPathway.objects.filter(settings=settings).delete()
    AgencyPathway.objects.bulk_create(
        AgencyPathway(settings=settings, pathway=pathway) for pathway in pathways
    )
    return agency


def drug_service(sharing=PathwaysCover.SUMMARY):
    return agency_delivering(
        "Clearwater Recovery", AgencyKind.DRUG_ALCOHOL, ["drugs-alcohol"], sharing
    )


def housing_service(sharing=PathwaysCover.SUMMARY):
    return agency_delivering("Brookvale Homes", AgencyKind.HOUSING, ["accommodation"], sharing)


def worker_of(agency, **kwargs):
    return factories.UserFactory(agency=agency, role=Role.PARTNER_WORKER, **kwargs)


def member_shared_with(*agencies, **kwargs):
    """A current member of the cohort, shared with these agencies, with a plan."""
    nominal = factories.members(1, **kwargs)[0]
    for agency in agencies:
        share_with(nominal, agency, by=None)
    ensure_plan(nominal)
    return nominal


def pathway_of(nominal, kind: str):
    return nominal.plan_pathways.get(pathway=kind)


def action_on(nominal, kind: str, agency, *, due_on=None, assigned_to=None, **kwargs):
    return add_action(
        nominal,
        by=None,
        pathway=kind,
        description=kwargs.pop("description", "Treatment appointment"),
        agency=agency,
        assigned_to=assigned_to,
        due_on=due_on or datetime.date(2026, 12, 1),
        **kwargs,
    )
