"""Requesting and rendering documents."""

from __future__ import annotations

import logging
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cohorts.controls.models import Recall, RecallStatus
from cohorts.models import Nominal
from iom import access, audit, jobs
from iom.formatting import in_sentence
from iom.models import AuditAction

from .documents.render import render_pdf
from .documents.sources import gather
from .jobs import DOCUMENTS
from .models import Document, DocumentKind, DocumentStatus
from .queries import covers_documents

logger = logging.getLogger(__name__)


def can_disclose(user, nominal: Nominal) -> bool:
    """Documents leave the system: they need the ``disclose`` permission on the person, and
    agreements that cover every section a document holds."""
    if not covers_documents(user):
        return False
    return access.can(user, "disclose", nominal)


def not_recalled_exists(nominal: Nominal) -> bool:
    return Recall.objects.filter(nominal=nominal, status=RecallStatus.NOT_RECALLED).exists()


def request_document(nominal: Nominal, *, by, kind: str) -> Document:
    """Queue a document about a person; a worker renders it (inline on the embedded default).

    Refuses a user who may not disclose the person's record and an unknown kind. The task is
    sent once the request is committed, so a worker never looks for a row it cannot see yet;
    when the broker cannot take it, the request stays saved and queued, ``is_unsent`` says
    so, and the sweeper sends it when the broker is back (docs/jobs.md).
    """
    document = _create_request(nominal, by=by, kind=kind)
    jobs.publish_on_commit(DOCUMENTS, document)
    return document


@transaction.atomic
def _create_request(nominal: Nominal, *, by, kind: str) -> Document:
    actor = audit.as_actor(by)
    if actor.user is None or not can_disclose(actor.user, nominal):
        raise PermissionDenied("You cannot produce documents about this person.")
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": "Select the document to produce"})
    if kind == DocumentKind.NO_RECALL_LETTER and not not_recalled_exists(nominal):
        raise ValidationError(
            {
                "kind": "There is no countersigned decision not to recall this person: the "
                "letter follows that decision"
            }
        )
    document = Document.objects.create(nominal=nominal, kind=kind, requested_by=actor.user)
    audit.record(
        actor,
        AuditAction.COMBINATION,
        document,
        nominal=nominal,
        description=f"Requested a {in_sentence(document.get_kind_display())}",
    )
    return document


def render_document(document_id: int, *, task_id: str = "", in_worker: bool = False) -> Document:
    """Render a queued document to PDF and store it, under a lease (iom/jobs.py). Safe to run
    twice: a document finished, or being rendered under another worker's live lease, is left
    alone. A failure (rendering, time limit, storage) is recorded on the document with the
    reason the user reads, and logged."""
    lease = jobs.claim(
        DOCUMENTS, document_id, task_id=task_id, heartbeat=in_worker, started_at=timezone.now()
    )
    if lease is None:
        return Document.objects.get(pk=document_id)
    with lease:
        _render(lease, lease.job)
    return Document.objects.get(pk=document_id)


def _render(lease: jobs.Lease, document: Document) -> None:
    started = time.perf_counter()
    try:
        data = gather(document.nominal_id, requested_by=document.requested_by)
        pdf, pages = render_pdf(document.kind, data)
    except SoftTimeLimitExceeded:
        logger.warning("Rendering document %s took too long", document.pk)
        lease.fail("Producing the document took too long and was stopped.")
        return
    except Exception as error:  # any failure must reach the user as "failed", not hang
        logger.exception("Rendering document %s failed", document.pk)
        lease.fail(f"The document could not be produced ({type(error).__name__}: {error}).")
        return
    try:
        field = document.file.field
        name = field.storage.save(
            field.generate_filename(document, document.filename), ContentFile(pdf)
        )
    except Exception as error:  # an unwritable or full store: the user is told, not left waiting
        logger.exception("Storing document %s failed", document.pk)
        lease.fail(f"The document was produced but could not be stored ({error}).")
        return
    finished = lease.finish(
        status=DocumentStatus.READY,
        file=name,
        page_count=pages,
        size_bytes=len(pdf),
        render_seconds=time.perf_counter() - started,
        completed_at=timezone.now(),
        error="",
    )
    if not finished:  # the sweeper gave the document to another worker meanwhile
        document.file.storage.delete(name)


def record_download(request_or_actor, document: Document) -> None:
    """A download is a disclosure of the person's record to the user who downloads it."""
    actor = audit.as_actor(request_or_actor)
    user = actor.user
    audit.record(
        actor,
        AuditAction.DISCLOSURE,
        document,
        nominal=document.nominal,
        description=f"Downloaded the {in_sentence(document.get_kind_display())} (PDF)",
        disclosure_format="pdf",
        recipient=f"{user} ({getattr(user, 'agency', None) or 'no agency'})",
    )


FILE_MISSING = "The stored file has gone missing. Produce the document again."


def file_missing(request_or_actor, document: Document) -> None:
    """A ready document's stored file cannot be found: the document is marked failed (its
    page and the list stop offering the download), the attempt is logged as a consultation
    of the record that disclosed nothing, and the operator is told in the log."""
    actor = audit.as_actor(request_or_actor)
    logger.error("The file of document %s (%s) is missing", document.pk, document.file.name)
    with transaction.atomic():
        Document.objects.filter(pk=document.pk, status=DocumentStatus.READY).update(
            status=DocumentStatus.FAILED, error=FILE_MISSING
        )
        audit.record(
            actor,
            AuditAction.CONSULTATION,
            document,
            nominal=document.nominal,
            description=f"Tried to download the {in_sentence(document.get_kind_display())}: its "
            "stored file is missing, nothing was disclosed",
        )
    document.status, document.error = DocumentStatus.FAILED, FILE_MISSING
