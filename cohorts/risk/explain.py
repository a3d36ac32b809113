"""Contributions and changes in words an officer understands, and the history chart's shapes.

"3 burglaries (dwelling) detected in the last 6 months: +42.10" rather than a factor key.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from .models import CATEGORY_WORDS, DynamicFactorKind, OffenceCategory
from .providers import pathway_label

AVERAGE_MONTH_DAYS = 30.44


def _months_since(since: str | None, day: datetime.date) -> str:
    if not since:
        return ""
    days = (day - datetime.date.fromisoformat(since)).days
    months = max(1, math.ceil(days / AVERAGE_MONTH_DAYS))
    return "in the last month" if months == 1 else f"in the last {months} months"


def _category(key: str, count: int) -> str:
    try:
        singular, plural = CATEGORY_WORDS[OffenceCategory(key)]
    except ValueError:
        return key
    return singular if count == 1 else plural


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def describe(contribution: dict, day: datetime.date) -> str:
    """One contribution in words, without its points."""
    kind, key, count = contribution["kind"], contribution["factor"], contribution["count"]
    since = contribution.get("since")
    when = _months_since(since, day)
    if kind == "detection":
        return f"{count} {_category(key, count)} detected {when}"
    if kind == "arrest":
        return f"{_plural(count, 'arrest')} for {_category(key, 1)} {when}"
    if kind == "intelligence":
        about = "other offending" if key == OffenceCategory.OTHER else _category(key, 2)
        return f"{_plural(count, 'intelligence report')} about {about} {when}"
    since_text = datetime.date.fromisoformat(since).strftime("%-d %B %Y") if since else ""
    if kind == "dynamic":
        try:
            label = DynamicFactorKind(key).label
        except ValueError:
            label = key
        return f"{label} recorded since {since_text}"
    if kind == "need":
        factor, _, level = key.partition(":")
        pathway = pathway_label(factor)
        if pathway is None:
            return f"{factor.replace('_', ' ').capitalize()} assessed {level}"
        return f"{pathway} need assessed {level} on the {pathway} pathway"
    if kind == "custody":
        return f"In custody since {since_text}: score reduced"
    if kind == "out-of-area":
        return f"Living out of the area since {since_text}: score reduced"
    return key


def signed(points: float) -> str:
    return f"{points:+.2f}"


@dataclass(frozen=True)
class Reason:
    words: str
    points: str
    is_reduction: bool


def reasons(assessment) -> list[Reason]:
    """The assessment's contributions, largest first, in words."""
    return [
        Reason(describe(c, assessment.assessed_on), signed(c["points"]), c["points"] < 0)
        for c in assessment.contributions
    ]


@dataclass(frozen=True)
class Movement:
    words: str
    change: str


@dataclass(frozen=True)
class Change:
    previous_band: str
    previous_score: Decimal
    previous_date: datetime.date
    band_changed: bool
    score_change: str
    movements: list[Movement]


def change_since(current, previous) -> Change | None:
    """What moved between the last two assessments: the band, the score and each factor."""
    if current is None or previous is None:
        return None
    before = {c["key"]: c for c in previous.contributions}
    after = {c["key"]: c for c in current.contributions}
    movements = []
    for key in sorted(before.keys() | after.keys()):
        old = before.get(key, {}).get("points", 0.0)
        new = after.get(key, {}).get("points", 0.0)
        if round(new - old, 2) == 0:
            continue
        described = after.get(key) or before[key]
        words = describe(described, current.assessed_on)
        if key not in before:
            words = f"New: {words}"
        elif key not in after:
            words = f"No longer counts: {describe(before[key], previous.assessed_on)}"
        movements.append((abs(new - old), Movement(words, signed(new - old))))
    movements.sort(key=lambda pair: -pair[0])
    return Change(
        previous_band=previous.get_band_display(),
        previous_score=previous.score,
        previous_date=previous.assessed_on,
        band_changed=previous.band != current.band,
        score_change=signed(float(current.score - previous.score)),
        movements=[movement for _, movement in movements],
    )


# --- The history chart (server-side SVG) ------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT = 640, 260
# Room on the left for the scale and its title (turned upright), below for the dates and theirs.
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 64, 16, 16, 52


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    step_path: str  # the score as a step line
    points: list[tuple[float, float, str]]  # (x, y, label) of each assessment
    thresholds: list[tuple[float, str]]  # (y, label)
    y_ticks: list[tuple[float, str]]
    x_labels: list[tuple[float, str]]
    baseline: float
    left: int = MARGIN_LEFT  # where the plot starts: the scale's labels end just before it
    date_labels_y: int = CHART_HEIGHT - MARGIN_BOTTOM + 18
    x_title: tuple[float, float] = (
        MARGIN_LEFT + (CHART_WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / 2,
        CHART_HEIGHT - 6,
    )
    y_title: tuple[float, float] = (
        16,
        MARGIN_TOP + (CHART_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM) / 2,
    )


def history_chart(assessments: list, thresholds: dict[str, float]) -> Chart | None:
    """A step chart of the score over time, oldest on the left, with the band thresholds."""
    if not assessments:
        return None
    ordered = list(reversed(assessments))
    top = max([float(a.score) for a in ordered] + [thresholds["red"]]) * 1.15 or 1.0
    plot_w = CHART_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = CHART_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    first, last = ordered[0].assessed_on, ordered[-1].assessed_on
    span = max((last - first).days, 1)

    def x(day: datetime.date) -> float:
        if len(ordered) == 1:
            return MARGIN_LEFT + plot_w / 2
        return round(MARGIN_LEFT + plot_w * (day - first).days / span, 1)

    def y(value: float) -> float:
        return round(MARGIN_TOP + plot_h * (1 - value / top), 1)

    points = [(x(a.assessed_on), y(float(a.score)), f"{a.score}") for a in ordered]
    path = [f"M {points[0][0]} {points[0][1]}"]
    for px, py, _ in points[1:]:
        path.append(f"H {px} V {py}")
    if len(points) == 1:
        path.append(f"H {points[0][0] + 1}")
    ticks = [(y(top * i / 4), f"{top * i / 4:.0f}") for i in range(5)]
    labels = [(x(first), first.strftime("%-d %b %Y"))]
    if last != first:
        labels.append((x(last), last.strftime("%-d %b %Y")))
    return Chart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        step_path=" ".join(path),
        points=points,
        thresholds=[
            (y(thresholds["red"]), f"Red from {thresholds['red']:g}"),
            (y(thresholds["amber"]), f"Amber from {thresholds['amber']:g}"),
        ],
        y_ticks=ticks,
        x_labels=labels,
        baseline=y(0),
    )
