"""What the documents say about risk is what the Risk section says."""

import datetime

from cohorts.risk import services as risk_services
from reports.documents.sources import risk_of
from tests import factories
from tests.risk.factories import DetectedOffenceFactory


def test_the_documents_give_the_risk_reasons_in_the_risk_sections_words(db):
    nominal = factories.members(1)[0]
    run_date = datetime.date.today()
    DetectedOffenceFactory(nominal=nominal, committed_on=run_date - datetime.timedelta(days=20))
    risk_services.rerank(run_date)
    risk = risk_of(nominal)
    assert risk is not None
    assert any("detected" in reason and "points" in reason for reason in risk.reasons)
    assert not any(reason.startswith(("detection:", "need:")) for reason in risk.reasons)
