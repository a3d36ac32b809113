"""The dashboard's figures, worked out once for every server process and kept in the
database (``DashboardFigures``).

Working out a month's figures reads the whole history (about half a second at force scale),
and every manager sees the same aggregates. So they are kept for ``IOM_DASHBOARD_SECONDS``:
the scheduler works last month's out again before they go stale (``reports.refresh_dashboard``),
and a page that finds a month's figures missing or stale works them out itself and keeps them
for the others, while the rest are shown the kept ones. Kept in the database rather than in
each process's memory, a month is worked out once for the whole service, not once per
process, and a page never waits on the broker.

The key holds what the figures are priced and banded by (the report configuration and the
unit costs, as last changed), so a change there shows on the next page; a change of the
records themselves shows within ``IOM_DASHBOARD_SECONDS``, and the page says when its figures
were worked out.
"""

from __future__ import annotations

import datetime
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max
from django.utils import timezone

from . import measures
from .measures.periods import Period, last_month
from .models import DashboardFigures, ReportConfiguration, UnitCost

# Kept figures of other months, or of a configuration since changed, are deleted after this.
KEEP_OLD_FOR = datetime.timedelta(days=2)


def _key(period: Period) -> str:
    configuration = ReportConfiguration.current()
    costs = UnitCost.objects.order_by().aggregate(changed=Max("updated_at"), rows=Count("id"))
    return ":".join(
        str(part)
        for part in (
            "dashboard",
            period.start,
            period.end,
            configuration.pk,
            configuration.updated_at.isoformat(),
            costs["changed"] and costs["changed"].isoformat(),
            costs["rows"],
        )
    )


def _work_out(period: Period, key: str) -> dict:
    """The month's figures worked out now and kept; as they read back from the database, so
    a page shows the same whether it worked them out or read them."""
    figures = json.loads(json.dumps(measures.build(period), cls=DjangoJSONEncoder))
    DashboardFigures.objects.update_or_create(
        key=key, defaults={"figures": figures, "worked_out_at": timezone.now()}
    )
    return figures


def figures_for(period: Period) -> dict:
    """The month's figures: those kept while they are younger than ``IOM_DASHBOARD_SECONDS``
    (0: always worked out, never kept).

    Stale figures are worked out again by one page only: it claims them by moving their time
    on (a compare-and-set, so exactly one page wins), and the pages that come while it works
    are shown the kept figures, which say when they were worked out. Working a month out
    takes seconds on a cold database; every page that found them stale once waited for it.
    """
    seconds = settings.IOM_DASHBOARD_SECONDS
    if not seconds:
        return measures.build(period)
    key = _key(period)
    now = timezone.now()
    kept = DashboardFigures.objects.filter(key=key).values_list("figures", "worked_out_at").first()
    if kept is None:
        return _work_out(period, key)
    figures, worked_out_at = kept
    if worked_out_at >= now - datetime.timedelta(seconds=seconds):
        return figures
    return _work_out(period, key) if claim(key, worked_out_at, now) else figures


def claim(key: str, seen: datetime.datetime, now: datetime.datetime) -> bool:
    """Whether this page is the one to work out again the figures it saw worked out at
    ``seen``: true for the first page only, whose claim moves their time to ``now``."""
    return bool(
        DashboardFigures.objects.filter(key=key, worked_out_at=seen).update(worked_out_at=now)
    )


def refresh(today: datetime.date | None = None) -> str:
    """Work out last month's figures again (the dashboard's default month), and delete kept
    figures nobody has read for ``KEEP_OLD_FOR``. The scheduler runs it more often than
    the figures go stale, so that no manager waits for them. Returns the key."""
    period = last_month(today or timezone.localdate())
    key = _key(period)
    _work_out(period, key)
    DashboardFigures.objects.filter(worked_out_at__lt=timezone.now() - KEEP_OLD_FOR).delete()
    return key
