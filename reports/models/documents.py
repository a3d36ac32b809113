"""Generated documents (PDF) about one person, and their rendering progress."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cohorts.models import Nominal
from iom.formatting import long_datetime
from iom.jobs import Job


class DocumentKind(models.TextChoices):
    RECALL_PACK = "recall-pack", "Licence recall pack"
    COURT_BRIEFING = "court-briefing", "Control-court briefing"
    RAG = "rag", "RAG document"
    NO_RECALL_LETTER = "no-recall-letter", "Decision not to recall letter"


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


def document_path(document: "Document", filename: str) -> str:
    return f"documents/{document.nominal_id}/{filename}"


class Document(Job):
    """One document requested about a person. The PDF is written through the storage API, so
    any web process can serve what any worker rendered. Its worker holds a lease on it
    (iom/jobs.py, docs/jobs.md)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    status = models.CharField(
        max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED
    )
    file = models.FileField(upload_to=document_path, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    size_bytes = models.PositiveIntegerField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="requested_documents"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["nominal", "-requested_at"], name="document_latest")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ready") | ~Q(file=""), name="document_ready_has_file"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {long_datetime(self.requested_at)}"

    @property
    def is_ready(self) -> bool:
        return self.status == DocumentStatus.READY

    @property
    def is_finished(self) -> bool:
        return self.status in (DocumentStatus.READY, DocumentStatus.FAILED)

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.nominal_id}-{self.requested_at:%Y%m%d-%H%M}.pdf"
