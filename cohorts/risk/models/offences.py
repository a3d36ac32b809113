"""Offence types, and the detected offences and arrests of a person's offending history."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from cohorts.coordinates import coordinates_check, validate_easting, validate_northing
from cohorts.models import Nominal
from cohorts.risk.ogrs3.reference import OGRS3_V3
from iom.formatting import long_date

from .records import CorrectableRecord, unique_ref


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
            unique_ref("detected_offence"),
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
        indexes = [
            models.Index(fields=["nominal", "committed_on"], name="detection_recent"),
            # What was recorded since the last ranking (the Risk section), newest first.
            models.Index(fields=["nominal", "created_at", "id"], name="detection_recorded"),
        ]

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
        constraints = [unique_ref("arrest")]
        indexes = [
            models.Index(fields=["nominal", "arrested_on"], name="arrest_recent"),
            models.Index(fields=["nominal", "created_at", "id"], name="arrest_recorded"),
        ]

    def __str__(self) -> str:
        return f"Arrest for {self.offence_type.name} on {long_date(self.arrested_on)}"
