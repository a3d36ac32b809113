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
from math import ceil
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
FONT = "Arial, Helvetica, DejaVu Sans, sans-serif"  # the pages' font (GOV.UK off GOV.UK)
PDF_FONT = "DejaVu Sans, sans-serif"  # the PDFs' one font, which WeasyPrint always has

WIDTH = 640
SIZE = 12  # the font size of every label, in the chart's own units
LINE = 15  # the height of a line of labels
RIGHT, TOP = 20, 30
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


# Advance widths, in ems, of the widest font the charts may be drawn in: DejaVu Sans, which the
# PDF falls back to where Arial is missing (Arial and Liberation Sans are narrower). An
# estimate on the generous side, so that text measured to fit does fit.
_NARROW = set("il.,:;'|!")
_SEMI = set("jft()[]-/ r")
_WIDE = set("mwMW%&£@")


def text_width(text: str, size: float = SIZE) -> float:
    """The width ``text`` takes at ``size`` in the charts' font (an upper estimate)."""
    ems = 0.0
    for char in str(text):
        if char in _NARROW:
            ems += 0.3
        elif char in _SEMI:
            ems += 0.42
        elif char in _WIDE:
            ems += 1.0
        elif char.isdigit():
            ems += 0.64
        elif char.isupper():
            ems += 0.78
        else:
            ems += 0.63
    return ems * size


def wrap(text: str, width: float, *, size: float = SIZE, lines: int = 2) -> list[str]:
    """``text`` in at most ``lines`` lines no wider than ``width``; a last line that would be
    too long is shortened with an ellipsis (the table beside the chart has it in full)."""
    words, result, current = str(text).split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if text_width(candidate, size) <= width or not current:
            current = candidate
        else:
            result.append(current)
            current = word
    result.append(current)
    if len(result) > lines:
        result = [*result[: lines - 1], " ".join(result[lines - 1 :])]
    last = result[-1]
    if text_width(last, size) > width:
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        result[-1] = last.rstrip() + "…"
    return result


def _text(x: float, y: float, lines: Sequence[str], *, anchor: str = "start", extra: str = ""):
    """A <text> of one or more lines, the first on ``y``."""
    if len(lines) == 1:
        body = escape(lines[0])
    else:
        body = "".join(
            f'<tspan x="{x:.1f}" dy="{0 if index == 0 else LINE}">{escape(line)}</tspan>'
            for index, line in enumerate(lines)
        )
    anchor_attr = f' text-anchor="{anchor}"' if anchor != "start" else ""
    return f'<text x="{x:.1f}" y="{y:.1f}"{anchor_attr} fill="{TEXT}"{extra}>{body}</text>'


def in_font(svg: str, font: str) -> SafeString:
    """The same chart in another font (the PDF's). Labels were measured in DejaVu Sans, the
    widest of the fonts allowed, so they fit in either."""
    return mark_safe(str(svg).replace(f'font-family="{FONT}"', f'font-family="{font}"', 1))


def _colour(index: int, name: str, given: str = "") -> str:
    band = next((colour for key, colour in BAND_COLOURS.items() if name.endswith(key)), "")
    return given or band or PALETTE[index % len(PALETTE)]


def _open(title: str, height: float) -> tuple[str, list[str]]:
    chart_id = f"chart-{next(_ids)}"
    return chart_id, [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title" '
        f'font-family="{FONT}" font-size="{SIZE}" class="app-chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]


def _legend_rows(series: Sequence[Series], left: float) -> list[list[tuple[float, int]]]:
    """Where each key of the legend goes: rows of (x, series index), wrapping at the edge."""
    rows: list[list[tuple[float, int]]] = []
    row: list[tuple[float, int]] = []
    x = left
    for index, item in enumerate(series):
        width = 16 + text_width(item.name) + 20
        if row and x + width - 20 > WIDTH - RIGHT:
            rows.append(row)
            row, x = [], left
        row.append((x, index))
        x += width
    if row:
        rows.append(row)
    return rows


def _legend(parts: list[str], series: Sequence[Series], y: float, left: float = 8) -> float:
    """Draws the legend from ``y`` (the first row's baseline); returns the height it takes."""
    rows = _legend_rows(series, left)
    for number, row in enumerate(rows):
        row_y = y + number * (LINE + 4)
        for x, index in row:
            item = series[index]
            colour = _colour(index, item.name, item.colour)
            parts.append(
                f'<rect x="{x:.1f}" y="{row_y - 10:.1f}" width="12" height="12" fill="{colour}"/>'
            )
            parts.append(_text(x + 16, row_y, [item.name]))
    return len(rows) * (LINE + 4) + 6


def _is_empty(labels: Sequence[str], series: Sequence[Series]) -> bool:
    return not labels or not any(value for item in series for value in item.values)


def empty_chart(title: str, message: str) -> SafeString:
    """What a chart with nothing to draw shows: its title and a sentence that says so."""
    lines = wrap(message, WIDTH - 40)
    height = 30 + len(lines) * LINE + 10
    _, parts = _open(title, height)
    parts.append(
        f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="{height - 1}" fill="none" '
        f'stroke="{GRID}"/>'
    )
    parts.append(_text(WIDTH / 2, 30, lines, anchor="middle"))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def empty_message(title: str) -> str:
    """ "No pathway outcomes recorded in this period" for "Pathway outcomes: actions and needs";
    a title without such a subject gets a plain sentence."""
    if ":" not in title:
        return "Nothing to chart: every figure in this period is 0"
    subject = title.split(":", 1)[0].strip()
    if not subject[1:2].isupper():  # "RAG movements" keeps its capitals
        subject = subject[:1].lower() + subject[1:]
    return f"No {subject} recorded in this period"


def _category_labels(labels: Sequence[str]) -> tuple[float, list[list[str]]]:
    """The left margin for the bars' labels and each label in lines that fit it: as wide as the
    longest label needs, up to two fifths of the chart, beyond which labels wrap."""
    widest = max((text_width(label) for label in labels), default=0)
    left = min(widest + 16, WIDTH * 0.4)
    return left, [wrap(label, left - 16) for label in labels]


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    category_title: str = "",
    value_title: str = "",
    empty: str = "",
) -> SafeString:
    """Horizontal bars, one per label, each with its value written after it."""
    return stacked_bar_chart(
        title,
        labels,
        [Series(title, values, PALETTE[0])],
        legend=False,
        category_title=category_title,
        value_title=value_title,
        empty=empty,
    )


def stacked_bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    legend: bool = True,
    category_title: str = "",
    value_title: str = "",
    empty: str = "",
) -> SafeString:
    """Horizontal bars of several series stacked end to end, with the total after each bar."""
    if _is_empty(labels, series):
        return empty_chart(title, empty or empty_message(title))
    labels = [str(label) for label in labels]
    totals = [sum(item.values[i] or 0 for item in series) for i in range(len(labels))]
    scale_max = _nice_max(max(totals, default=0))
    left, label_lines = _category_labels(labels)
    value_room = max(text_width(_fmt(total)) for total in totals) + 12
    plot_width = WIDTH - left - RIGHT - value_room
    legend_height = len(_legend_rows(series, 8)) * (LINE + 4) + 6 if legend else 0
    rows_height = sum(max(22, len(lines) * LINE + 6) + 8 for lines in label_lines)
    top = TOP + legend_height
    height = top + rows_height + (LINE + 14 if value_title else 10)
    _, parts = _open(title, height)
    if legend:
        _legend(parts, series, TOP)
    if category_title:
        parts.append(
            _text(
                left - 8,
                top - 8,
                wrap(category_title, left - 8, lines=1),
                anchor="end",
                extra=' font-weight="bold"',
            )
        )
    y = float(top)
    for row, lines in enumerate(label_lines):
        bar = max(22, len(lines) * LINE + 6)
        first_baseline = y + bar / 2 + 4 - (len(lines) - 1) * LINE / 2
        parts.append(_text(left - 8, first_baseline, lines, anchor="end"))
        x = float(left)
        for index, item in enumerate(series):
            width = plot_width * (item.values[row] or 0) / scale_max
            if width > 0:
                colour = _colour(index, item.name, item.colour)
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{bar}" '
                    f'fill="{colour}"/>'
                )
            x += width
        parts.append(_text(x + 6, y + bar / 2 + 4, [_fmt(totals[row])]))
        y += bar + 8
    if value_title:
        parts.append(
            _text(
                left + plot_width / 2,
                y + LINE,
                [value_title],
                anchor="middle",
                extra=' font-weight="bold"',
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def grouped_bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    category_title: str = "",
    value_title: str = "",
    empty: str = "",
) -> SafeString:
    """Horizontal bars of several series side by side for each label, each with its value."""
    if _is_empty(labels, series):
        return empty_chart(title, empty or empty_message(title))
    labels = [str(label) for label in labels]
    bar, gap = 14, 10
    scale_max = _nice_max(max((abs(v or 0) for s in series for v in s.values), default=0))
    left, label_lines = _category_labels(labels)
    value_room = max(text_width(_fmt(v or 0), 10) for s in series for v in s.values) + 12
    plot_width = WIDTH - left - RIGHT - value_room
    legend_height = len(_legend_rows(series, 8)) * (LINE + 4) + 6
    group_heights = [max(bar * len(series), len(lines) * LINE) for lines in label_lines]
    top = TOP + legend_height
    height = top + sum(h + gap for h in group_heights) + (LINE + 14 if value_title else 10)
    _, parts = _open(title, height)
    _legend(parts, series, TOP)
    if category_title:
        parts.append(
            _text(
                left - 8,
                top - 8,
                wrap(category_title, left - 8, lines=1),
                anchor="end",
                extra=' font-weight="bold"',
            )
        )
    y = float(top)
    for row, lines in enumerate(label_lines):
        group = group_heights[row]
        first_baseline = y + group / 2 + 4 - (len(lines) - 1) * LINE / 2
        parts.append(_text(left - 8, first_baseline, lines, anchor="end"))
        bar_y = y + (group - bar * len(series)) / 2
        for index, item in enumerate(series):
            value = item.values[row] or 0
            width = plot_width * max(value, 0) / scale_max
            colour = _colour(index, item.name, item.colour)
            parts.append(
                f'<rect x="{left:.1f}" y="{bar_y:.1f}" width="{width:.1f}" height="{bar - 2}" '
                f'fill="{colour}"/>'
            )
            parts.append(
                _text(left + width + 6, bar_y + bar - 4, [_fmt(value)], extra=' font-size="10"')
            )
            bar_y += bar
        y += group + gap
    if value_title:
        parts.append(
            _text(
                left + plot_width / 2,
                y + LINE,
                [value_title],
                anchor="middle",
                extra=' font-weight="bold"',
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    category_title: str = "",
    value_title: str = "",
    empty: str = "",
) -> SafeString:
    """One line per series over the labels (months), with a labelled vertical scale. Only as
    many labels are written under the axis as fit side by side; the last one always is."""
    if _is_empty(labels, series):
        return empty_chart(title, empty or empty_message(title))
    labels = [str(label) for label in labels]
    legend_height = len(_legend_rows(series, 8)) * (LINE + 4) + 6
    scale_max = _nice_max(max((v or 0 for s in series for v in s.values), default=0))
    ticks = [scale_max * step / 4 for step in range(5)]
    tick_width = max(text_width(_fmt(value)) for value in ticks)
    left = tick_width + 10 + (LINE + 6 if value_title else 0)
    label_width = max(text_width(label) for label in labels)
    right = max(RIGHT, label_width / 2 + 4)
    plot_width = WIDTH - left - right
    top = TOP + legend_height
    plot_height = 160
    height = top + plot_height + 26 + (LINE + 8 if category_title else 0)
    _, parts = _open(title, height)
    _legend(parts, series, TOP)
    for step, value in enumerate(ticks):
        y = top + plot_height - plot_height * step / 4
        parts.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_width:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(_text(left - 6, y + 4, [_fmt(value)], anchor="end"))
    points = max(len(labels) - 1, 1)
    spacing = plot_width / points
    every = max(1, ceil((label_width + 10) / spacing))
    shown = list(range(0, len(labels), every))
    if shown[-1] != len(labels) - 1:
        # The last month always shows; the one before it gives way if the two would touch.
        if (len(labels) - 1 - shown[-1]) * spacing < label_width + 10:
            shown.pop()
        shown.append(len(labels) - 1)
    for index in shown:
        x = left + plot_width * index / points if len(labels) > 1 else left + plot_width / 2
        parts.append(_text(x, top + plot_height + 18, [labels[index]], anchor="middle"))
    if category_title:
        parts.append(
            _text(
                left + plot_width / 2,
                height - 6,
                [category_title],
                anchor="middle",
                extra=' font-weight="bold"',
            )
        )
    if value_title:
        cx, cy = 14, top + plot_height / 2
        parts.append(
            _text(
                cx,
                cy,
                [value_title],
                anchor="middle",
                extra=f' font-weight="bold" transform="rotate(-90 {cx} {cy:.1f})"',
            )
        )
    for index, item in enumerate(series):
        colour = _colour(index, item.name, item.colour)
        coordinates = " ".join(
            f"{left + plot_width * i / points:.1f},"
            f"{top + plot_height - plot_height * (value or 0) / scale_max:.1f}"
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
    keys = [Series(name, []) for name, _ in series]
    top = TOP + len(_legend_rows(keys, 8)) * (LINE + 4) + 6
    height = top + 426
    _, parts = _open(title, height)
    left = 20
    plot_width, plot_height = WIDTH - left - RIGHT, height - top - 40
    xs = [x for _, points in series for x, _ in points]
    ys = [y for _, points in series for _, y in points]
    _legend(parts, keys, TOP)
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
    """The chart a table of figures asks for (``table["chart"]``), without its total row. The
    axes are titled with the table's first column and, for one series, its column; the spec
    may name the values (``"value_title"``) and say what an empty chart means (``"empty"``)."""
    spec = table.get("chart")
    if not spec:
        return None
    rows = [row for row in table["rows"] if row[0] not in ("Total", "All proven offences")]
    labels = [str(row[0]) for row in rows]
    series = [
        Series(table["columns"][index], [row[index] or 0 for row in rows])
        for index in spec["series"]
    ]
    titles = {
        "category_title": table["columns"][0],
        "value_title": spec.get("value_title")
        or (series[0].name if len(series) == 1 else "Number"),
        "empty": spec.get("empty", ""),
    }
    kind = spec["kind"]
    if kind == "line":
        return line_chart(table["title"], labels, series, **titles)
    if kind == "stacked":
        return stacked_bar_chart(table["title"], labels, series, **titles)
    if kind == "bars":
        return grouped_bar_chart(table["title"], labels, series, **titles)
    return bar_chart(table["title"], labels, series[0].values, **titles)
