"""Follow-up tasks: one thing somebody must do by a date for a person (or for the unit).

A task is owned by a team or an agency (or both: the team of an agency) and may be assigned to
one user. It shows in My work for the users it is owned by or assigned to, with its due date.
Events make tasks: a devolution's handover, the items of a day-of-release plan, the panel's
actions. ``source`` names the record a task was made for (the devolution's share, the custody
period, the panel decision), so that the event that ends it can close it again.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from iom.models import Agency, Team

from .nominals import Nominal


class TaskKind(models.TextChoices):
    HANDOVER = "handover", "Handover of a devolved case"
    RELEASE_PLAN = "release-plan", "Day-of-release plan"
    PANEL_ACTION = "panel-action", "Panel action"
    OTHER = "other", "Other"


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(completed_at__isnull=True)

    def done(self):
        return self.filter(completed_at__isnull=False)


class Task(models.Model):
    nominal = models.ForeignKey(
        Nominal, on_delete=models.PROTECT, related_name="tasks", null=True, blank=True
    )
    kind = models.CharField(max_length=20, choices=TaskKind.choices, default=TaskKind.OTHER)
    key = models.CharField(
        max_length=40,
        blank=True,
        help_text="Which item of its kind the task is, e.g. the release-plan item "
        "'accommodation'; empty for a task of its own.",
    )
    title = models.CharField(max_length=200)
    details = models.TextField(blank=True)
    owner_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="tasks", null=True, blank=True
    )
    owner_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="tasks", null=True, blank=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assigned_tasks",
        null=True,
        blank=True,
    )
    due_on = models.DateField("Date due", null=True, blank=True)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["completed_at", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_agency__isnull=False) | Q(owner_team__isnull=False),
                name="task_has_an_owner",
            ),
            models.CheckConstraint(
                condition=Q(source_type__isnull=True, source_id__isnull=True)
                | Q(source_type__isnull=False, source_id__isnull=False),
                name="task_source_type_and_id_together",
            ),
        ]
        indexes = [
            models.Index(fields=["owner_team", "completed_at", "due_on"], name="task_team_open"),
            models.Index(
                fields=["owner_agency", "completed_at", "due_on"], name="task_agency_open"
            ),
            models.Index(fields=["nominal", "kind"], name="task_nominal_kind"),
            models.Index(fields=["source_type", "source_id"], name="task_source"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.completed_at is None

    @property
    def owner(self) -> str:
        if self.owner_team_id:
            return str(self.owner_team)
        return str(self.owner_agency)
