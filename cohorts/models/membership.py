"""Cohort membership (entry, status, exit) and engagement with the offer of support."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from iom.formatting import long_date
from iom.models import LEAD_AGENCY_KINDS, Agency

from .nominals import Nominal


class CohortStream(models.TextChoices):
    SAC = "sac", "Serious Acquisitive Crime"
    PPO = "ppo", "Prolific and Priority Offender"
    OCG = "ocg", "Organised Crime Group"
    DOMESTIC_ABUSE = "da", "Domestic Abuse"
    VIOLENCE = "violence", "Violence"


class NationalCategory(models.TextChoices):
    """The cohort categories of the 2020 national IOM strategy."""

    FIXED = "fixed", "Fixed (neighbourhood crime)"
    FLEX = "flex", "Flex (local priorities)"
    FREE = "free", "Free (local discretion)"


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    IN_CUSTODY = "custody", "In custody"
    DEVOLVED = "devolved", "Devolved to a neighbourhood policing team"
    EXITED = "exited", "Exited"


OPEN_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.IN_CUSTODY, MembershipStatus.DEVOLVED)


class ExitReason(models.TextChoices):
    RISK_REDUCED = "risk-reduced", "Risk reduced"
    DEVOLVED = "devolved", "Devolved to a neighbourhood policing team"
    LONG_CUSTODY = "long-custody", "Long custodial sentence"
    MOVED_AWAY = "moved", "Moved out of the area"
    DECEASED = "deceased", "Deceased"
    OTHER = "other", "Other"


class CohortConfiguration(models.Model):
    """Settings of the cohort an administrator may change. One row."""

    cap = models.PositiveIntegerField(
        default=250,
        help_text="The most people the cohort may hold; accepting more needs a manager's reason.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "cohort configuration"
        verbose_name_plural = "cohort configuration"

    def __str__(self) -> str:
        return f"Cohort cap {self.cap}"

    @classmethod
    def current(cls) -> "CohortConfiguration":
        return cls.objects.order_by("pk").first() or cls.objects.create()


class CohortMembership(models.Model):
    """One period on the cohort, from entry to exit. A person may have several in turn."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="memberships")
    stream = models.CharField(max_length=10, choices=CohortStream.choices)
    national_category = models.CharField(
        "2020 category", max_length=10, choices=NationalCategory.choices, blank=True
    )
    lead_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="led_memberships",
        limit_choices_to={"kind__in": LEAD_AGENCY_KINDS},
    )
    entered_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    exited_on = models.DateField(null=True, blank=True)
    exit_reason = models.CharField(max_length=20, choices=ExitReason.choices, blank=True)
    exit_details = models.CharField(max_length=255, blank=True)
    cap_override_reason = models.CharField(
        max_length=255,
        blank=True,
        help_text="Why a manager accepted this person when the cohort was at its cap.",
    )
    cap_overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-entered_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nominal"],
                condition=~Q(status="exited"),
                name="membership_one_open_per_nominal",
            ),
            models.CheckConstraint(
                condition=Q(status="exited", exited_on__isnull=False) & ~Q(exit_reason="")
                | ~Q(status="exited") & Q(exited_on__isnull=True, exit_reason=""),
                name="membership_exit_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(exited_on__isnull=True) | Q(exited_on__gte=models.F("entered_on")),
                name="membership_exit_not_before_entry",
            ),
            models.CheckConstraint(
                condition=~Q(exit_reason="other") | ~Q(exit_details=""),
                name="membership_other_exit_is_explained",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nominal} – {self.get_stream_display()} from {long_date(self.entered_on)}"

    @property
    def is_open(self) -> bool:
        return self.status != MembershipStatus.EXITED


class EngagementStatus(models.TextChoices):
    NOT_APPROACHED = "not-approached", "Not yet approached"
    ENGAGED = "engaged", "Engaged"
    PARTIAL = "partial", "Partially engaged"
    DECLINED = "declined", "Declined"


class ManagementApproach(models.TextChoices):
    SUPPORT = "support", "Support through the pathways"
    SUPPORT_AND_CONTROL = "support-control", "Support, with control measures ready"
    CONTROL = "control", "Control and enforcement"
    TO_DECIDE = "to-decide", "To be decided after the first approach"


# The management approach follows from engagement (DOMAIN.md: support those who engage,
# control or enforce against those who will not).
APPROACH_FOR_ENGAGEMENT = {
    EngagementStatus.NOT_APPROACHED: ManagementApproach.TO_DECIDE,
    EngagementStatus.ENGAGED: ManagementApproach.SUPPORT,
    EngagementStatus.PARTIAL: ManagementApproach.SUPPORT_AND_CONTROL,
    EngagementStatus.DECLINED: ManagementApproach.CONTROL,
}


class Engagement(models.Model):
    """A recorded change in how a person engages with the offer of support. The newest one
    is the current engagement; the older ones are its history."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="engagements")
    status = models.CharField(max_length=20, choices=EngagementStatus.choices)
    on = models.DateField("Date")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["nominal", "-on", "-id"], name="engagement_latest")]

    def __str__(self) -> str:
        return f"{self.get_status_display()} on {long_date(self.on)}"

    @property
    def approach(self) -> ManagementApproach:
        return APPROACH_FOR_ENGAGEMENT[EngagementStatus(self.status)]
