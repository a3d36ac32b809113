"""Every figure of the dashboard and of the monthly cohort report, for one period.

``build(period)`` returns the tables in the order the report prints them. The dashboard, the
API, the PDF, the CSV and the XLSX all show these same tables, so they agree by construction.
Every figure is worked out in aggregate SQL: the number of queries, and of the rows they
return, does not depend on the size of the cohort.
"""

from __future__ import annotations

import datetime

from ..models import ReportConfiguration
from . import cohort, offending, outcomes
from .periods import Period, last_month
from .tables import Table

__all__ = ["Period", "Table", "build", "last_month"]


def build(period: Period) -> dict:
    configuration = ReportConfiguration.current()
    before_after = offending.before_and_after(period.end)
    tables: list[Table] = [
        cohort.cohort_by_month(period.end),
        *cohort.make_up(period, configuration.age_bands),
        cohort.attention(period.end),
        before_after,
        offending.proven_reoffending(period.end),
        offending.cost_avoided(before_after, configuration.unit_cost_price_year),
        outcomes.pathway_outcomes(period),
        outcomes.control_measures(period),
    ]
    return {
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "price_year": configuration.unit_cost_price_year,
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "tables": [table.as_dict() for table in tables],
    }
