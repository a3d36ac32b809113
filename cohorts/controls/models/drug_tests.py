"""Drug tests on licence and their outcomes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cohorts.models import Nominal
from iom.formatting import long_date

from .licences import Licence


class TestOutcome(models.TextChoices):
    POSITIVE = "positive", "Positive for Class A"
    NEGATIVE = "negative", "Negative for Class A"
    FAILED_TO_ATTEND = "failed-to-attend", "Failed to attend"
    REFUSED = "refused", "Refused"


# Outcomes that count as a failure to engage with testing.
MISSED_OUTCOMES = (TestOutcome.FAILED_TO_ATTEND, TestOutcome.REFUSED)


class DrugTest(models.Model):
    """A drug test on licence."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="drug_tests")
    licence = models.ForeignKey(
        Licence, on_delete=models.PROTECT, null=True, blank=True, related_name="drug_tests"
    )
    tested_on = models.DateField("Date of the test")
    outcome = models.CharField(max_length=20, choices=TestOutcome.choices)
    class_a_substances = models.CharField(
        "Class A drugs found", max_length=120, blank=True, help_text="For example, opiates, cocaine"
    )
    other_substances = models.CharField(
        "Other substances found", max_length=120, blank=True, help_text="For example, cannabis"
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tested_on", "-id"]
        indexes = [models.Index(fields=["nominal", "-tested_on"], name="drugtest_latest")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="positive") | ~Q(class_a_substances=""),
                name="drugtest_positive_names_substance",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} on {long_date(self.tested_on)}"

    @property
    def is_positive(self) -> bool:
        return self.outcome == TestOutcome.POSITIVE

    @property
    def is_missed(self) -> bool:
        return self.outcome in MISSED_OUTCOMES
