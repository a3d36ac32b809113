"""The dashboard's figures as last worked out, shared by every server process."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class DashboardFigures(models.Model):
    """The figures of one month's dashboard, under a key that also holds what prices and
    bands them (``reports.dashboard_figures``). Worked out again by the scheduler before they
    go stale, or by the first page that finds them stale."""

    key = models.CharField(max_length=255, unique=True)
    figures = models.JSONField(encoder=DjangoJSONEncoder)
    worked_out_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name_plural = "dashboard figures"

    def __str__(self) -> str:
        return f"{self.key} ({self.worked_out_at:%Y-%m-%d %H:%M})"
