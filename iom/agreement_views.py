"""Pages of the information-sharing agreements, for the IOM unit's managers: which are live,
which need review or have lapsed, what each covers, and the disclosures made under each."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from . import audit, sharing
from .models import AuditAction, AuditEvent, SharingAgreement


def _require_iom_manager(user) -> None:
    if not user.is_iom_manager:
        raise PermissionDenied("Sharing agreements are for the IOM unit's managers.")


@login_required
def agreement_list(request):
    _require_iom_manager(request.user)
    today = timezone.localdate()
    agreements = list(SharingAgreement.objects.prefetch_related("parties").order_by("name"))
    rows = [
        {"agreement": a, "status": sharing.agreement_status(a, today), "covers": covers(a)}
        for a in agreements
    ]
    return render(
        request,
        "iom/agreement_list.html",
        {"rows": rows, "warnings": sharing.agreement_warnings(today), "current_section": ""},
    )


@login_required
def agreement_detail(request, pk: int):
    """One agreement, and the disclosures and consultations made under it, newest first."""
    _require_iom_manager(request.user)
    agreement = get_object_or_404(SharingAgreement.objects.prefetch_related("parties"), pk=pk)
    events = AuditEvent.objects.filter(
        agreement=agreement,
        action__in=(AuditAction.DISCLOSURE, AuditAction.CONSULTATION),
    ).order_by("-at", "-id")
    if request.GET.get("action") in (AuditAction.DISCLOSURE, AuditAction.CONSULTATION):
        events = events.filter(action=request.GET["action"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    page.object_list = audit.with_subject_names(page.object_list)
    return render(
        request,
        "iom/agreement_detail.html",
        {
            "agreement": agreement,
            "status": sharing.agreement_status(agreement, timezone.localdate()),
            "covers": covers(agreement),
            "page": page,
            "action": request.GET.get("action", ""),
            "current_section": "",
        },
    )


def covers(agreement: SharingAgreement) -> list[str]:
    """The sections an agreement covers, in words, in the order of a person's record."""
    return [
        sharing.SECTION_NAMES[s].capitalize()
        for s in sharing.ordered(sharing.sections_of(agreement))
    ]
