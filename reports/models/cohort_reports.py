"""Reports for managers: their configuration (unit costs of crime, age bands) and the stored
monthly cohort reports with their build progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cohorts.risk.models import OffenceCategory
from iom.formatting import long_date
from iom.jobs import Job

# The offence categories of serious acquisitive crime, the cohort's main offending: the price
# year the reports use should price every one of them (docs/measures.md, section 3).
SERIOUS_ACQUISITIVE = (
    OffenceCategory.BURGLARY_DWELLING,
    OffenceCategory.ROBBERY_PERSONAL,
    OffenceCategory.THEFT_FROM_VEHICLE,
    OffenceCategory.THEFT_OF_VEHICLE,
)
# The seeded table that prices all of them (Home Office Online Report 30/05).
DEFAULT_PRICE_YEAR = "2003/04"


def unpriced_acquisitive(price_year: str) -> list[str]:
    """The serious acquisitive crime categories that ``price_year`` has no unit cost for."""
    priced = set(UnitCost.objects.filter(price_year=price_year).values_list("category", flat=True))
    return [category.label for category in SERIOUS_ACQUISITIVE if category not in priced]


def _default_age_bands() -> list[int]:
    return [18, 25, 35, 45]


class ReportConfiguration(models.Model):
    """Settings of the reports an administrator may change. One row."""

    unit_cost_price_year = models.CharField(
        max_length=7,
        default=DEFAULT_PRICE_YEAR,
        help_text="Which table of unit costs of crime the reports use (a price year of the "
        "unit-cost rows), e.g. 2003/04 or 2015/16. It should price every serious acquisitive "
        "crime category; 2003/04 does, 2015/16 has no unit cost for domestic burglary.",
    )
    age_bands = models.JSONField(
        default=_default_age_bands,
        help_text="The first age of each age band after the youngest, e.g. [18, 25, 35, 45] "
        "gives under 18, 18–24, 25–34, 35–44 and 45 and over.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "report configuration"
        verbose_name_plural = "report configuration"

    def __str__(self) -> str:
        return "Report configuration"

    @classmethod
    def current(cls) -> ReportConfiguration:
        return cls.objects.order_by("pk").first() or cls()


class UnitCost(models.Model):
    """The cost to society of one offence of a kind, in one price year, with its source."""

    price_year = models.CharField(max_length=7, help_text="e.g. 2015/16")
    offence = models.CharField(max_length=120, help_text="The offence as the source names it.")
    category = models.CharField(
        max_length=30,
        choices=OffenceCategory.choices,
        blank=True,
        help_text="The offence category it prices (blank: kept for reference, not used).",
    )
    cost = models.DecimalField(max_digits=10, decimal_places=2, help_text="Pounds per offence.")
    source = models.CharField(max_length=255)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["price_year", "offence"]
        constraints = [
            models.UniqueConstraint(
                fields=["price_year", "category"],
                condition=~Q(category=""),
                name="unit_cost_one_per_category_and_year",
            ),
            models.CheckConstraint(condition=Q(cost__gte=0), name="unit_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.offence} ({self.price_year}): £{self.cost:,.0f}"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    BUILDING = "building", "Building"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class ReportTrigger(models.TextChoices):
    MONTHLY = "monthly", "Monthly (scheduled)"
    ON_REQUEST = "on-request", "Requested by a manager"


def report_path(report: CohortReport, filename: str) -> str:
    return f"reports/cohort/{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}/{filename}"


class CohortReport(Job):
    """One cohort report for a period: aggregate figures as PDF, CSV and XLSX, and optionally a
    named annex. The fingerprint of its inputs lets a second request for the same period
    return it while the data have not changed. Its worker holds a lease on it (iom/jobs.py)."""

    period_start = models.DateField()
    period_end = models.DateField()
    with_annex = models.BooleanField(
        default=False, help_text="With a named annex listing the people in the cohort."
    )
    trigger = models.CharField(max_length=12, choices=ReportTrigger.choices)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    fingerprint = models.CharField(max_length=64)
    price_year = models.CharField(max_length=7, blank=True)
    figures = models.JSONField(default=dict, blank=True)
    pdf = models.FileField(upload_to=report_path, blank=True)
    csv = models.FileField(upload_to=report_path, blank=True)
    xlsx = models.FileField(upload_to=report_path, blank=True)
    annex = models.FileField(upload_to=report_path, blank=True)
    annex_nominal_ids = models.JSONField(default=list, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    build_seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requested_cohort_reports",
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["period_start", "period_end", "with_annex"], name="report_period")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="cohort_report_period_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | ~Q(pdf="") & ~Q(csv="") & ~Q(xlsx=""),
                name="cohort_report_ready_has_files",
            ),
        ]

    def __str__(self) -> str:
        return f"Cohort report {long_date(self.period_start)}–{long_date(self.period_end)}"

    @property
    def is_ready(self) -> bool:
        return self.status == ReportStatus.READY

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportStatus.READY, ReportStatus.FAILED)

    def filename(self, extension: str, suffix: str = "") -> str:
        return (
            f"cohort-report-{self.period_start:%Y%m%d}-{self.period_end:%Y%m%d}{suffix}.{extension}"
        )
