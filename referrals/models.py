"""Referrals into the cohort and the panel meetings that decide them."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cohorts.models import CohortMembership, CohortStream, NationalCategory, Nominal
from iom.formatting import long_date
from iom.models import LEAD_AGENCY_KINDS, Agency


class ReferralStatus(models.TextChoices):
    OPEN = "open", "Awaiting panel"
    DEFERRED = "deferred", "Deferred"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


UNDECIDED_STATUSES = (ReferralStatus.OPEN, ReferralStatus.DEFERRED)


class Referral(models.Model):
    """A proposal, by any agency, to manage a person on the IOM cohort."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="referrals")
    referring_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="referrals_made"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made"
    )
    stream = models.CharField("Proposed cohort stream", max_length=10, choices=CohortStream.choices)
    national_category = models.CharField(
        "2020 category", max_length=10, choices=NationalCategory.choices, blank=True
    )
    reasons = models.TextField("Reasons for referral")
    supporting_information = models.TextField(blank=True)
    proposed_lead_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind__in": LEAD_AGENCY_KINDS},
    )
    status = models.CharField(
        max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.OPEN
    )
    deferred_until = models.DateField(null=True, blank=True)
    withdrawal_reason = models.CharField(max_length=255, blank=True)
    # A new person was confirmed although records the referrer may not see looked alike:
    # the panel checks the identity before deciding.
    needs_identity_check = models.BooleanField(default=False)
    membership = models.OneToOneField(
        CohortMembership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referral",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nominal"],
                condition=Q(status__in=["open", "deferred"]),
                name="referral_one_undecided_per_nominal",
            ),
            models.CheckConstraint(
                condition=~Q(status="deferred") | Q(deferred_until__isnull=False),
                name="referral_deferred_has_a_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(membership__isnull=False),
                name="referral_accepted_has_a_membership",
            ),
        ]
        indexes = [models.Index(fields=["status", "deferred_until"], name="referral_queue")]

    def __str__(self) -> str:
        return f"Referral R{self.pk} of {self.nominal} ({self.get_status_display()})"

    @property
    def reference(self) -> str:
        return f"R{self.pk:05d}"

    @property
    def is_undecided(self) -> bool:
        return self.status in UNDECIDED_STATUSES


class PanelMeeting(models.Model):
    """A multi-agency panel that decides the referrals in its queue."""

    held_on = models.DateField("Date of the meeting")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panels_chaired"
    )
    attending_agencies = models.ManyToManyField(Agency, related_name="panels_attended")
    notes = models.TextField(blank=True)
    # What was said at the meeting beyond each referral's own minutes: edited by the IOM unit
    # during and after the meeting (``version`` refuses a stale edit).
    minutes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Panel of {long_date(self.held_on)}"


class Decision(models.TextChoices):
    ACCEPT = "accept", "Accept"
    REJECT = "reject", "Reject"
    DEFER = "defer", "Defer"


class PanelDecision(models.Model):
    """What a panel decided about one referral, by whom, when and why. Never edited.

    It keeps what was proposed beside what was decided: the chair may accept a person on
    another stream, or with another lead agency, than the referral proposed."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="decisions")
    meeting = models.ForeignKey(PanelMeeting, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.TextField(blank=True)
    deferred_until = models.DateField(null=True, blank=True)
    proposed_stream = models.CharField(max_length=10, choices=CohortStream.choices)
    proposed_lead_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", null=True
    )
    # Accepted: the stream and lead agency the person joins the cohort with.
    stream = models.CharField(
        "Decided cohort stream", max_length=10, choices=CohortStream.choices, blank=True
    )
    lead_agency = models.ForeignKey(
        Agency,
        verbose_name="Decided lead agency",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"kind__in": LEAD_AGENCY_KINDS},
    )
    amendment_reason = models.TextField(
        blank=True, help_text="Why the panel changed the proposed stream or lead agency."
    )
    minutes = models.TextField(blank=True, help_text="What the panel said about this referral.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="reject") | ~Q(reason=""),
                name="decision_reject_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(decision="defer") | Q(deferred_until__isnull=False),
                name="decision_defer_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(decision="accept") | ~Q(stream="") & Q(lead_agency__isnull=False),
                name="decision_accept_has_stream_and_lead",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} – {self.referral}"

    @property
    def stream_amended(self) -> bool:
        return bool(self.stream) and self.stream != self.proposed_stream

    @property
    def lead_agency_amended(self) -> bool:
        return self.lead_agency_id is not None and (
            self.lead_agency_id != self.proposed_lead_agency_id
        )

    @property
    def amended(self) -> bool:
        return self.stream_amended or self.lead_agency_amended
