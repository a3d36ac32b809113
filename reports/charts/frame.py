"""What every chart has: the <svg> that names itself, the legend, and the empty chart."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

from .labels import svg_text, text_width, wrap
from .style import FONT, GRID, LINE, RIGHT, SIZE, WIDTH, Series, colour_for

_ids = count(1)


def open_svg(title: str, height: float) -> list[str]:
    """The chart's opening parts: the <svg> element and its <title>."""
    chart_id = f"chart-{next(_ids)}"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title" '
        f'font-family="{FONT}" font-size="{SIZE}" class="app-chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]


def close_svg(parts: list[str]) -> SafeString:
    """The chart whose parts these are, closed."""
    parts.append("</svg>")
    return mark_safe("".join(parts))


def in_font(svg: str, font: str) -> SafeString:
    """The same chart in another font (the PDF's). Labels were measured in DejaVu Sans, the
    widest of the fonts allowed, so they fit in either."""
    return mark_safe(str(svg).replace(f'font-family="{FONT}"', f'font-family="{font}"', 1))


def legend_rows(series: Sequence[Series], left: float) -> list[list[tuple[float, int]]]:
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


def legend_height(series: Sequence[Series]) -> float:
    """The height the legend of ``series`` takes, drawn from the chart's left edge."""
    return len(legend_rows(series, 8)) * (LINE + 4) + 6


def draw_legend(parts: list[str], series: Sequence[Series], y: float, left: float = 8) -> float:
    """Draws the legend from ``y`` (the first row's baseline); returns the height it takes."""
    rows = legend_rows(series, left)
    for number, row in enumerate(rows):
        row_y = y + number * (LINE + 4)
        for x, index in row:
            item = series[index]
            colour = colour_for(index, item.name, item.colour)
            parts.append(
                f'<rect x="{x:.1f}" y="{row_y - 10:.1f}" width="12" height="12" fill="{colour}"/>'
            )
            parts.append(svg_text(x + 16, row_y, [item.name]))
    return len(rows) * (LINE + 4) + 6


def is_empty(labels: Sequence[str], series: Sequence[Series]) -> bool:
    return not labels or not any(value for item in series for value in item.values)


def empty_chart(title: str, message: str) -> SafeString:
    """What a chart with nothing to draw shows: its title and a sentence that says so."""
    lines = wrap(message, WIDTH - 40)
    height = 30 + len(lines) * LINE + 10
    parts = open_svg(title, height)
    parts.append(
        f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="{height - 1}" fill="none" '
        f'stroke="{GRID}"/>'
    )
    parts.append(svg_text(WIDTH / 2, 30, lines, anchor="middle"))
    return close_svg(parts)


def empty_message(title: str) -> str:
    """ "No pathway outcomes recorded in this period" for "Pathway outcomes: actions and needs";
    a title without such a subject gets a plain sentence."""
    if ":" not in title:
        return "Nothing to chart: every figure in this period is 0"
    subject = title.split(":", 1)[0].strip()
    if not subject[1:2].isupper():  # "RAG movements" keeps its capitals
        subject = subject[:1].lower() + subject[1:]
    return f"No {subject} recorded in this period"
