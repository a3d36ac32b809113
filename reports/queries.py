"""Read paths for documents, filtered through iom.access."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from cohorts.models import Nominal
from iom import sharing
from iom.access import restrict_by_nominal

from .models import Document

# What the documents draw on: a user whose agreements do not cover all of it may not produce,
# follow or download them, since a document would show them sections they may not see.
DOCUMENT_SECTIONS = (
    sharing.DOCUMENTS,
    sharing.OFFENDING,
    sharing.RISK,
    sharing.CONTROLS,
    sharing.PATHWAYS,
)


def covers_documents(user) -> bool:
    terms = sharing.terms_for(user)
    return all(terms.covers(section) for section in DOCUMENT_SECTIONS)


def visible_documents(user, action: str = "view") -> QuerySet[Document]:
    queryset = restrict_by_nominal(Document.objects.all(), user, action, section=sharing.DOCUMENTS)
    if not covers_documents(user):
        queryset = queryset.none()
    return queryset.select_related("nominal", "requested_by")


def documents_of(nominal: Nominal) -> QuerySet[Document]:
    return Document.objects.filter(nominal=nominal).select_related("requested_by")


def document_of(nominal: Nominal, document_id: int) -> Document:
    return get_object_or_404(documents_of(nominal), pk=document_id)
