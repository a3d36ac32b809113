"""Line charts: one line per series over months, on a labelled vertical scale."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil

from django.utils.safestring import SafeString

from .frame import (
    close_svg,
    draw_legend,
    empty_chart,
    empty_message,
    is_empty,
    legend_height,
    open_svg,
)
from .labels import fmt, svg_text, text_width
from .style import BOLD, GRID, LINE, RIGHT, TOP, WIDTH, Series, colour_for, nice_max

PLOT_HEIGHT = 160


@dataclass(frozen=True)
class _Plot:
    """Where the lines are drawn: the plot's left edge, top and width, the top of its scale
    and the number of intervals between the labels."""

    left: float
    top: float
    width: float
    scale_max: float
    points: int

    def x(self, index: int) -> float:
        return self.left + self.width * index / self.points

    def y(self, value: float) -> float:
        return self.top + PLOT_HEIGHT - PLOT_HEIGHT * value / self.scale_max


def _draw_scale(parts: list[str], plot: _Plot, ticks: Sequence[float]) -> None:
    """The scale's grid lines, each with its value on the left."""
    for step, value in enumerate(ticks):
        y = plot.top + PLOT_HEIGHT - PLOT_HEIGHT * step / 4
        parts.append(
            f'<line x1="{plot.left:.1f}" y1="{y:.1f}" x2="{plot.left + plot.width:.1f}" '
            f'y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(svg_text(plot.left - 6, y + 4, [fmt(value)], anchor="end"))


def _shown_labels(count: int, spacing: float, label_width: float) -> list[int]:
    """Which of ``count`` labels are written: as many as fit side by side; the last always."""
    every = max(1, ceil((label_width + 10) / spacing))
    shown = list(range(0, count, every))
    if shown[-1] != count - 1:
        # The last month always shows; the one before it gives way if the two would touch.
        if (count - 1 - shown[-1]) * spacing < label_width + 10:
            shown.pop()
        shown.append(count - 1)
    return shown


def _draw_labels(parts: list[str], plot: _Plot, labels: Sequence[str], label_width: float):
    """The labels under the axis that fit."""
    for index in _shown_labels(len(labels), plot.width / plot.points, label_width):
        x = plot.x(index) if len(labels) > 1 else plot.left + plot.width / 2
        parts.append(svg_text(x, plot.top + PLOT_HEIGHT + 18, [labels[index]], anchor="middle"))


def _draw_titles(
    parts: list[str], plot: _Plot, height: float, category_title: str, value_title: str
) -> None:
    """The axes' titles: the categories' under the labels, the values' up the left side."""
    if category_title:
        x = plot.left + plot.width / 2
        parts.append(svg_text(x, height - 6, [category_title], anchor="middle", extra=BOLD))
    if value_title:
        cx, cy = 14, plot.top + PLOT_HEIGHT / 2
        rotate = f' transform="rotate(-90 {cx} {cy:.1f})"'
        parts.append(svg_text(cx, cy, [value_title], anchor="middle", extra=BOLD + rotate))


def _draw_lines(parts: list[str], plot: _Plot, series: Sequence[Series]) -> None:
    for index, item in enumerate(series):
        colour = colour_for(index, item.name, item.colour)
        coordinates = " ".join(
            f"{plot.x(i):.1f},{plot.y(value or 0):.1f}" for i, value in enumerate(item.values)
        )
        parts.append(
            f'<polyline points="{coordinates}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
        )


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
    if is_empty(labels, series):
        return empty_chart(title, empty or empty_message(title))
    labels = [str(label) for label in labels]
    scale_max = nice_max(max((v or 0 for s in series for v in s.values), default=0))
    ticks = [scale_max * step / 4 for step in range(5)]
    left = max(text_width(fmt(value)) for value in ticks) + 10 + (LINE + 6 if value_title else 0)
    label_width = max(text_width(label) for label in labels)
    right = max(RIGHT, label_width / 2 + 4)
    top = TOP + legend_height(series)
    plot = _Plot(left, top, WIDTH - left - right, scale_max, max(len(labels) - 1, 1))
    height = top + PLOT_HEIGHT + 26 + (LINE + 8 if category_title else 0)
    parts = open_svg(title, height)
    draw_legend(parts, series, TOP)
    _draw_scale(parts, plot, ticks)
    _draw_labels(parts, plot, labels, label_width)
    _draw_titles(parts, plot, height, category_title, value_title)
    _draw_lines(parts, plot, series)
    return close_svg(parts)
