"""HTML to PDF with WeasyPrint: A4, the protective marking and the person on every page.

Nothing is fetched from the network: the stylesheet is inline in the template and the font
is the system's DejaVu Sans, so a worker without internet access renders the same document.

Speed (a recall pack for a long history is eight or more pages): the stylesheet is small and
flat, tables use fixed layout with set column widths, and each thread keeps one font
configuration across renders, so fonts are looked up and loaded once rather than per
document. ``python -m tests.benchmarks.documents`` measures it.
"""

from __future__ import annotations

import io
import threading

from django.template.loader import render_to_string

from ..models import DocumentKind
from .sources import DocumentData

MARKING = "OFFICIAL-SENSITIVE"

TEMPLATES = {
    DocumentKind.RECALL_PACK: "reports/pdf/recall_pack.html",
    DocumentKind.COURT_BRIEFING: "reports/pdf/court_briefing.html",
    DocumentKind.RAG: "reports/pdf/rag.html",
    DocumentKind.NO_RECALL_LETTER: "reports/pdf/no_recall_letter.html",
}


_fonts = threading.local()


def _font_config():
    """This thread's font configuration (Pango's font map is not shared between threads)."""
    config = getattr(_fonts, "config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _fonts.config = FontConfiguration()
    return config


class NetworkFetchRefused(Exception):
    pass


def _only_data_uris():
    """A fetcher that reads ``data:`` URIs only (the person's photograph, embedded by
    ``sources``) and refuses anything else, stopping the render rather than reaching out."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


def _no_network(url: str, *args, **kwargs):
    """For a render that embeds nothing: every fetch is refused."""
    raise NetworkFetchRefused(f"Documents fetch nothing: refused {url}")


def render_html(kind: str, data: DocumentData) -> str:
    return render_to_string(
        TEMPLATES[DocumentKind(kind)],
        {"data": data, "nominal": data.nominal, "marking": MARKING, "kind": DocumentKind(kind)},
    )


def render_pdf(kind: str, data: DocumentData) -> tuple[bytes, int]:
    """The PDF and its number of pages."""
    from weasyprint import HTML

    document = HTML(string=render_html(kind, data), url_fetcher=_only_data_uris()).render(
        font_config=_font_config()
    )
    buffer = io.BytesIO()
    document.write_pdf(buffer)
    return buffer.getvalue(), len(document.pages)
