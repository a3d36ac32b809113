"""Contacts and case notes: every visit, appointment, call and court date with a person on
the cohort, booked ahead or recorded after, with whether they came and what came of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cohorts.controls.models import Breach
from cohorts.models import Nominal
from iom.formatting import long_date
from iom.models import Agency


class ContactKind(models.TextChoices):
    HOME_VISIT = "home-visit", "Home visit"
    JOINT_VISIT = "joint-visit", "Joint visit (several agencies)"
    OFFICE = "office", "Office appointment"
    PHONE = "phone", "Phone call"
    PRISON_VISIT = "prison-visit", "Prison visit"
    DRUG_TEST = "drug-test", "Drug-test appointment"
    COURT = "court", "Court"
    OTHER = "other", "Other"


class Attendance(models.TextChoices):
    ATTENDED = "attended", "Attended"
    DID_NOT_ATTEND = "did-not-attend", "Did not attend"
    REFUSED = "refused", "Refused"


class Absence(models.TextChoices):
    """Why a person did not attend, as the officer judged it."""

    NO_REASON = "no-reason", "No reason given"
    ACCEPTABLE = "acceptable", "Acceptable absence"
    UNACCEPTABLE = "unacceptable", "Unacceptable absence"


# Outcomes that count as a missed appointment (and may be turned into a breach).
MISSED = (Attendance.DID_NOT_ATTEND, Attendance.REFUSED)


class Contact(models.Model):
    """One contact with a person: an appointment booked ahead (``planned_at``) and, once it
    happened or was missed, its outcome; or a contact recorded after the event.

    ``is_shared`` is the sensitivity: a contact the IOM unit keeps to itself is never shown
    to a partner, whatever their agreement; a shared one is shown to partners whose
    agreement covers contacts (``iom.sharing.CONTACTS``).
    """

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="contacts")
    kind = models.CharField("Type of contact", max_length=20, choices=ContactKind.choices)
    planned_at = models.DateTimeField("Booked for", null=True, blank=True)
    happened_at = models.DateTimeField("Took place", null=True, blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="Officers and workers",
        blank=True,
        related_name="contacts",
    )
    agencies = models.ManyToManyField(Agency, blank=True, related_name="contacts")
    location = models.CharField(max_length=160, blank=True)
    attendance = models.CharField(
        max_length=20, choices=Attendance.choices, blank=True, help_text="Empty until recorded."
    )
    absence = models.CharField(
        "Reason for not attending", max_length=20, choices=Absence.choices, blank=True
    )
    absence_reason = models.CharField("What the person said", max_length=255, blank=True)
    outcome = models.TextField(blank=True)
    note = models.TextField("Case note", blank=True)
    is_shared = models.BooleanField(
        "Shared under the agreement",
        default=False,
        help_text="Otherwise only the IOM unit sees this contact.",
    )
    breach = models.OneToOneField(
        Breach, on_delete=models.PROTECT, null=True, blank=True, related_name="contact"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-planned_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_at__isnull=False) | Q(happened_at__isnull=False),
                name="contact_is_planned_or_happened",
            ),
            models.CheckConstraint(
                condition=Q(absence="") | Q(attendance=Attendance.DID_NOT_ATTEND),
                name="contact_absence_only_when_not_attended",
            ),
            models.CheckConstraint(
                condition=~Q(attendance=Attendance.DID_NOT_ATTEND) | ~Q(absence=""),
                name="contact_not_attended_says_why",
            ),
            models.CheckConstraint(
                condition=~Q(attendance=Attendance.ATTENDED) | Q(happened_at__isnull=False),
                name="contact_attended_has_a_time",
            ),
        ]
        indexes = [
            models.Index(fields=["nominal", "-planned_at"], name="contact_nominal_planned"),
            models.Index(fields=["nominal", "-happened_at"], name="contact_nominal_happened"),
            models.Index(fields=["planned_at"], name="contact_planned"),
        ]

    def __str__(self) -> str:
        when = self.when
        return (
            f"{self.get_kind_display()} on {long_date(when)}" if when else self.get_kind_display()
        )

    @property
    def when(self):
        """When it happened, or else when it was booked for."""
        return self.happened_at or self.planned_at

    @property
    def is_appointment(self) -> bool:
        return self.planned_at is not None

    @property
    def is_recorded(self) -> bool:
        """Whether its outcome (attended, missed, refused) is recorded."""
        return bool(self.attendance)

    @property
    def is_missed(self) -> bool:
        return self.attendance in MISSED
