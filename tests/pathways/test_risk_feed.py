"""The needs recorded on Accommodation and Drugs & Alcohol, as the risk model reads them."""

import datetime

import pytest

from pathways import queries, services
from tests.pathways import factories as pf

pytestmark = pytest.mark.django_db
D = datetime.date


def _assess(nominal, kind, need, on, officer):
    pathway = pf.pathway_of(nominal, kind)
    services.update_pathway(
        pathway.pk, by=officer, version=pathway.version, need=need, contact_agency=None,
        contact_worker=None, aims="", review_date=None, status="open", need_assessed_on=on,
    )  # fmt: skip


def test_the_latest_need_on_or_before_the_day_is_the_factor(officer):
    nominal = pf.member_shared_with()
    _assess(nominal, "accommodation", "high", D(2026, 1, 10), officer)
    _assess(nominal, "accommodation", "low", D(2026, 3, 1), officer)
    _assess(nominal, "drugs-alcohol", "medium", D(2026, 2, 1), officer)
    _assess(nominal, "ete", "high", D(2026, 2, 1), officer)  # not a risk factor
    assert list(queries.risk_need_factors(D(2026, 2, 28))) == [
        {"nominal_id": nominal.pk, "factor": "accommodation_need", "level": "high"},
        {"nominal_id": nominal.pk, "factor": "drug_need", "level": "medium"},
    ]
    assert queries.risk_need_factors(D(2026, 3, 1)).first()["level"] == "low"


def test_a_need_never_assessed_gives_no_row(officer):
    pf.member_shared_with()
    assert list(queries.risk_need_factors(D(2026, 3, 1))) == []


def test_the_factors_are_one_query_whatever_the_cohort(officer, django_assert_num_queries):
    for _ in range(5):
        _assess(pf.member_shared_with(), "drugs-alcohol", "high", D(2026, 1, 5), officer)
    with django_assert_num_queries(1):
        rows = list(queries.risk_need_factors(D(2026, 2, 1)))
    assert len(rows) == 5
