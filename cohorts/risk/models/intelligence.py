"""Intelligence reports with their grading (3x5x2, or 5x5x5 for older reports), and what
partner agencies submit to the IOM unit to be graded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cohorts.models import Nominal
from iom.formatting import long_date

from .offences import OffenceType
from .records import CorrectableRecord, unique_ref


class IntelligenceSource(models.TextChoices):
    POLICE = "police", "Police"
    INFORMANT = "informant", "Informant"
    PARTNER = "partner", "Partner agency"
    FORENSIC = "forensic", "Forensic"


class HandlingCode(models.TextChoices):
    """How a report may be shared: P and C of the 3x5x2 grading, 1-5 of the older 5x5x5."""

    P = "P", "P: lawful sharing permitted"
    C = "C", "C: lawful sharing permitted with conditions"
    CODE_1 = "1", "1 (5x5x5): may be disseminated to other law enforcement and prosecuting agencies"
    CODE_2 = "2", "2 (5x5x5): may be disseminated to UK non-prosecuting parties"
    CODE_3 = "3", "3 (5x5x5): may be disseminated to non-EU law enforcement agencies"
    CODE_4 = "4", "4 (5x5x5): only within the originating agency"
    CODE_5 = "5", "5 (5x5x5): no further dissemination; refer to the originator"


class GradingSystem(models.TextChoices):
    """The evaluation a report was graded under (College of Policing APP)."""

    NONE = "", "Not graded"
    THREE_FIVE_TWO = "3x5x2", "3x5x2"
    FIVE_FIVE_FIVE = "5x5x5", "5x5x5 (older reports)"


# What each system allows: source evaluations, intelligence assessments, handling codes.
SOURCE_EVALUATIONS: dict[str, tuple[str, ...]] = {
    GradingSystem.THREE_FIVE_TWO: ("A", "B", "C"),
    GradingSystem.FIVE_FIVE_FIVE: ("A", "B", "C", "D", "E"),
}
INTELLIGENCE_ASSESSMENTS = (1, 2, 3, 4, 5)
HANDLING_CODES: dict[str, tuple[str, ...]] = {
    GradingSystem.THREE_FIVE_TWO: ("P", "C"),
    GradingSystem.FIVE_FIVE_FIVE: ("1", "2", "3", "4", "5"),
}
SOURCE_EVALUATION_NAMES = {
    "A": "A: reliable",
    "B": "B: untested",
    "C": "C: not reliable",
    "D": "D: untested (5x5x5)",
    "E": "E: suspected to be false (5x5x5)",
}
INTELLIGENCE_ASSESSMENT_NAMES = {
    1: "1: known directly to the source",
    2: "2: known indirectly to the source but corroborated",
    3: "3: known indirectly to the source",
    4: "4: not known",
    5: "5: suspected to be false",
}


def grading_text(system: str, source_evaluation: str, assessment, handling_code: str) -> str:
    """How a grading reads in a table: B2P, A1C, E44 (5x5x5); empty when not graded."""
    if not system:
        return ""
    return f"{source_evaluation}{assessment}{handling_code}"


def _grading_check() -> Q:
    ungraded = Q(grading_system="", source_evaluation="", intelligence_assessment__isnull=True)
    assessed = Q(intelligence_assessment__gte=1, intelligence_assessment__lte=5)
    three = (
        Q(grading_system=GradingSystem.THREE_FIVE_TWO)
        & Q(source_evaluation__in=SOURCE_EVALUATIONS[GradingSystem.THREE_FIVE_TWO])
        & assessed
        & Q(handling_code__in=HANDLING_CODES[GradingSystem.THREE_FIVE_TWO])
    )
    five = (
        Q(grading_system=GradingSystem.FIVE_FIVE_FIVE)
        & Q(source_evaluation__in=SOURCE_EVALUATIONS[GradingSystem.FIVE_FIVE_FIVE])
        & assessed
        & ~Q(handling_code__in=HANDLING_CODES[GradingSystem.THREE_FIVE_TWO])
    )
    return ungraded | three | five


class IntelligenceReport(CorrectableRecord):
    nominal = models.ForeignKey(
        Nominal, on_delete=models.PROTECT, related_name="intelligence_reports"
    )
    reported_on = models.DateField("Date of report")
    intelligence_source = models.CharField(max_length=10, choices=IntelligenceSource.choices)
    offence_type = models.ForeignKey(
        OffenceType, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    summary = models.TextField(
        blank=True,
        db_default="",
        max_length=4000,
        help_text="What the report says, sanitised of its source.",
    )
    grading_system = models.CharField(
        max_length=5, choices=GradingSystem.choices, blank=True, db_default=""
    )
    source_evaluation = models.CharField(max_length=1, blank=True, db_default="")
    intelligence_assessment = models.PositiveSmallIntegerField(null=True, blank=True)
    grading = models.CharField(
        max_length=6,
        blank=True,
        help_text="The grading as it reads, e.g. B2P (3x5x2) or A14 (5x5x5); kept as the feed "
        "gave it when it could not be read.",
    )
    handling_code = models.CharField(
        max_length=1,
        choices=HandlingCode.choices,
        blank=True,
        help_text="Who the report may be shared with. A report without one is not shared "
        "outside the IOM unit.",
    )
    handling_conditions = models.CharField(
        max_length=255, blank=True, help_text="The conditions of sharing under handling code C."
    )
    location = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-reported_on", "-id"]
        constraints = [
            unique_ref("intelligence_report"),
            models.CheckConstraint(
                condition=_grading_check(), name="intelligence_report_grading_consistent"
            ),
            models.CheckConstraint(
                condition=~Q(grading_system=GradingSystem.THREE_FIVE_TWO, handling_code="C")
                | ~Q(handling_conditions=""),
                name="intelligence_report_code_c_has_conditions",
            ),
        ]
        indexes = [models.Index(fields=["nominal", "reported_on"], name="intelligence_recent")]

    def __str__(self) -> str:
        return f"Intelligence ({self.get_intelligence_source_display()}) {self.reported_on}"


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted: waiting to be graded"
    ACCEPTED = "accepted", "Graded and accepted"
    REJECTED = "rejected", "Rejected"


class IntelligenceSubmission(models.Model):
    """Intelligence a partner agency passed to the IOM unit. It is not intelligence until an
    IOM officer grades and accepts it (``report``); until then, and after, only the IOM unit
    and the submitting agency see the submission itself."""

    nominal = models.ForeignKey(
        Nominal, on_delete=models.PROTECT, related_name="intelligence_submissions"
    )
    agency = models.ForeignKey(
        "iom.Agency", on_delete=models.PROTECT, related_name="intelligence_submissions"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    reported_on = models.DateField("Date the information was learnt")
    offence_type = models.ForeignKey(
        OffenceType, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    summary = models.TextField(max_length=4000)
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    report = models.OneToOneField(
        IntelligenceReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submission",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=SubmissionStatus.ACCEPTED, report__isnull=False)
                | ~Q(status=SubmissionStatus.ACCEPTED) & Q(report__isnull=True),
                name="intelligence_submission_accepted_has_report",
            ),
            models.CheckConstraint(
                condition=Q(status=SubmissionStatus.SUBMITTED, decided_at__isnull=True)
                | ~Q(status=SubmissionStatus.SUBMITTED) & Q(decided_at__isnull=False),
                name="intelligence_submission_decided_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["nominal", "status"], name="submission_by_person"),
            models.Index(fields=["status", "submitted_at"], name="submission_waiting"),
        ]

    def __str__(self) -> str:
        return f"Intelligence submitted on {long_date(self.submitted_at)}"
