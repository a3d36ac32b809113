"""Requesting and rendering documents."""

from __future__ import annotations

import logging
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cohorts.models import Nominal
from iom import access, audit
from iom.models import AuditAction

from .documents.render import render_pdf
from .documents.sources import gather
from .models import Document, DocumentKind, DocumentStatus
from .queries import covers_documents

logger = logging.getLogger(__name__)


def can_disclose(user, nominal: Nominal) -> bool:
    """Documents leave the system: they need the ``disclose`` permission on the person, and
    agreements that cover every section a document holds."""
    if not covers_documents(user):
        return False
    return access.can(user, "disclose", nominal)


def request_document(nominal: Nominal, *, by, kind: str) -> Document:
    """Queue a document about a person; a worker renders it (inline on the embedded default).

    Refuses a user who may not disclose the person's record and an unknown kind. The task is
    sent once the request is committed, so a worker never looks for a row it cannot see yet.
    """
    document = _create_request(nominal, by=by, kind=kind)
    from . import tasks

    transaction.on_commit(lambda: tasks.render_document.delay(document.pk))
    return document


@transaction.atomic
def _create_request(nominal: Nominal, *, by, kind: str) -> Document:
    actor = audit.as_actor(by)
    if actor.user is None or not can_disclose(actor.user, nominal):
        raise PermissionDenied("You cannot produce documents about this person.")
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": "Choose the document to produce."})
    document = Document.objects.create(nominal=nominal, kind=kind, requested_by=actor.user)
    audit.record(
        actor,
        AuditAction.COMBINATION,
        document,
        nominal=nominal,
        description=f"Requested a {document.get_kind_display().lower()}",
    )
    return document


def render_document(document_id: int) -> Document:
    """Render a queued document to PDF and store it. Safe to run twice: a document already
    ready (or being rendered by another worker) is left alone. A failure is recorded on the
    document for the user to see, and logged."""
    with transaction.atomic():
        document = (
            Document.objects.select_for_update().select_related("requested_by").get(pk=document_id)
        )
        if document.status != DocumentStatus.QUEUED:
            return document
        document.status = DocumentStatus.RENDERING
        document.started_at = timezone.now()
        document.save(update_fields=["status", "started_at"])
    started = time.perf_counter()
    try:
        data = gather(document.nominal_id, requested_by=document.requested_by)
        pdf, pages = render_pdf(document.kind, data)
    except Exception as error:  # any failure must reach the user as "failed", not hang
        logger.exception("Rendering document %s failed", document.pk)
        Document.objects.filter(pk=document.pk).update(
            status=DocumentStatus.FAILED, error=str(error)[:2000], completed_at=timezone.now()
        )
        document.refresh_from_db()
        return document
    with transaction.atomic():
        document.file.save(document.filename, ContentFile(pdf), save=False)
        document.status = DocumentStatus.READY
        document.page_count = pages
        document.size_bytes = len(pdf)
        document.render_seconds = time.perf_counter() - started
        document.completed_at = timezone.now()
        document.save()
    return document


def record_download(request_or_actor, document: Document) -> None:
    """A download is a disclosure of the person's record to the user who downloads it."""
    actor = audit.as_actor(request_or_actor)
    user = actor.user
    audit.record(
        actor,
        AuditAction.DISCLOSURE,
        document,
        nominal=document.nominal,
        description=f"Downloaded the {document.get_kind_display().lower()} (PDF)",
        disclosure_format="pdf",
        recipient=f"{user} ({getattr(user, 'agency', None) or 'no agency'})",
    )
