"""The eight reducing-reoffending pathways: each member's plan, its actions and reviews, and
which partner agencies deliver which pathways."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from iom.formatting import long_date
from iom.models import Agency


class PathwayKind(models.TextChoices):
    """The eight pathways, in the order the plan lists them (DOMAIN.md)."""

    ACCOMMODATION = "accommodation", "Accommodation"
    EDUCATION_EMPLOYMENT = "ete", "Education, Training & Employment"
    HEALTH = "health", "Physical and mental health"
    DRUGS_ALCOHOL = "drugs-alcohol", "Drugs & Alcohol"
    FINANCE = "finance", "Finance, Debt & Benefits"
    CHILDREN_FAMILIES = "children-families", "Children & Families"
    ATTITUDES = "attitudes", "Attitudes, Thinking & Behaviour"
    VICTIMS = "victims", "Victims"


PATHWAY_ORDER = {value: index for index, value in enumerate(PathwayKind.values)}


class NeedLevel(models.TextChoices):
    NONE = "none", "No need"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class PathwayStatus(models.TextChoices):
    OPEN = "open", "Open"
    ON_TRACK = "on-track", "On track"
    ACHIEVED = "achieved", "Achieved"
    CLOSED = "closed", "Closed"


# A pathway still being worked on: its reviews and actions are due.
LIVE_STATUSES = (PathwayStatus.OPEN, PathwayStatus.ON_TRACK)


class AgencyPathwaySettings(models.Model):
    """How one agency takes part in the pathways: the pathways it delivers. What it sees of
    the others is for its information-sharing agreement to say (``iom.SharingAgreement``).
    An agency without settings delivers nothing."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="pathway_settings")

    class Meta:
        ordering = ["agency__name"]
        verbose_name = "agency pathway settings"
        verbose_name_plural = "agency pathway settings"

    def __str__(self) -> str:
        return f"Pathways of {self.agency}"


class AgencyPathway(models.Model):
    """One pathway an agency delivers: its workers may add and update actions on it."""

    settings = models.ForeignKey(
        AgencyPathwaySettings, on_delete=models.CASCADE, related_name="pathways"
    )
    pathway = models.CharField(max_length=20, choices=PathwayKind.choices)

    class Meta:
        ordering = ["settings", "pathway"]
        constraints = [
            models.UniqueConstraint(fields=["settings", "pathway"], name="agency_pathway_unique")
        ]

    def __str__(self) -> str:
        return self.get_pathway_display()


class PathwayPlan(models.Model):
    """A member's support plan. Its eight pathways are created with it."""

    nominal = models.OneToOneField(
        "cohorts.Nominal", on_delete=models.PROTECT, related_name="pathway_plan"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Pathway plan of {self.nominal}"


class PlanPathway(models.Model):
    """One pathway of a plan: Contact, Aims & Objectives, Action, Review Date (Preston)."""

    plan = models.ForeignKey(PathwayPlan, on_delete=models.CASCADE, related_name="pathways")
    # Repeated from the plan so that access filters and set-based queries need no join.
    nominal = models.ForeignKey(
        "cohorts.Nominal", on_delete=models.PROTECT, related_name="plan_pathways"
    )
    pathway = models.CharField(max_length=20, choices=PathwayKind.choices)
    need = models.CharField("Assessed need", max_length=10, choices=NeedLevel.choices, blank=True)
    need_assessed_on = models.DateField(null=True, blank=True)
    contact_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pathway_contacts",
    )
    aims = models.TextField("Aims and objectives", blank=True)
    review_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=PathwayStatus.choices, default=PathwayStatus.OPEN
    )
    closing_reason = models.CharField(max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["nominal", "pathway"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "pathway"], name="plan_pathway_unique"),
            models.UniqueConstraint(
                fields=["nominal", "pathway"], name="plan_pathway_unique_per_nominal"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(closing_reason=""),
                name="plan_pathway_closed_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(need="") | Q(need_assessed_on__isnull=False),
                name="plan_pathway_need_has_date",
            ),
        ]
        indexes = [models.Index(fields=["review_date", "status"], name="plan_pathway_review")]

    def __str__(self) -> str:
        return f"{self.get_pathway_display()} – {self.nominal}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def order(self) -> int:
        return PATHWAY_ORDER[self.pathway]


class NeedAssessment(models.Model):
    """Each assessed need, dated: the plan shows the latest; the risk model reads the latest
    on or before the day it runs."""

    plan_pathway = models.ForeignKey(
        PlanPathway, on_delete=models.CASCADE, related_name="need_assessments"
    )
    nominal = models.ForeignKey("cohorts.Nominal", on_delete=models.PROTECT, related_name="+")
    pathway = models.CharField(max_length=20, choices=PathwayKind.choices)
    need = models.CharField(max_length=10, choices=NeedLevel.choices)
    assessed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [
            models.Index(fields=["pathway", "nominal", "-assessed_on", "-id"], name="need_latest")
        ]

    def __str__(self) -> str:
        return f"{self.get_pathway_display()} need {self.need} on {self.assessed_on}"


class PathwayAction(models.Model):
    """Something to be done on a pathway: what, by whom, which agency, when; then the outcome."""

    plan_pathway = models.ForeignKey(PlanPathway, on_delete=models.PROTECT, related_name="actions")
    nominal = models.ForeignKey(
        "cohorts.Nominal", on_delete=models.PROTECT, related_name="pathway_actions"
    )
    description = models.CharField("What", max_length=255)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="pathway_actions")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="By whom",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pathway_actions",
    )
    due_on = models.DateField("Date due")
    done_on = models.DateField("Date done", null=True, blank=True)
    outcome = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="") | Q(done_on__isnull=False),
                name="pathway_action_outcome_when_done",
            )
        ]
        indexes = [
            models.Index(fields=["assigned_to", "done_on", "due_on"], name="action_open_by_user"),
            models.Index(fields=["agency", "done_on", "due_on"], name="action_open_by_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.description} (due {long_date(self.due_on)})"

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class PathwayReview(models.Model):
    """A review of one pathway with the person: what was found, and when to review next."""

    plan_pathway = models.ForeignKey(PlanPathway, on_delete=models.PROTECT, related_name="reviews")
    nominal = models.ForeignKey(
        "cohorts.Nominal", on_delete=models.PROTECT, related_name="pathway_reviews"
    )
    reviewed_on = models.DateField()
    notes = models.TextField()
    next_review_date = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"Review of {self.plan_pathway} on {self.reviewed_on}"


class PathwayConfiguration(models.Model):
    """Settings of the pathways an administrator may change. One row."""

    review_interval_days = models.PositiveIntegerField(
        default=42,
        help_text="The next review date a new review suggests, in days after it.",
    )
    my_work_horizon_days = models.PositiveIntegerField(
        default=28,
        help_text="How far ahead 'My work' lists actions and reviews due later.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "pathway configuration"
        verbose_name_plural = "pathway configuration"

    def __str__(self) -> str:
        return "Pathway configuration"

    @classmethod
    def current(cls) -> "PathwayConfiguration":
        return cls.objects.order_by("pk").first() or cls()
