"""Who is managed: nominals (offenders), their aliases and where they live."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from iom import access
from iom.models import LEAD_AGENCY_KINDS, Agency

from ..coordinates import coordinates_check, validate_easting, validate_northing
from ..dates import validate_date_of_birth
from ..identifiers import (
    CRN_PATTERN,
    CRO_NUMBER_PATTERN,
    PNC_ID_PATTERN,
    PRISON_NUMBER_PATTERN,
    validate_crn,
    validate_cro_number,
    validate_pnc_id,
    validate_prison_number,
)


class AreaKind(models.TextChoices):
    CITY = "city", "City"
    COUNTY = "county", "County"


class NeighbourhoodPolicingArea(models.Model):
    """A neighbourhood policing area, in the City or the County part of the force area."""

    name = models.CharField(max_length=120, unique=True)
    area = models.CharField(max_length=10, choices=AreaKind.choices)

    class Meta:
        ordering = ["area", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_area_display()})"


class Gender(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    OTHER = "other", "Other"
    NOT_KNOWN = "unknown", "Not known"


class NominalQuerySet(models.QuerySet["Nominal"]):
    def visible_to(self, user, perm: str = "view") -> models.QuerySet["Nominal"]:
        """The nominals this user may see (or change, with ``perm="change"``)."""
        return access.restrict(self, user, perm)


class Nominal(models.Model):
    """A person on, or being considered for, the IOM cohort."""

    first_names = models.CharField(max_length=100)
    surname = models.CharField(max_length=100, db_index=True)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=10, choices=Gender.choices, default=Gender.NOT_KNOWN)

    pnc_id = models.CharField(
        "PNC ID", max_length=13, null=True, blank=True, validators=[validate_pnc_id]
    )
    cro_number = models.CharField(
        "CRO number", max_length=13, null=True, blank=True, validators=[validate_cro_number]
    )
    crn = models.CharField(
        "Probation case reference (CRN)",
        max_length=7,
        null=True,
        blank=True,
        validators=[validate_crn],
    )
    prison_number = models.CharField(
        max_length=7, null=True, blank=True, validators=[validate_prison_number]
    )

    address_line_1 = models.CharField("Address line 1", max_length=120, blank=True)
    address_line_2 = models.CharField("Address line 2", max_length=120, blank=True)
    town = models.CharField("Town or city", max_length=80, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    neighbourhood = models.ForeignKey(
        NeighbourhoodPolicingArea,
        verbose_name="Neighbourhood policing area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominals",
    )
    # Where the home is, in British National Grid metres (reports: distance to offences).
    home_easting = models.PositiveIntegerField(
        "Home easting", null=True, blank=True, validators=[validate_easting]
    )
    home_northing = models.PositiveIntegerField(
        "Home northing", null=True, blank=True, validators=[validate_northing]
    )

    lead_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_nominals",
        limit_choices_to={"kind__in": LEAD_AGENCY_KINDS},
    )
    offender_managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="managed_nominals"
    )

    # The name of the photograph in the storage backend (never a public URL: it is served
    # by an access-checked view, cohorts:photograph). Empty when there is none.
    photograph = models.CharField(max_length=255, blank=True, editable=False)

    # Optimistic locking: every saved change increments it; a change based on an older
    # version is refused (iom.locking).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NominalQuerySet.as_manager()

    # Set on the rows of a page of the cohort list by ``list_queries.with_manager_names``;
    # not stored.
    manager_names: list[str]

    class Meta:
        ordering = ["surname", "first_names", "id"]
        permissions = [("disclose_nominal", "Can export or download a nominal's record")]
        constraints = [
            models.UniqueConstraint(
                fields=["pnc_id"], condition=Q(pnc_id__isnull=False), name="nominal_unique_pnc_id"
            ),
            models.UniqueConstraint(
                fields=["cro_number"],
                condition=Q(cro_number__isnull=False),
                name="nominal_unique_cro_number",
            ),
            models.UniqueConstraint(
                fields=["crn"], condition=Q(crn__isnull=False), name="nominal_unique_crn"
            ),
            models.UniqueConstraint(
                fields=["prison_number"],
                condition=Q(prison_number__isnull=False),
                name="nominal_unique_prison_number",
            ),
            models.CheckConstraint(
                condition=Q(pnc_id__isnull=True) | Q(pnc_id__regex=PNC_ID_PATTERN),
                name="nominal_pnc_id_format",
            ),
            models.CheckConstraint(
                condition=Q(cro_number__isnull=True) | Q(cro_number__regex=CRO_NUMBER_PATTERN),
                name="nominal_cro_number_format",
            ),
            models.CheckConstraint(
                condition=Q(crn__isnull=True) | Q(crn__regex=CRN_PATTERN),
                name="nominal_crn_format",
            ),
            models.CheckConstraint(
                condition=Q(prison_number__isnull=True)
                | Q(prison_number__regex=PRISON_NUMBER_PATTERN),
                name="nominal_prison_number_format",
            ),
            models.CheckConstraint(
                condition=coordinates_check("home_easting", "home_northing"),
                name="nominal_home_in_great_britain",
            ),
        ]
        indexes = [models.Index(fields=["surname", "date_of_birth"], name="nominal_name_dob")]

    def __str__(self) -> str:
        return self.full_name

    def clean(self):
        # Here rather than as a field validator, which would need a migration for no change
        # to the database; full_clean (which every service calls) runs it all the same.
        _clean_date_of_birth(self)

    @property
    def full_name(self) -> str:
        return f"{self.first_names} {self.surname}"

    @property
    def listed_name(self) -> str:
        """Surname first, as on police systems: ``SMITH, John``."""
        return f"{self.surname.upper()}, {self.first_names}"

    @property
    def area(self) -> str:
        return self.neighbourhood.get_area_display() if self.neighbourhood else ""

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    def age_on(self, day) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _clean_date_of_birth(record) -> None:
    try:
        validate_date_of_birth(record.date_of_birth)
    except ValidationError as error:
        raise ValidationError({"date_of_birth": error.error_list}) from None


class Alias(models.Model):
    """Another name (and sometimes another date of birth) a nominal is known by."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="aliases")
    first_names = models.CharField(max_length=100, blank=True)
    surname = models.CharField(max_length=100, db_index=True)
    date_of_birth = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["surname", "first_names"]
        verbose_name_plural = "aliases"

    def __str__(self) -> str:
        return f"{self.first_names} {self.surname}".strip()

    def clean(self):
        _clean_date_of_birth(self)


# Object permissions on nominals, with a direct foreign key instead of guardian's generic one,
# so that filtering a queryset by permission is a plain join.
class NominalUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Nominal, on_delete=models.CASCADE)


class NominalGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Nominal, on_delete=models.CASCADE)
