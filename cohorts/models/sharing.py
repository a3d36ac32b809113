"""With whom a person's record is shared, since when and why.

The grant that lets a team's members see the record is django-guardian's (``iom.access``);
a ``RecordShare`` is the record of that grant an officer reads: which team, on what basis,
who shared it and who stopped it. The services in ``cohorts.services.sharing`` keep the two
in step, in one transaction with the audit event.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from iom.models import Team

from .nominals import Nominal


class ShareBasis(models.TextChoices):
    REFERRAL = "referral", "Referred by this team"
    LEAD_AGENCY = "lead-agency", "Case-holding team of the lead agency"
    PANEL = "panel", "Partner chosen at the panel"
    DEVOLUTION = "devolution", "Case devolved to this neighbourhood team"
    OFFICER = "officer", "Shared by an IOM officer"
    MIGRATED = "migrated", "Shared with the agency before sharing was by team"


# Shares that end when the person leaves the cohort, where the agreement says so.
MEMBERSHIP_BASES = (ShareBasis.LEAD_AGENCY, ShareBasis.PANEL)


class RecordShareQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class RecordShare(models.Model):
    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="shares")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="record_shares")
    basis = models.CharField(max_length=12, choices=ShareBasis.choices)
    reason = models.CharField(max_length=255, blank=True)
    shared_at = models.DateTimeField()
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    end_reason = models.CharField(max_length=255, blank=True)

    objects = RecordShareQuerySet.as_manager()

    class Meta:
        ordering = ["-shared_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nominal", "team"],
                condition=Q(ended_at__isnull=True),
                name="one_active_share_per_team",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("shared_at")),
                name="share_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nominal} shared with {self.team}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None
