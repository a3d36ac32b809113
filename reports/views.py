"""The Documents section of a person's record: request, follow and download documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from cohorts import queries as cohort_queries
from cohorts.sections import record_consultation, section_context
from iom import audit, sharing

from . import queries, services
from .forms import DocumentRequestForm

SECTION = "documents"


@login_required
def documents(request, pk: int):
    """The person's documents, and the form to request one (for users who may disclose)."""
    nominal = cohort_queries.nominal_for(request.user, pk, section=sharing.DOCUMENTS)
    may_disclose = services.can_disclose(request.user, nominal)
    form = DocumentRequestForm(
        request.POST or None, initial={"kind": request.GET.get("kind") or None}
    )
    if request.method == "POST":
        if not may_disclose:
            raise Http404("No such person.")
        if form.is_valid():
            try:
                document = services.request_document(
                    nominal, by=audit.actor_from_request(request), kind=form.cleaned_data["kind"]
                )
            except (PermissionDenied, ValidationError) as error:
                form.add_error(None, getattr(error, "messages", [str(error)]))
            else:
                return redirect("reports:document", pk=pk, document_id=document.pk)
    else:
        record_consultation(request, nominal, SECTION)
    context = section_context(
        request,
        nominal,
        SECTION,
        form=form,
        may_disclose=may_disclose,
        documents=queries.documents_of(nominal)[:50],
    )
    return render(request, "reports/documents.html", context, status=400 if form.errors else 200)


def _require_documents_covered(user) -> None:
    if not queries.covers_documents(user):
        raise PermissionDenied(
            "Your agency's information-sharing agreement does not cover every section a "
            "document holds (offending, risk, control measures and pathways)."
        )


@login_required
def document_status(request, pk: int, document_id: int):
    """Where a document is: queued, rendering, ready (or failed). Refreshes itself while not
    finished."""
    nominal = cohort_queries.nominal_for(request.user, pk, "disclose", section=sharing.DOCUMENTS)
    _require_documents_covered(request.user)
    document = queries.document_of(nominal, document_id)
    record_consultation(request, nominal, SECTION)
    context = section_context(request, nominal, SECTION, document=document)
    return render(request, "reports/document_status.html", context)


@login_required
def document_download(request, pk: int, document_id: int):
    """The PDF, logged as a disclosure to the user who downloads it."""
    nominal = cohort_queries.nominal_for(request.user, pk, "disclose", section=sharing.DOCUMENTS)
    _require_documents_covered(request.user)
    document = queries.document_of(nominal, document_id)
    if not document.is_ready:
        messages.info(request, "The document is not ready yet.")
        return redirect("reports:document", pk=pk, document_id=document.pk)
    try:
        stored = document.file.open("rb")
    except FileNotFoundError:
        services.file_missing(audit.actor_from_request(request), document)
        context = section_context(
            request, nominal, SECTION, document=document, form=DocumentRequestForm()
        )
        return render(request, "reports/document_missing.html", context, status=404)
    services.record_download(audit.actor_from_request(request), document)
    return FileResponse(
        stored, as_attachment=True, filename=document.filename, content_type="application/pdf"
    )
