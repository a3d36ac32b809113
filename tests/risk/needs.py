"""Needs assessed on a pathway, through the pathways services, as the risk model reads them."""

from pathways import services as pathway_services
from tests.pathways import factories as pathway_factories


def assess_need(nominal, pathway_kind: str, need: str, on, officer) -> None:
    """Record ``need`` on the person's ``pathway_kind`` pathway, assessed ``on`` a date."""
    pathway_services.ensure_plan(nominal)
    pathway = pathway_factories.pathway_of(nominal, pathway_kind)
    pathway_services.update_pathway(
        pathway.pk, by=officer, version=pathway.version, need=need, contact_agency=None,
        contact_worker=None, aims="", review_date=None, status="open", need_assessed_on=on,
    )  # fmt: skip
