"""Stretches of a person's history: custody, residence, and the dynamic factors officers
record, each open while it lasts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cohorts.models import Nominal
from iom.formatting import long_date

from .records import SourcedRecord, unique_ref


class Period(SourcedRecord):
    """A stretch of time, open when ``ended_on`` is empty."""

    started_on = models.DateField("From")
    ended_on = models.DateField("To", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True


def _period_checks(name: str) -> list:
    return [
        unique_ref(name),
        models.CheckConstraint(
            condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
            name=f"{name}_ends_after_start",
        ),
    ]


class CustodyKind(models.TextChoices):
    RECALL = "recall", "Recall to prison"
    SENTENCE = "sentence", "Custodial sentence"
    REMAND = "remand", "Remand in custody"


class ExpectedReleaseBasis(models.TextChoices):
    """What the expected release date is: the day of automatic release, or the date the
    person becomes eligible for parole (release then depends on the Parole Board)."""

    AUTOMATIC = "automatic", "Automatic release"
    PAROLE = "parole", "Parole eligibility"


class CustodyPeriod(Period):
    """A period in custody. ``ended_on`` is the release date: the person is at liberty from
    that day, in the ranking and in the reports alike (docs/risk-model.md)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="custody_periods")
    establishment = models.CharField(max_length=120, blank=True)
    kind = models.CharField(max_length=10, choices=CustodyKind.choices, blank=True, db_default="")
    expected_release_on = models.DateField("Expected release date", null=True, blank=True)
    expected_release_basis = models.CharField(
        "The expected release date is",
        max_length=10,
        choices=ExpectedReleaseBasis.choices,
        blank=True,
        db_default="",
    )
    version = models.PositiveIntegerField(default=1, db_default=1)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            *_period_checks("custody_period"),
            models.CheckConstraint(
                condition=Q(expected_release_on__isnull=True)
                | Q(expected_release_on__gte=F("started_on")),
                name="custody_period_expected_release_after_start",
            ),
            models.CheckConstraint(
                condition=Q(expected_release_on__isnull=True, expected_release_basis="")
                | Q(expected_release_on__isnull=False) & ~Q(expected_release_basis=""),
                name="custody_period_expected_release_has_basis",
            ),
        ]
        indexes = [
            models.Index(
                fields=["expected_release_on"],
                condition=Q(ended_on__isnull=True),
                name="custody_due_out",
            )
        ]

    def __str__(self) -> str:
        return f"In custody from {long_date(self.started_on)}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    def days_to_release(self, today) -> int | None:
        if self.expected_release_on is None or self.ended_on is not None:
            return None
        return (self.expected_release_on - today).days


class ResidencePeriod(Period):
    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="residence_periods")
    in_area = models.BooleanField(
        "Living in the area", help_text="No when the person lives or stays outside the area."
    )
    details = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = _period_checks("residence_period")

    def __str__(self) -> str:
        where = "In the area" if self.in_area else "Out of the area"
        return f"{where} from {long_date(self.started_on)}"


class DynamicFactorKind(models.TextChoices):
    DRUG_DEPENDENCY = "drug-dependency", "Drug dependency"
    CLASS_A_USE = "class-a-use", "Class A drug use"
    ALCOHOL_MISUSE = "alcohol-misuse", "Alcohol misuse"
    ACCOMMODATION_UNSTABLE = "accommodation-unstable", "Accommodation unstable"
    NO_ACCOMMODATION = "no-accommodation", "No accommodation"
    UNEMPLOYED = "unemployed", "Unemployed"
    ASSOCIATES = "criminal-associates", "Criminal associates"
    FINANCIAL_PROBLEMS = "financial-problems", "Debt or financial problems"


class DynamicFactor(Period):
    """A circumstance an officer saw, from a date until it ended (open while it lasts)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="dynamic_factors")
    factor = models.CharField(max_length=30, choices=DynamicFactorKind.choices)
    note = models.CharField(max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = _period_checks("dynamic_factor")

    def __str__(self) -> str:
        return f"{self.get_factor_display()} from {long_date(self.started_on)}"
