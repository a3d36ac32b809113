"""The thresholds of control measures an administrator may change."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class ControlsConfiguration(models.Model):
    """Thresholds an administrator may change. One row."""

    class_a_positive_threshold = models.PositiveSmallIntegerField(
        "Positive Class A tests that reach the recall threshold",
        default=3,
        help_text="Counted within the current licence (since release, or since the last "
        "recall on that licence).",
    )
    missed_test_threshold = models.PositiveSmallIntegerField(
        "Missed tests that count as a failure to engage",
        default=2,
        help_text="Tests on licence the person failed to attend or refused, counted like the "
        "positive tests.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "controls configuration"
        verbose_name_plural = "controls configuration"
        constraints = [
            models.CheckConstraint(
                condition=Q(class_a_positive_threshold__gte=1, missed_test_threshold__gte=1),
                name="controls_thresholds_at_least_one",
            )
        ]

    def __str__(self) -> str:
        return (
            f"Recall threshold: {self.class_a_positive_threshold} positive Class A tests or "
            f"{self.missed_test_threshold} missed tests"
        )

    @classmethod
    def current(cls) -> ControlsConfiguration:
        return cls.objects.order_by("pk").first() or cls.objects.create()
