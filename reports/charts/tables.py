"""The chart a table of figures asks for."""

from __future__ import annotations

from django.utils.safestring import SafeString

from .bars import bar_chart, grouped_bar_chart, stacked_bar_chart
from .line import line_chart
from .style import Series


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
