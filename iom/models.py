"""The shared core: agencies, teams, users and the audit log."""

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils import timezone
from rest_framework.authtoken.models import TokenProxy


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police"
    NPS = "nps", "National Probation Service"
    CRC = "crc", "Community Rehabilitation Company"
    YOUTH_OFFENDING = "yos", "Youth Offending Service"
    PRISON = "prison", "Prison"
    DRUG_ALCOHOL = "drugs", "Drug & alcohol service"
    HOUSING = "housing", "Housing"
    LOCAL_AUTHORITY = "council", "Local authority"
    HEALTH = "health", "Health"
    OTHER = "other", "Other"


# The agencies that may lead a case (DOMAIN.md: Police, NPS or CRC).
LEAD_AGENCY_KINDS = (AgencyKind.POLICE, AgencyKind.NPS, AgencyKind.CRC)
SHORT_NAMES: dict[str, str] = {
    AgencyKind.POLICE: "Police",
    AgencyKind.NPS: "NPS",
    AgencyKind.CRC: "CRC",
}


class Agency(models.Model):
    """An organisation in the IOM partnership. Its members share one permission group."""

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="agency")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    @property
    def can_lead(self) -> bool:
        return self.kind in LEAD_AGENCY_KINDS

    @property
    def short_name(self) -> str:
        """How officers name a lead agency in a crowded table: Police, NPS or CRC."""
        return SHORT_NAMES.get(self.kind, self.name)


class Team(models.Model):
    """A team inside an agency. The IOM unit is the team (or teams) that manages the cohort."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=120)
    is_iom_unit = models.BooleanField(
        default=False,
        help_text="Officers and managers of an IOM unit team see the whole cohort.",
    )
    is_case_holding = models.BooleanField(
        "Case-holding team",
        default=False,
        help_text=(
            "Receives the cases its agency leads: a person accepted with this agency as lead "
            "is shared with this team."
        ),
    )
    is_neighbourhood = models.BooleanField(
        "Neighbourhood policing team",
        default=False,
        help_text="Receives cases devolved from the cohort, and sees only those.",
    )
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="team")

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="team_unique_name_in_agency")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.name})"


class OffendingCover(models.TextChoices):
    NONE = "none", "Not shared"
    CONVICTIONS = "convictions", "Convictions, cautions and charges only"
    WITH_ARRESTS = "arrests", "Convictions with arrests"


class PathwaysCover(models.TextChoices):
    NONE = "none", "Not shared"
    SUMMARY = "summary", "Summary: need level and status of each pathway"
    FULL = "full", "Full: contact, aims, actions and reviews"


class SharingAgreement(models.Model):
    """An information-sharing agreement: which agencies share what, why and until when.

    A partner (anyone outside the IOM unit) sees a person's record only while a live
    agreement names their agency as a party, and then only the sections the agreement
    covers. Where several live agreements name the agency, it sees what any of them covers.
    """

    name = models.CharField(max_length=160, unique=True)
    parties = models.ManyToManyField(Agency, related_name="sharing_agreements")
    purpose = models.TextField()
    legal_basis = models.TextField(
        help_text="For police: the Data Protection Act 2018 Part 3 and the Crime and Disorder "
        "Act 1998 s.115."
    )
    starts_on = models.DateField("Start date")
    review_on = models.DateField("Review date")
    ends_on = models.DateField("End date", null=True, blank=True)
    # The sections of a person's record the agreement covers.
    covers_identity = models.BooleanField(
        "Identity", default=True, help_text="Name, date of birth, identifiers and address."
    )
    offending = models.CharField(
        "Offending", max_length=12, choices=OffendingCover.choices, default=OffendingCover.NONE
    )
    covers_intelligence = models.BooleanField(
        "Intelligence",
        default=False,
        help_text="Only reports whose handling code permits sharing, and never an informant's.",
    )
    covers_risk = models.BooleanField("Risk", default=False)
    covers_controls = models.BooleanField("Control measures", default=False)
    covers_contacts = models.BooleanField(
        "Contacts",
        default=False,
        help_text="Only the contacts and case notes the IOM unit marked as shared.",
    )
    pathways = models.CharField(
        "Pathways", max_length=10, choices=PathwaysCover.choices, default=PathwaysCover.SUMMARY
    )
    covers_documents = models.BooleanField("Documents", default=False)
    ends_with_membership = models.BooleanField(
        "Sharing ends with membership",
        default=True,
        help_text="When a person leaves the cohort, stop sharing their record with the "
        "partner teams it was shared with at the panel.",
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_live(self, on) -> bool:
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)

    def is_review_overdue(self, on) -> bool:
        return self.is_live(on) and self.review_on < on


class Role(models.TextChoices):
    IOM_OFFICER = "officer", "IOM officer"
    PARTNER_WORKER = "partner", "Partner worker"
    MANAGER = "manager", "Manager"
    ADMINISTRATOR = "admin", "Administrator"


class User(AbstractUser):
    """A person who signs in. Every user belongs to one agency and has one role."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="members", null=True, blank=True
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTNER_WORKER)
    job_title = models.CharField(max_length=120, blank=True)
    is_system_account = models.BooleanField(
        "System account",
        default=False,
        help_text=(
            "An account used by another system through the API. Only system accounts may "
            "sign in with an API token; people sign in with a password and a second factor."
        ),
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_superuser=True) | models.Q(agency__isnull=False),
                name="user_belongs_to_an_agency",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_manager(self) -> bool:
        """A manager of any agency. Cohort-wide pages need ``is_iom_manager``."""
        return self.role == Role.MANAGER

    @property
    def is_iom_unit(self) -> bool:
        return self.team is not None and self.team.is_iom_unit

    @property
    def is_iom_manager(self) -> bool:
        """A manager of an IOM unit team: reports, geography, audit trails, sharing."""
        return self.is_active and self.role == Role.MANAGER and self.is_iom_unit

    @property
    def is_administrator(self) -> bool:
        """Administrators run the service; they see no case record, whatever their agency."""
        return self.role == Role.ADMINISTRATOR or self.is_superuser

    @property
    def sees_whole_cohort(self) -> bool:
        """IOM officers and managers of an IOM unit team see every nominal."""
        return (
            self.is_active
            and not self.is_superuser
            and self.role in (Role.IOM_OFFICER, Role.MANAGER)
            and self.is_iom_unit
        )


class AuditAction(models.TextChoices):
    # The kinds of processing that s.62 of the Data Protection Act 2018 requires to be logged.
    COLLECTION = "collection", "Collection"
    ALTERATION = "alteration", "Alteration"
    CONSULTATION = "consultation", "Consultation"
    DISCLOSURE = "disclosure", "Disclosure"
    COMBINATION = "combination", "Combination"
    ERASURE = "erasure", "Erasure"
    SEARCH = "search", "Search"
    SIGN_IN = "sign-in", "Sign-in"
    SIGN_IN_FAILED = "sign-in-failed", "Failed sign-in"


class AuditSubject(models.TextChoices):
    """The kinds of data subject an audit event can concern."""

    PERSON = "person", "Person"


class AuditEventQuerySet(models.QuerySet):
    def about(self, person) -> "AuditEventQuerySet":
        """The events that concern one person (a model instance or its primary key): one
        indexed query, whether or not the person's record still exists."""
        pk = getattr(person, "pk", person)
        return self.filter(subject_type=AuditSubject.PERSON, subject_id=pk)

    def update(self, **kwargs):
        raise PermissionError("Audit events cannot be changed.")

    def delete(self):
        raise PermissionError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One logged act of processing. Written once, never changed or deleted.

    Who, from which agency, when, what record, what action; for a disclosure the format and
    the recipient. On PostgreSQL a trigger refuses UPDATE and DELETE on this table.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    # Copies, so that the row still says who acted if a name or agency changes later.
    username = models.CharField(max_length=150)
    agency_name = models.CharField(max_length=120, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    # The person the processing concerns, by a typed reference rather than a foreign key: the
    # core knows no domain app, and the trail outlives a record erased under a decision.
    subject_type = models.CharField(
        max_length=20, choices=AuditSubject.choices, blank=True, default="", db_default=""
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    description = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    disclosure_format = models.CharField(max_length=20, blank=True)
    recipient = models.CharField(max_length=255, blank=True)
    # The agreement under which a partner consulted or was disclosed the record.
    agreement = models.ForeignKey(
        SharingAgreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    reason = models.CharField(max_length=255, blank=True)
    path = models.CharField(max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    # Set by ``audit.with_subject_names`` for display; not stored.
    subject_name: str | None = ""

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(
                fields=["subject_type", "subject_id", "-at", "-id"], name="audit_subject_at"
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events cannot be deleted.")

    @property
    def person_id(self) -> int | None:
        """The primary key of the person this event concerns, if it concerns one."""
        return self.subject_id if self.subject_type == AuditSubject.PERSON else None

    @person_id.setter
    def person_id(self, pk: int | None) -> None:
        self.subject_type = AuditSubject.PERSON if pk is not None else ""
        self.subject_id = pk


class Heartbeat(models.Model):
    """The last time each background process proved it was alive (shown on the status page)."""

    source = models.CharField(max_length=40, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField()
    count = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.source} at {self.at:%Y-%m-%d %H:%M:%S}"


class SystemToken(TokenProxy):
    """An API token as the admin shows it: named by its account, never by its key (Django's
    admin puts an object's name in page titles, breadcrumbs and its log of recent actions,
    which every administrator reads)."""

    class Meta:
        proxy = True
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"API token of {self.user.username}"
