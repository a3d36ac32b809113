"""Geography (the Birstall proposal): where offences happen against where their offenders
live. For a period, an offence category and optionally an area (a box in British National
Grid coordinates): each proven or detected offence with a scene, its offender's home, the
distance travelled, whether the offender lives in the City or the County and whether they
were under supervision (a licence or an order) on the day. Managers only; the page shows
where people live, so each person shown is logged as a disclosure to the manager."""

from __future__ import annotations

import datetime
import statistics
from itertools import pairwise

from django import forms
from django.db.models import Case, CharField, Exists, F, FloatField, OuterRef, Q, Value, When
from django.db.models.functions import Cast, Power, Sqrt
from django.shortcuts import render
from django.utils import timezone

from cohorts.controls.models import ControlMeasure, Licence
from cohorts.risk.models import DetectedOffence, OffenceCategory
from iom import audit
from iom.access import restrict_by_nominal
from iom.forms import GovukDateField, GovukForm

from .charts import chart_for, scatter_chart
from .dashboard import SECTION, manager_required
from .measures.periods import last_month
from .measures.tables import Table

# Bands of distance travelled, in metres: configuration of the report, not of the data.
DISTANCE_BANDS = (500, 1_000, 2_000, 5_000, 10_000)


class GeographyForm(GovukForm):
    start = GovukDateField(
        label="From",
        described_as="the first day of the period",
        help_text="For example, 1 9 2026",
        error_messages={"required": "Enter the first day of the period"},
    )
    end = GovukDateField(
        label="To",
        described_as="the last day of the period",
        help_text="For example, 30 9 2026",
        error_messages={"required": "Enter the last day of the period"},
    )
    category = forms.ChoiceField(
        label="Offence category",
        choices=[("", "All categories"), *OffenceCategory.choices],
        required=False,
    )
    min_easting = forms.IntegerField(label="West edge (easting)", required=False)
    max_easting = forms.IntegerField(label="East edge (easting)", required=False)
    min_northing = forms.IntegerField(label="South edge (northing)", required=False)
    max_northing = forms.IntegerField(label="North edge (northing)", required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            self.add_error(
                "end", "The last day of the period must be the same as or after the first day"
            )
        return cleaned


def offences_in(
    user,
    start: datetime.date,
    end: datetime.date,
    *,
    category: str = "",
    box: tuple[int | None, int | None, int | None, int | None] = (None, None, None, None),
):
    """Offences with a scene in the period (and area, and category), each with its offender's
    home, distance travelled, area of residence and supervision on the day: one query."""
    queryset = restrict_by_nominal(DetectedOffence.objects.all(), user).filter(
        committed_on__range=(start, end), scene_easting__isnull=False
    )
    if category:
        queryset = queryset.filter(offence_type__category=category)
    for lookup, value in zip(
        ("scene_easting__gte", "scene_easting__lte", "scene_northing__gte", "scene_northing__lte"),
        box,
        strict=True,
    ):
        if value is not None:
            queryset = queryset.filter(**{lookup: value})
    on_licence = Licence.objects.filter(
        nominal=OuterRef("nominal"),
        release_date__lte=OuterRef("committed_on"),
        licence_expiry_date__gte=OuterRef("committed_on"),
    )
    under_order = ControlMeasure.objects.filter(
        nominal=OuterRef("nominal"), starts_on__lte=OuterRef("committed_on")
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("committed_on")))
    return (
        queryset.annotate(
            distance=Sqrt(
                Power(Cast(F("scene_easting") - F("nominal__home_easting"), FloatField()), 2)
                + Power(Cast(F("scene_northing") - F("nominal__home_northing"), FloatField()), 2)
            ),
            residence=Case(
                When(nominal__neighbourhood__area="city", then=Value("City")),
                When(nominal__neighbourhood__area="county", then=Value("County")),
                default=Value("Not recorded"),
                output_field=CharField(),
            ),
            on_licence=Exists(on_licence),
            under_order=Exists(under_order),
        )
        .select_related("offence_type", "nominal")
        .order_by("committed_on", "id")
    )


def distance_table(offences: list) -> Table:
    labels = [f"Under {DISTANCE_BANDS[0]:,} m"]
    labels += [f"{low:,}–{high:,} m" for low, high in pairwise(DISTANCE_BANDS)]
    labels += [f"{DISTANCE_BANDS[-1]:,} m and over", "Home not recorded"]
    counts = dict.fromkeys(labels, 0)
    for offence in offences:
        if offence.distance is None:
            counts["Home not recorded"] += 1
            continue
        index = sum(1 for edge in DISTANCE_BANDS if offence.distance >= edge)
        counts[labels[index]] += 1
    known = [o.distance for o in offences if o.distance is not None]
    median = statistics.median(known) if known else None  # an even count: the middle two's mean
    return Table(
        key="distance",
        title="Distance travelled from home to the scene",
        columns=["Distance", "Offences"],
        rows=[[label, n] for label, n in counts.items()],
        chart={"kind": "bar", "series": [1]},
        note=f"Median distance: {median:,.0f} m." if median is not None else "",
    )


def summary_table(offences: list) -> Table:
    rows = []
    for residence in ("City", "County", "Not recorded"):
        mine = [o for o in offences if o.residence == residence]
        supervised = sum(1 for o in mine if o.on_licence or o.under_order)
        rows.append([residence, len(mine), supervised, len(mine) - supervised])
    rows.append(["Total", *(sum(row[i] for row in rows) for i in range(1, 4))])
    return Table(
        key="residence",
        title="Offences by where the offender lives, and supervision on the day",
        columns=["Offender lives in", "Offences", "Under supervision", "Not supervised"],
        rows=rows,
        chart={"kind": "stacked", "series": [2, 3]},
    )


@manager_required
def geography(request):
    default = last_month(timezone.localdate())
    form = GeographyForm(request.GET or {"start": default.start, "end": default.end})
    context = {"current_section": SECTION, "form": form, "offences": [], "sections": []}
    if form.is_valid():
        data = form.cleaned_data
        box = (data["min_easting"], data["max_easting"], data["min_northing"], data["max_northing"])
        offences = list(
            offences_in(
                request.user, data["start"], data["end"], category=data["category"], box=box
            )
        )
        tables = [distance_table(offences), summary_table(offences)]
        context["sections"] = [
            {"table": t.as_dict(), "svg": chart_for(t.as_dict())} for t in tables
        ]
        context["map"] = scatter_chart(
            "Offences and the homes of their offenders (British National Grid)",
            [
                ("Scene of the offence", [(o.scene_easting, o.scene_northing) for o in offences]),
                (
                    "Offender's home",
                    [
                        (o.nominal.home_easting, o.nominal.home_northing)
                        for o in offences
                        if o.nominal.home_easting is not None
                    ],
                ),
            ],
        )
        context["offences"] = offences
        people = {o.nominal_id: o.nominal for o in offences}
        if people:
            audit.record_disclosures(
                audit.actor_from_request(request),
                people.values(),
                disclosure_format="html",
                recipient=f"{request.user} ({request.user.agency or 'no agency'})",
                description="Shown on the geography report (home and offence locations)",
            )
    return render(
        request, "reports/geography.html", context, status=200 if form.is_valid() else 400
    )
