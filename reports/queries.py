"""Read paths for documents, filtered through iom.access."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from cohorts.models import Nominal
from iom import sharing
from iom.access import restrict_by_nominal

from .models import Document


def visible_documents(user, action: str = "view") -> QuerySet[Document]:
    return restrict_by_nominal(
        Document.objects.all(), user, action, section=sharing.DOCUMENTS
    ).select_related("nominal", "requested_by")


def documents_of(nominal: Nominal) -> QuerySet[Document]:
    return Document.objects.filter(nominal=nominal).select_related("requested_by")


def document_of(nominal: Nominal, document_id: int) -> Document:
    return get_object_or_404(documents_of(nominal), pk=document_id)
