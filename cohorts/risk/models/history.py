"""A person's offending history: detections, arrests, intelligence, custody, residence and the
dynamic factors officers record. Every row carries the reference it has in its source system,
unique per source, so that a feed can be imported again without duplicating anything."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now

from cohorts.coordinates import coordinates_check, validate_easting, validate_northing
from cohorts.models import Nominal
from cohorts.risk.ogrs3.reference import OGRS3_V3
from iom.formatting import long_date

# The source of rows officers type in themselves (their external reference is generated).
OFFICER_SOURCE = "officer"


class OffenceCategory(models.TextChoices):
    BURGLARY_DWELLING = "burglary-dwelling", "Burglary (dwelling)"
    ROBBERY_PERSONAL = "robbery-personal", "Robbery (personal)"
    THEFT_FROM_VEHICLE = "theft-from-vehicle", "Theft from a vehicle"
    THEFT_OF_VEHICLE = "theft-of-vehicle", "Theft of a vehicle"
    VEHICLE_INTERFERENCE = "vehicle-interference", "Vehicle interference"
    VIOLENCE = "violence", "Violence"
    DRUGS = "drugs", "Drugs"
    OTHER = "other", "Other"


# How the category reads in a sentence: "3 burglaries (dwelling)", "1 theft from a vehicle".
CATEGORY_WORDS = {
    OffenceCategory.BURGLARY_DWELLING: ("burglary (dwelling)", "burglaries (dwelling)"),
    OffenceCategory.ROBBERY_PERSONAL: ("robbery (personal)", "robberies (personal)"),
    OffenceCategory.THEFT_FROM_VEHICLE: ("theft from a vehicle", "thefts from vehicles"),
    OffenceCategory.THEFT_OF_VEHICLE: ("theft of a vehicle", "thefts of vehicles"),
    OffenceCategory.VEHICLE_INTERFERENCE: ("vehicle interference", "vehicle interferences"),
    OffenceCategory.VIOLENCE: ("violent offence", "violent offences"),
    OffenceCategory.DRUGS: ("drugs offence", "drugs offences"),
    OffenceCategory.OTHER: ("other offence", "other offences"),
}


class OffenceType(models.Model):
    """An offence as the police systems code it, with its category and ACPO gravity (1-4)."""

    code = models.CharField(
        max_length=20, unique=True, help_text="The Home Office offence code, e.g. 28/1."
    )
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=30, choices=OffenceCategory.choices)
    gravity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text="ACPO gravity factor: 1 (low) to 4 (high).",
    )
    ogrs3_category = models.CharField(
        "OGRS3 category",
        max_length=30,
        choices=[(c.code, c.label) for c in OGRS3_V3.offence_categories],
        blank=True,
        help_text="The OGRS3 current-offence category; empty: people whose current offence "
        "is of this type cannot be scored until it is set.",
    )

    class Meta:
        ordering = ["category", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gravity__gte=1, gravity__lte=4), name="offence_type_gravity_1_to_4"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class SourcedRecord(models.Model):
    """A row of the history as one source system knows it."""

    source = models.CharField(
        max_length=40,
        default=OFFICER_SOURCE,
        help_text="The system the row came from (officer for rows typed in here).",
    )
    external_ref = models.CharField("External reference", max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class CorrectableRecord(SourcedRecord):
    """A row officers (and feeds) may correct: ``version`` refuses a save based on a stale
    copy (iom.locking); ``recorded_by`` is empty for rows that came from a feed."""

    # Database defaults too: the feeds' bulk loaders and the benchmarks write with COPY.
    version = models.PositiveIntegerField(default=1, db_default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        abstract = True


def _unique_ref(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=["source", "external_ref"], name=f"{name}_unique_ref")


class DetectionOutcome(models.TextChoices):
    CHARGED = "charged", "Charged"
    CONVICTED = "convicted", "Convicted"
    TAKEN_INTO_CONSIDERATION = "tic", "Taken into consideration"


class SanctionKind(models.TextChoices):
    """What OGRS3 counts as a sanction: a conviction or a caution."""

    NONE = "", "No sanction (yet)"
    CONVICTION = "conviction", "Conviction"
    CAUTION = "caution", "Caution"


class DetectedOffence(CorrectableRecord):
    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="detected_offences")
    committed_on = models.DateField("Date of offence")
    offence_type = models.ForeignKey(OffenceType, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=10, choices=DetectionOutcome.choices)
    location = models.CharField(max_length=200, blank=True)
    sanction = models.CharField(max_length=10, choices=SanctionKind.choices, blank=True)
    sanction_date = models.DateField(null=True, blank=True)
    # Where it happened, in British National Grid metres (reports: geography).
    scene_easting = models.PositiveIntegerField(
        null=True, blank=True, validators=[validate_easting]
    )
    scene_northing = models.PositiveIntegerField(
        null=True, blank=True, validators=[validate_northing]
    )

    class Meta:
        ordering = ["-committed_on", "-id"]
        constraints = [
            _unique_ref("detected_offence"),
            models.CheckConstraint(
                condition=coordinates_check("scene_easting", "scene_northing"),
                name="detected_offence_scene_in_great_britain",
            ),
            models.CheckConstraint(
                condition=Q(sanction="", sanction_date__isnull=True)
                | ~Q(sanction="") & Q(sanction_date__isnull=False),
                name="detected_offence_sanction_has_date",
            ),
        ]
        indexes = [models.Index(fields=["nominal", "committed_on"], name="detection_recent")]

    def __str__(self) -> str:
        return f"{self.offence_type.name} on {long_date(self.committed_on)}"


class ArrestGrounds(models.TextChoices):
    EVIDENCE = "evidence", "Evidence"
    SUSPICION = "suspicion", "Suspicion"
    FORENSIC = "forensic", "Forensic identification"


class Arrest(CorrectableRecord):
    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="arrests")
    arrested_on = models.DateField("Date of arrest")
    offence_type = models.ForeignKey(OffenceType, on_delete=models.PROTECT, related_name="+")
    grounds = models.CharField(max_length=10, choices=ArrestGrounds.choices)
    location = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-arrested_on", "-id"]
        constraints = [_unique_ref("arrest")]
        indexes = [models.Index(fields=["nominal", "arrested_on"], name="arrest_recent")]

    def __str__(self) -> str:
        return f"Arrest for {self.offence_type.name} on {long_date(self.arrested_on)}"


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
            _unique_ref("intelligence_report"),
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
        _unique_ref(name),
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
