"""Horizontal bar charts: one series, several stacked end to end, or several side by side."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

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
from .labels import fmt, svg_text, text_width, wrap
from .style import BOLD, LINE, PALETTE, RIGHT, TOP, WIDTH, Series, colour_for, nice_max


def category_labels(labels: Sequence[str]) -> tuple[float, list[list[str]]]:
    """The left margin for the bars' labels and each label in lines that fit it: as wide as the
    longest label needs, up to two fifths of the chart, beyond which labels wrap."""
    widest = max((text_width(label) for label in labels), default=0)
    left = min(widest + 16, WIDTH * 0.4)
    return left, [wrap(label, left - 16) for label in labels]


class _Rows:
    """The frame the bar charts share: the legend, the axes' titles, and the labels down the
    left, each beside a row of bars of the height given for it."""

    def __init__(
        self,
        title: str,
        series: Sequence[Series],
        labels: Sequence[str],
        *,
        row_height: Callable[[list[str]], float],
        gap: float,
        value_room: float,
        legend: bool,
        category_title: str,
        value_title: str,
    ) -> None:
        self.left, self.label_lines = category_labels(labels)
        self.plot_width = WIDTH - self.left - RIGHT - value_room
        heights = [row_height(lines) for lines in self.label_lines]
        self.heights, self.gap, self.value_title = heights, gap, value_title
        self.top = TOP + (legend_height(series) if legend else 0)
        height = self.top + sum(h + gap for h in heights) + (LINE + 14 if value_title else 10)
        self.parts = open_svg(title, height)
        if legend:
            draw_legend(self.parts, series, TOP)
        if category_title:
            lines = wrap(category_title, self.left - 8, lines=1)
            self.parts.append(
                svg_text(self.left - 8, self.top - 8, lines, anchor="end", extra=BOLD)
            )

    def rows(self) -> Iterator[tuple[int, float, float]]:
        """Writes each row's label, vertically centred on the row, and gives the row's number,
        top and height for its bars; after the last, the value axis's title."""
        y = float(self.top)
        for row, lines in enumerate(self.label_lines):
            height = self.heights[row]
            first_baseline = y + height / 2 + 4 - (len(lines) - 1) * LINE / 2
            self.parts.append(svg_text(self.left - 8, first_baseline, lines, anchor="end"))
            yield row, y, height
            y += height + self.gap
        if self.value_title:
            x = self.left + self.plot_width / 2
            self.parts.append(
                svg_text(x, y + LINE, [self.value_title], anchor="middle", extra=BOLD)
            )

    def rect(self, x: float, y: float, width: float, height: float, colour: str) -> None:
        self.parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height}" fill="{colour}"/>'
        )


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
    if is_empty(labels, series):
        return empty_chart(title, empty or empty_message(title))
    labels = [str(label) for label in labels]
    totals = [sum(item.values[i] or 0 for item in series) for i in range(len(labels))]
    scale_max = nice_max(max(totals, default=0))
    frame = _Rows(
        title,
        series,
        labels,
        row_height=lambda lines: max(22, len(lines) * LINE + 6),
        gap=8,
        value_room=max(text_width(fmt(total)) for total in totals) + 12,
        legend=legend,
        category_title=category_title,
        value_title=value_title,
    )
    for row, y, bar in frame.rows():
        x = float(frame.left)
        for index, item in enumerate(series):
            width = frame.plot_width * (item.values[row] or 0) / scale_max
            if width > 0:
                frame.rect(x, y, width, bar, colour_for(index, item.name, item.colour))
            x += width
        frame.parts.append(svg_text(x + 6, y + bar / 2 + 4, [fmt(totals[row])]))
    return close_svg(frame.parts)


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
    if is_empty(labels, series):
        return empty_chart(title, empty or empty_message(title))
    labels = [str(label) for label in labels]
    bar = 14
    scale_max = nice_max(max((abs(v or 0) for s in series for v in s.values), default=0))
    frame = _Rows(
        title,
        series,
        labels,
        row_height=lambda lines: max(bar * len(series), len(lines) * LINE),
        gap=10,
        value_room=max(text_width(fmt(v or 0), 10) for s in series for v in s.values) + 12,
        legend=True,
        category_title=category_title,
        value_title=value_title,
    )
    for row, y, group in frame.rows():
        bar_y = y + (group - bar * len(series)) / 2
        for index, item in enumerate(series):
            value = item.values[row] or 0
            width = frame.plot_width * max(value, 0) / scale_max
            frame.rect(frame.left, bar_y, width, bar - 2, colour_for(index, item.name, item.colour))
            frame.parts.append(
                svg_text(
                    frame.left + width + 6, bar_y + bar - 4, [fmt(value)], extra=' font-size="10"'
                )
            )
            bar_y += bar
    return close_svg(frame.parts)
