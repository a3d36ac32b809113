"""Charts drawn on the server as SVG: bar, stacked bar, line and scatter.

Colours come from the GOV.UK Design System palette and are set with SVG presentation
attributes (``fill="…"``), never style attributes, which the Content-Security-Policy forbids.
Every chart names itself (``<title>``) and the page shows the same figures in a table beside it,
so nothing is said by the picture alone. The same SVG is embedded in the PDF reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

# GOV.UK Design System colours, in the order series take them.
PALETTE = (
    "#1d70b8",  # blue
    "#f47738",  # orange
    "#00703c",  # green
    "#4c2c92",  # purple
    "#d53880",  # pink
    "#28a197",  # turquoise
    "#003078",  # dark blue
    "#b58840",  # brown
    "#505a5f",  # secondary text (grey)
    "#5694ca",  # light blue
)
BAND_COLOURS = {"Red": "#d4351c", "Amber": "#f47738", "Green": "#00703c", "Not ranked": "#b1b4b6"}
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
FONT = "Arial, Helvetica, DejaVu Sans, sans-serif"

WIDTH = 640
LEFT, RIGHT, TOP, BOTTOM = 150, 20, 30, 30
_ids = count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    colour: str = ""


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _colour(index: int, name: str, given: str = "") -> str:
    band = next((colour for key, colour in BAND_COLOURS.items() if name.endswith(key)), "")
    return given or band or PALETTE[index % len(PALETTE)]


def _open(title: str, height: int) -> tuple[str, list[str]]:
    chart_id = f"chart-{next(_ids)}"
    return chart_id, [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title" '
        f'font-family="{FONT}" font-size="12" class="app-chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]


def _legend(parts: list[str], series: Sequence[Series], y: float) -> None:
    x = LEFT
    for index, item in enumerate(series):
        colour = _colour(index, item.name, item.colour)
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{y}" fill="{TEXT}">{escape(item.name)}</text>')
        x += 16 + 7 * len(item.name) + 20


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float]) -> SafeString:
    """Horizontal bars, one per label, each with its value written after it."""
    return stacked_bar_chart(title, labels, [Series(title, values, PALETTE[0])], legend=False)


def stacked_bar_chart(
    title: str, labels: Sequence[str], series: Sequence[Series], *, legend: bool = True
) -> SafeString:
    """Horizontal bars of several series stacked end to end, with the total after each bar."""
    bar, gap = 22, 8
    legend_height = 24 if legend else 0
    height = TOP + legend_height + len(labels) * (bar + gap) + 10
    _, parts = _open(title, height)
    totals = [sum(item.values[i] for item in series) for i in range(len(labels))]
    scale_max = _nice_max(max(totals, default=0))
    plot_width = WIDTH - LEFT - RIGHT - 50
    if legend:
        _legend(parts, series, TOP)
    y = TOP + legend_height
    for row, label in enumerate(labels):
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + bar * 0.7:.1f}" text-anchor="end" '
            f'fill="{TEXT}">{escape(str(label))}</text>'
        )
        x = float(LEFT)
        for index, item in enumerate(series):
            width = plot_width * item.values[row] / scale_max
            if width > 0:
                colour = _colour(index, item.name, item.colour)
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{bar}" '
                    f'fill="{colour}"/>'
                )
            x += width
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + bar * 0.7:.1f}" fill="{TEXT}">'
            f"{_fmt(totals[row])}</text>"
        )
        y += bar + gap
    parts.append("</svg>")
    return mark_safe("".join(parts))


def grouped_bar_chart(title: str, labels: Sequence[str], series: Sequence[Series]) -> SafeString:
    """Horizontal bars of several series side by side for each label, each with its value."""
    bar, gap = 14, 10
    height = TOP + 24 + len(labels) * (bar * len(series) + gap) + 10
    _, parts = _open(title, height)
    scale_max = _nice_max(max((abs(v or 0) for s in series for v in s.values), default=0))
    plot_width = WIDTH - LEFT - RIGHT - 50
    _legend(parts, series, TOP)
    y = TOP + 24
    for row, label in enumerate(labels):
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + bar * len(series) * 0.6:.1f}" text-anchor="end" '
            f'fill="{TEXT}">{escape(str(label))}</text>'
        )
        for index, item in enumerate(series):
            value = item.values[row] or 0
            width = plot_width * max(value, 0) / scale_max
            colour = _colour(index, item.name, item.colour)
            parts.append(
                f'<rect x="{LEFT}" y="{y}" width="{width:.1f}" height="{bar - 2}" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{LEFT + width + 6:.1f}" y="{y + bar - 4}" fill="{TEXT}" '
                f'font-size="10">{_fmt(value)}</text>'
            )
            y += bar
        y += gap
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_chart(title: str, labels: Sequence[str], series: Sequence[Series]) -> SafeString:
    """One line per series over the labels (months), with a labelled vertical scale."""
    height = 260
    _, parts = _open(title, height)
    left = 50
    plot_width = WIDTH - left - RIGHT
    plot_height = height - TOP - BOTTOM - 30
    top = TOP + 24
    scale_max = _nice_max(max((v for s in series for v in s.values), default=0))
    _legend(parts, series, TOP)
    for step in range(5):
        value = scale_max * step / 4
        y = top + plot_height - plot_height * step / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_width}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{TEXT}">'
            f"{_fmt(value)}</text>"
        )
    points = max(len(labels) - 1, 1)
    every = max(1, len(labels) // 8)
    for index, label in enumerate(labels):
        if index % every == 0 or index == len(labels) - 1:
            x = left + plot_width * index / points
            parts.append(
                f'<text x="{x:.1f}" y="{top + plot_height + 18}" text-anchor="middle" '
                f'fill="{TEXT}">{escape(str(label))}</text>'
            )
    for index, item in enumerate(series):
        colour = _colour(index, item.name, item.colour)
        coordinates = " ".join(
            f"{left + plot_width * i / points:.1f},"
            f"{top + plot_height - plot_height * value / scale_max:.1f}"
            for i, value in enumerate(item.values)
        )
        parts.append(
            f'<polyline points="{coordinates}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def scatter_chart(
    title: str,
    series: Sequence[tuple[str, Sequence[tuple[float, float]]]],
    *,
    equal_axes: bool = True,
) -> SafeString:
    """Points in plane coordinates (e.g. British National Grid eastings and northings in
    metres), north up, with both axes at the same scale when ``equal_axes``."""
    height = 480
    _, parts = _open(title, height)
    left, top = 70, TOP + 24
    plot_width, plot_height = WIDTH - left - RIGHT, height - top - 40
    xs = [x for _, points in series for x, _ in points]
    ys = [y for _, points in series for _, y in points]
    _legend(parts, [Series(name, []) for name, _ in series], TOP)
    if not xs:
        parts.append(f'<text x="{left}" y="{top + 20}" fill="{TEXT}">No points to plot</text>')
        parts.append("</svg>")
        return mark_safe("".join(parts))
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    span_x, span_y = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    if equal_axes:
        scale = min(plot_width / span_x, plot_height / span_y)
        sx = sy = scale
    else:
        sx, sy = plot_width / span_x, plot_height / span_y
    parts.append(
        f'<rect x="{left}" y="{top}" width="{plot_width}" height="{plot_height}" fill="none" '
        f'stroke="{GRID}"/>'
    )
    parts.append(
        f'<text x="{left}" y="{height - 8}" fill="{TEXT}">Easting {_fmt(x0)}–{_fmt(x1)} m, '
        f"northing {_fmt(y0)}–{_fmt(y1)} m (British National Grid)</text>"
    )
    for index, (name, points) in enumerate(series):
        colour = _colour(index, name)
        for x, y in points:
            cx = left + (x - x0) * sx
            cy = top + plot_height - (y - y0) * sy
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{colour}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def chart_for(table: dict) -> SafeString | None:
    """The chart a table of figures asks for (``table["chart"]``), without its total row."""
    spec = table.get("chart")
    if not spec:
        return None
    rows = [row for row in table["rows"] if row[0] not in ("Total", "All proven offences")]
    labels = [str(row[0]) for row in rows]
    series = [
        Series(table["columns"][index], [row[index] or 0 for row in rows])
        for index in spec["series"]
    ]
    kind = spec["kind"]
    if kind == "line":
        return line_chart(table["title"], labels, series)
    if kind == "stacked":
        return stacked_bar_chart(table["title"], labels, series)
    if kind == "bars":
        return grouped_bar_chart(table["title"], labels, series)
    return bar_chart(table["title"], labels, series[0].values)
