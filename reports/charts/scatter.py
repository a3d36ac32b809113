"""Scatter charts of points in plane coordinates, such as a map's."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.safestring import SafeString

from .frame import close_svg, draw_legend, legend_height, open_svg
from .labels import fmt
from .style import GRID, RIGHT, TEXT, TOP, WIDTH, Series, colour_for


def _scales(
    xs: Sequence[float], ys: Sequence[float], width: float, height: float, equal_axes: bool
) -> tuple[float, float]:
    """Units of the plot per unit of each coordinate, the same for both when ``equal_axes``."""
    span_x, span_y = max(max(xs) - min(xs), 1.0), max(max(ys) - min(ys), 1.0)
    if equal_axes:
        scale = min(width / span_x, height / span_y)
        return scale, scale
    return width / span_x, height / span_y


def scatter_chart(
    title: str,
    series: Sequence[tuple[str, Sequence[tuple[float, float]]]],
    *,
    equal_axes: bool = True,
) -> SafeString:
    """Points in plane coordinates (e.g. British National Grid eastings and northings in
    metres), north up, with both axes at the same scale when ``equal_axes``."""
    keys = [Series(name, []) for name, _ in series]
    top = TOP + legend_height(keys)
    height = top + 426
    parts = open_svg(title, height)
    left = 20
    plot_width, plot_height = WIDTH - left - RIGHT, height - top - 40
    xs = [x for _, points in series for x, _ in points]
    ys = [y for _, points in series for _, y in points]
    draw_legend(parts, keys, TOP)
    if not xs:
        parts.append(f'<text x="{left}" y="{top + 20}" fill="{TEXT}">No points to plot</text>')
        return close_svg(parts)
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    sx, sy = _scales(xs, ys, plot_width, plot_height, equal_axes)
    parts.append(
        f'<rect x="{left}" y="{top}" width="{plot_width}" height="{plot_height}" fill="none" '
        f'stroke="{GRID}"/>'
    )
    parts.append(
        f'<text x="{left}" y="{height - 8}" fill="{TEXT}">Easting {fmt(x0)}–{fmt(x1)} m, '
        f"northing {fmt(y0)}–{fmt(y1)} m (British National Grid)</text>"
    )
    for index, (name, points) in enumerate(series):
        colour = colour_for(index, name)
        for x, y in points:
            cx = left + (x - x0) * sx
            cy = top + plot_height - (y - y0) * sy
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{colour}"/>')
    return close_svg(parts)
