"""Factories for documents. A ready document carries a small real PDF (rendered once per
text), so that downloads can be checked without rendering a whole document in every test."""

import functools

import factory
from django.core.files.base import ContentFile

from tests import factories


@functools.cache
def pdf_with_text(text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p><p>OFFICIAL-SENSITIVE</p>").write_pdf()


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reports.Document"

    nominal = factory.SubFactory(factories.NominalFactory)
    kind = "recall-pack"
    requested_by = factory.SubFactory(factories.IomOfficerFactory)


class ReadyDocumentFactory(DocumentFactory):
    status = "ready"
    page_count = 1
    file = factory.LazyAttribute(
        lambda o: ContentFile(pdf_with_text(o.nominal.full_name), name="document.pdf")
    )
