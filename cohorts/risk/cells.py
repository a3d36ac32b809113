"""The risk bands as GOV.UK tags, and the cohort list's Risk, OGRS3 and Release cells, drawn
in Python (``iom.components`` says why). The ``risk_tags`` template filters are these."""

from __future__ import annotations

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from iom import components, formatting
from iom.components import esc

from .custody import countdown

BAND_TAGS = {"red": ("Red", "red"), "amber": ("Amber", "orange"), "green": ("Green", "green")}
OGRS3_BAND_TAGS = {
    "very_high": ("Very high", "red"),
    "high": ("High", "orange"),
    "medium": ("Medium", "yellow"),
    "low": ("Low", "green"),
}
CHECK_INPUTS = '<br><strong class="govuk-tag govuk-tag--yellow">Check inputs</strong>'


def _small(text) -> str:
    return f'<br><span class="govuk-body-s">{esc(text)}</span>'


def band_tag(band: str | None) -> SafeString:
    return components.tag_of(band, BAND_TAGS, ("Not ranked", "grey"))


def ogrs3_band_tag(band: str | None) -> SafeString:
    return components.tag_of(band, OGRS3_BAND_TAGS, ("Not scored", "grey"))


def risk_cell(nominal) -> SafeString:
    """The band officers work to; "Overridden (computed amber)"; the rank."""
    overridden = ""
    if nominal.risk_override_band:
        computed = f" (computed {nominal.risk_band})" if nominal.risk_band else ""
        overridden = _small(f"Overridden{computed}")
    rank = _small(f"Rank {nominal.risk_rank}") if nominal.risk_rank else ""
    return mark_safe(f"{band_tag(nominal.risk_effective_band)}{overridden}{rank}")


def ogrs3_cell(row) -> SafeString:
    """The latest OGRS3 band and 2-year figure, of a person or an assessment annotated with
    ``ogrs3_band``, ``ogrs3_two_year``, ``ogrs3_check`` and ``ogrs3_unscored``."""
    if row.ogrs3_band:
        check = CHECK_INPUTS if row.ogrs3_check else ""
        figure = _small(f"{row.ogrs3_two_year}% in 2 years")
        return mark_safe(f"{ogrs3_band_tag(row.ogrs3_band)}{figure}{check}")
    if row.ogrs3_unscored:
        return mark_safe('<span class="govuk-body-s">Cannot score</span>')
    return mark_safe('<span class="govuk-body-s">–</span>')


def release_cell(nominal) -> SafeString | str:
    """A countdown for a person due out of custody soon: "due out in 14 days"."""
    day = nominal.custody_due_out_on
    if not day:
        return ""
    title = f"Expected release {formatting.short_date(day)}"
    countdown_text = countdown((day - timezone.localdate()).days)
    return mark_safe(
        f'<strong class="govuk-tag govuk-tag--yellow" title="{esc(title)}">'
        f"{esc(countdown_text)}</strong>"
    )


def history_rows(assessments) -> SafeString:
    """The rows of the Risk section's history table (date, score, band, rank), newest first."""
    return mark_safe(
        "".join(
            '<tr class="govuk-table__row">'
            f'<td class="govuk-table__cell">{esc(formatting.short_date(a.assessed_on))}</td>'
            f'<td class="govuk-table__cell govuk-table__cell--numeric">{esc(a.score)}</td>'
            f'<td class="govuk-table__cell">{esc(a.get_band_display())}</td>'
            '<td class="govuk-table__cell govuk-table__cell--numeric">'
            f"{esc(a.rank if a.rank is not None else '–')}</td></tr>"
            for a in assessments
        )
    )


def chart_points(points) -> SafeString:
    """A dot on the history chart at each assessment's (x, y)."""
    return mark_safe(
        "".join(f'<circle cx="{esc(x)}" cy="{esc(y)}" r="3" fill="#1d70b8"/>' for x, y, _ in points)
    )
