"""Read paths of OGRS3: the Risk section's panel, the cohort list's column, emerging threats
and the API. Each adds a constant number of queries, whatever the number of rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, IntegerField, OuterRef, QuerySet, Subquery, Value, When

from ..models import Ogrs3Correction, Ogrs3Input, Ogrs3Result, SanctionKind
from .inputs import INPUT_WORDS
from .reference import OGRS3_V3

UNSCORED = "unscored"
BAND_LABELS = {band.code: band.label for band in OGRS3_V3.risk_bands}
CATEGORY_LABELS = {c.code: c.label for c in OGRS3_V3.offence_categories}
SEX_LABELS = {"male": "Male", "female": "Female", "other": "Other", "unknown": "Not known"}


def band_choices() -> list[tuple[str, str]]:
    return [("", "Any OGRS3 band"), *BAND_LABELS.items(), (UNSCORED, "Cannot be scored")]


# --- The Risk section -------------------------------------------------------------------------


@dataclass(frozen=True)
class InputLine:
    label: str
    value: str
    source: str  # "From the record" or "Recorded by ... on ...: reason (the record: ...)"
    corrected: bool


@dataclass
class Ogrs3Panel:
    result: Ogrs3Result | None
    lines: list[InputLine]
    corrections: list[Ogrs3Correction]  # in force

    @property
    def band_label(self) -> str:
        return BAND_LABELS.get(self.result.band, "") if self.result else ""


def _date(value) -> str:
    if not value:
        return "Not known"
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return value.strftime("%-d %B %Y")


def _show(field: str, value, result: Ogrs3Result) -> str:
    if value is None or value == "":
        return "Not known"
    if field == "offence_category":
        label = CATEGORY_LABELS.get(value, value)
        if result.offence_name and field not in result.corrections:
            return f"{label} ({result.offence_name})"
        return label
    if field == "previous_sanctions":
        count = int(value)
        capped = OGRS3_V3.previous_sanctions_cap
        words = f"{count} on earlier days"
        if count > capped:
            words += f" (OGRS3 counts at most {capped})"
        return words
    if field == "sex":
        return SEX_LABELS.get(value, value)
    if field == "conviction_date":
        kind = "caution" if result.sanction == SanctionKind.CAUTION else "conviction"
        return f"{_date(value)} ({kind})" if field not in result.corrections else _date(value)
    if field == "follow_up_start" and result.released and field not in result.corrections:
        return f"{_date(value)} (released from custody)"
    return _date(value)


def input_lines(result: Ogrs3Result) -> list[InputLine]:
    """Each input the result used, its value and where it came from, in words."""
    fields = ["sex", "date_of_birth", *Ogrs3Input.values]
    lines = []
    for field in fields:
        label = INPUT_WORDS[field][0].upper() + INPUT_WORDS[field][1:]
        value = getattr(result, field)
        corrected = result.corrections.get(field)
        if corrected:
            record = corrected.get("record")
            was = _show(field, record, result) if record not in (None, "") else "nothing"
            source = (
                f"Recorded by {corrected['by']} on {_date(corrected['on'])}: "
                f"{corrected['reason']} (the record said {was})"
            )
        elif field in ("sex", "date_of_birth"):
            source = "From the person's details"
        else:
            source = "From the offending history"
        lines.append(InputLine(label, _show(field, value, result), source, bool(corrected)))
    return lines


def panel(nominal) -> Ogrs3Panel:
    """The latest OGRS3 result and the corrections in force: two queries."""
    result = Ogrs3Result.objects.filter(nominal=nominal).order_by("-assessed_on", "-id").first()
    corrections = list(
        Ogrs3Correction.objects.filter(nominal=nominal, withdrawn_at__isnull=True)
        .select_related("recorded_by")
        .order_by("field")
    )
    return Ogrs3Panel(result, input_lines(result) if result else [], corrections)


# --- Lists: the cohort list and emerging threats -----------------------------------------------


def _annotate(queryset: QuerySet, results: QuerySet) -> QuerySet:
    queryset = queryset.annotate(
        ogrs3_band=Subquery(results.values("band")[:1]),
        ogrs3_two_year=Subquery(results.values("two_year_percent")[:1]),
        ogrs3_one_year=Subquery(results.values("one_year_percent")[:1]),
        ogrs3_unscored=Subquery(results.values("unscored_reason")[:1]),
        ogrs3_check=Subquery(results.values("check_reason")[:1]),
    )
    return queryset.annotate(
        ogrs3_missing=Case(
            When(ogrs3_two_year__isnull=True, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def with_ogrs3(queryset: QuerySet) -> QuerySet:
    """Nominals with their latest OGRS3 figures (cohort list): five subqueries."""
    latest = Ogrs3Result.objects.filter(nominal=OuterRef("pk")).order_by("-assessed_on", "-id")
    return _annotate(queryset, latest)


def assessments_with_ogrs3(queryset: QuerySet) -> QuerySet:
    """Assessments with the OGRS3 result of the same run (emerging threats)."""
    same_run = Ogrs3Result.objects.filter(run=OuterRef("run"), nominal=OuterRef("nominal"))
    return _annotate(queryset, same_run)


def filter_by_ogrs3_band(queryset: QuerySet, band: str) -> QuerySet:
    if not band:
        return queryset
    if band == UNSCORED:
        return queryset.filter(ogrs3_two_year__isnull=True)
    return queryset.filter(ogrs3_band=band)


# Highest 2-year percentage first (the band follows it); people not scored last.
SORTS = {
    "ogrs3": ("ogrs3_missing", "-ogrs3_two_year"),
    "-ogrs3": ("ogrs3_missing", "ogrs3_two_year"),
}


# --- The API ----------------------------------------------------------------------------------


def results_for(assessments) -> dict[tuple[int, int], Ogrs3Result]:
    """The OGRS3 result of each assessment's run and person, in one query."""
    runs = {a.run_id for a in assessments}
    people = {a.nominal_id for a in assessments}
    if not runs:
        return {}
    found = Ogrs3Result.objects.filter(run_id__in=runs, nominal_id__in=people)
    return {(r.run_id, r.nominal_id): r for r in found}


# --- Emerging threats ---------------------------------------------------------------------------


def emerging_threats_with_ogrs3(queryset: QuerySet, params) -> tuple[QuerySet, dict]:
    """The emerging threats with their OGRS3, filtered by ``?ogrs3=<band>`` and sorted by the
    2-year figure with ``?sort=ogrs3`` (highest first) or ``-ogrs3``; and the template's
    context for the filter and the sort link."""
    band = params.get("ogrs3", "")
    band = band if band in dict(band_choices()) else ""
    sort = params.get("sort", "")
    queryset = filter_by_ogrs3_band(assessments_with_ogrs3(queryset), band)
    if sort in SORTS:
        queryset = queryset.order_by(*SORTS[sort], "-score", "nominal__surname", "nominal_id")
    return queryset, {
        "ogrs3_band": band,
        "ogrs3_sort": sort if sort in SORTS else "",
        "ogrs3_band_choices": band_choices(),
    }
