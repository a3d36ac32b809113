"""Bail conditions, civil orders and targeted-enforcement flags."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cohorts.models import Nominal
from iom.formatting import long_date


class MeasureCategory(models.TextChoices):
    BAIL = "bail", "Bail condition"
    CIVIL_ORDER = "civil-order", "Civil order"
    ENFORCEMENT = "enforcement", "Targeted enforcement"


class MeasureKind(models.TextChoices):
    REPORT = "report", "Report to a police station"
    RESIDENCE = "residence", "Condition of residence"
    CURFEW = "curfew", "Curfew"
    ELECTRONIC_MONITORING = "electronic-monitoring", "Curfew with electronic monitoring"
    GPS_TAG = "gps-tag", "GPS tag"
    EXCLUSION_ZONE = "exclusion-zone", "Exclusion zone"
    SUPERVISION = "supervision", "Supervision"
    CRIMINAL_BEHAVIOUR_ORDER = "cbo", "Criminal Behaviour Order"
    ACCEPTABLE_BEHAVIOUR_CONTRACT = "abc", "Acceptable Behaviour Contract"
    SECTOR_TARGET = "sector-target", "Sector target"
    DISRUPTION = "disruption", "Disruption"


# The kinds of measure of each category, in the order the form lists them.
KINDS_OF_CATEGORY: dict[str, tuple[MeasureKind, ...]] = {
    MeasureCategory.BAIL: (
        MeasureKind.REPORT,
        MeasureKind.RESIDENCE,
        MeasureKind.CURFEW,
        MeasureKind.ELECTRONIC_MONITORING,
        MeasureKind.GPS_TAG,
        MeasureKind.EXCLUSION_ZONE,
        MeasureKind.SUPERVISION,
    ),
    MeasureCategory.CIVIL_ORDER: (
        MeasureKind.CRIMINAL_BEHAVIOUR_ORDER,
        MeasureKind.ACCEPTABLE_BEHAVIOUR_CONTRACT,
    ),
    MeasureCategory.ENFORCEMENT: (MeasureKind.SECTOR_TARGET, MeasureKind.DISRUPTION),
}
CATEGORY_OF_KIND = {
    kind: category for category, kinds in KINDS_OF_CATEGORY.items() for kind in kinds
}
CURFEW_KINDS = (MeasureKind.CURFEW, MeasureKind.ELECTRONIC_MONITORING)


class MeasureStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    BREACHED = "breached", "Breached"
    ENDED = "ended", "Ended"


class ControlMeasure(models.Model):
    """A bail condition, civil order or targeted-enforcement flag, with its dates and status."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="control_measures")
    category = models.CharField(max_length=12, choices=MeasureCategory.choices)
    kind = models.CharField(max_length=24, choices=MeasureKind.choices)
    details = models.TextField(
        blank=True, help_text="The police station, address, area or terms, as imposed."
    )
    imposed_by = models.CharField(
        max_length=120, blank=True, help_text="The court, agency or officer that imposed it."
    )
    curfew_from = models.TimeField(null=True, blank=True)
    curfew_until = models.TimeField(null=True, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=MeasureStatus.choices, default=MeasureStatus.ACTIVE
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category", "-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="measure_ends_not_before_start",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["curfew", "electronic-monitoring"])
                | Q(curfew_from__isnull=False, curfew_until__isnull=False),
                name="measure_curfew_has_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {long_date(self.starts_on)}"

    @property
    def is_active(self) -> bool:
        return self.status == MeasureStatus.ACTIVE
