"""The cohort list's rows, drawn in Python (``iom.components`` says why).

``cohort_rows`` writes the table body of the cohort list: the cohort's own cells, then each
registered column's (``listing.CohortListColumn.cell``), with the classes that hide a cell on
a small screen. Every value is escaped with ``esc``. The membership and engagement tags are the
same functions the person's pages use through the ``cohort_tags`` template filters.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from iom import components, formatting
from iom.components import esc

from .listing import SCREEN_CLASSES, CohortListColumn

MEMBERSHIP_TAGS = {
    "active": ("Active", "green"),
    "custody": ("In custody", "purple"),
    "devolved": ("Devolved", "turquoise"),
    "exited": ("Left", "grey"),
}
ENGAGEMENT_TAGS = {
    "engaged": ("Engaged", "green"),
    "partial": ("Partially engaged", "yellow"),
    "declined": ("Declined", "red"),
}


def membership_tag(status: str | None) -> SafeString:
    return components.tag_of(status, MEMBERSHIP_TAGS, ("Not a member", "grey"))


def engagement_tag(status: str | None) -> SafeString:
    return components.tag_of(status, ENGAGEMENT_TAGS, ("Not yet approached", "grey"))


def _cell(content, screens: str = "") -> str:
    classes = f"govuk-table__cell {screens}" if screens else "govuk-table__cell"
    return f'<td class="{classes}" role="cell">{esc(content)}</td>'


WIDE_ONLY, TABLET_UP = SCREEN_CLASSES["wide"], SCREEN_CLASSES["tablet"]
ANY_ID = 9_876_543_210_123


def _label(text: str) -> str:
    return f'<span class="app-table__cell-label" aria-hidden="true">{esc(text)}</span>'


def _name(nominal, href: str) -> str:
    # Surname first, in capitals as on police systems (Nominal.listed_name); the capitals come
    # from the stylesheet, so screen readers say the name rather than spell it.
    return (
        f'<th scope="row" class="govuk-table__header" role="rowheader"><a class="govuk-link" '
        f'href="{esc(href)}"><span class="app-surname">{esc(nominal.surname)}</span>, '
        f"{esc(nominal.first_names)}</a></th>"
    )


def _membership(nominal) -> SafeString:
    stream = nominal.membership_stream
    shown = f'<br><span class="govuk-body-s">{esc(stream.upper())}</span>' if stream else ""
    return mark_safe(f"{_label('Cohort')}{membership_tag(nominal.membership_status)}{shown}")


def _lead_agency(nominal) -> SafeString | str:
    agency = nominal.lead_agency
    if agency is None:
        return "Not set"
    return mark_safe(f'<abbr title="{esc(agency.name)}">{esc(agency.short_name)}</abbr>')


def _area(nominal) -> SafeString | str:
    if nominal.neighbourhood is None:
        return "Not recorded"
    return mark_safe(f"{esc(nominal.area)}<br>{esc(nominal.neighbourhood.name)}")


def _managers(nominal) -> str:
    # Set on each row of a page by ``list_queries.with_manager_names``.
    return ", ".join(nominal.manager_names) or "None named"


def _column_cell(column: CohortListColumn, nominal) -> str:
    content = esc(column.cell(nominal))
    if column.shown_from == "phone":
        content = mark_safe(_label(column.header) + content)
    return _cell(mark_safe(content), column.cell_classes)


def cohort_row(nominal, columns: list[CohortListColumn], href: str) -> str:
    cells = [
        _name(nominal, href),
        _cell(formatting.short_date(nominal.date_of_birth), TABLET_UP),
        _cell(nominal.pnc_id or "", WIDE_ONLY),
        _cell(_membership(nominal)),
        _cell(engagement_tag(nominal.engagement_status), WIDE_ONLY),
        *(_column_cell(column, nominal) for column in columns),
        _cell(_lead_agency(nominal), WIDE_ONLY),
        _cell(_area(nominal), WIDE_ONLY),
        _cell(_managers(nominal), WIDE_ONLY),
    ]
    return f'<tr class="govuk-table__row" role="row">{"".join(cells)}</tr>'


def cohort_rows(nominals: Iterable, columns: list[CohortListColumn]) -> SafeString:
    # One reverse() for the page: the people's addresses differ only in the id.
    pattern = reverse("cohorts:nominal", args=[ANY_ID])
    rows = (cohort_row(n, columns, pattern.replace(str(ANY_ID), str(n.pk))) for n in nominals)
    return mark_safe("\n".join(rows))


def _audit_who(event) -> str:
    user = event.user
    name = user.get_full_name() if user is not None else ""
    if name:
        who = esc(name)
    elif event.username == "system":
        who = "The service"
    else:
        who = esc(event.username)
    if event.agency_name:
        who += f"<br>{esc(event.agency_name)}"
    if event.ip_address:
        who += f'<br><span class="govuk-body-s">From {esc(event.ip_address)}</span>'
    return who


def _changed(values, index: int) -> str:
    """One side of a change (before or after) as the audit trail shows it."""
    try:
        value = values[index]
    except (IndexError, KeyError, TypeError):
        value = ""
    return esc(value) if value else "(blank)"


def _audit_details(event) -> str:
    parts = []
    if event.description:
        parts.append(f'<p class="govuk-body govuk-!-margin-bottom-1">{esc(event.description)}</p>')
    if event.disclosure_format or event.recipient:
        lines = []
        if event.disclosure_format:
            lines.append(f"Format: {esc(event.disclosure_format.upper())}")
        if event.recipient:
            lines.append(f"Recipient: {esc(event.recipient)}")
        parts.append(f'<p class="govuk-body govuk-!-margin-bottom-1">{"<br>".join(lines)}</p>')
    if event.changes:
        items = "".join(
            f"<li>{esc(field)}: {_changed(values, 0)} → {_changed(values, 1)}</li>"
            for field, values in event.changes.items()
        )
        parts.append(f'<ul class="govuk-list govuk-!-margin-bottom-0">{items}</ul>')
    return "".join(parts)


def audit_rows(events: Iterable) -> SafeString:
    """The rows of a person's audit trail (``cohorts/audit_table.html``): when, who (with
    their agency and address), the action and its details. Fifty rows of template cost the
    audit page more than everything else on it."""
    return mark_safe(
        "\n".join(
            '<tr class="govuk-table__row">'
            f'<td class="govuk-table__cell">{esc(formatting.short_datetime(event.at))}</td>'
            f'<td class="govuk-table__cell">{_audit_who(event)}</td>'
            f'<td class="govuk-table__cell">{esc(event.get_action_display())}</td>'
            f'<td class="govuk-table__cell">{_audit_details(event)}</td></tr>'
            for event in events
        )
    )
