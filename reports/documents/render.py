"""HTML to PDF with WeasyPrint: A4, the protective marking and the person on every page.

Nothing is fetched from the network: the stylesheet is inline in the template and the fonts
are the system's (DejaVu or Liberation), so a worker without internet access renders the same
document.
"""

from __future__ import annotations

import io

from django.template.loader import render_to_string

from ..models import DocumentKind
from .sources import DocumentData

MARKING = "OFFICIAL-SENSITIVE"

TEMPLATES = {
    DocumentKind.RECALL_PACK: "reports/pdf/recall_pack.html",
    DocumentKind.COURT_BRIEFING: "reports/pdf/court_briefing.html",
    DocumentKind.RAG: "reports/pdf/rag.html",
}


class NetworkFetchRefused(Exception):
    pass


def _no_network(url: str, *args, **kwargs):
    raise NetworkFetchRefused(f"Documents fetch nothing: refused {url}")


def render_html(kind: str, data: DocumentData) -> str:
    return render_to_string(
        TEMPLATES[DocumentKind(kind)],
        {"data": data, "nominal": data.nominal, "marking": MARKING, "kind": DocumentKind(kind)},
    )


def render_pdf(kind: str, data: DocumentData) -> tuple[bytes, int]:
    """The PDF and its number of pages."""
    from weasyprint import HTML

    document = HTML(string=render_html(kind, data), url_fetcher=_no_network).render()
    buffer = io.BytesIO()
    document.write_pdf(buffer)
    return buffer.getvalue(), len(document.pages)
