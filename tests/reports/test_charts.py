"""The SVG charts read: no label outside the picture (left of 0 or past its width, measured with
the charts' own generous font metric), axis titles, and a sentence instead of an empty plot."""

import itertools
import re
import xml.etree.ElementTree as ET

import pytest

from reports import charts, exports
from reports.charts import Series, text_width

SVG = "{http://www.w3.org/2000/svg}"
LONG = "Demo Shire Community Rehabilitation Company and Partners in Offender Management"


def _texts(svg: str) -> list[tuple[float, str, str, float, str]]:
    """(x, anchor, text, font size, transform) of every line of text in the chart."""
    root = ET.fromstring(str(svg))
    size = float(root.get("font-size"))
    found = []
    for text in root.iter(f"{SVG}text"):
        anchor = text.get("text-anchor", "start")
        text_size = float(text.get("font-size", size))
        spans = list(text.iter(f"{SVG}tspan")) or [text]
        for span in spans:
            x = float(span.get("x", text.get("x")))
            found.append((x, anchor, span.text or "", text_size, text.get("transform", "")))
    return found


def _extent(x: float, anchor: str, content: str, size: float) -> tuple[float, float]:
    width = text_width(content, size)
    start = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return start, start + width


def assert_every_label_inside(svg) -> None:
    width = float(ET.fromstring(str(svg)).get("viewBox").split()[2])
    for x, anchor, content, size, transform in _texts(svg):
        assert x >= 0, f"{content!r} starts at x={x}"
        if transform:  # an upright axis title: its length runs down the chart
            continue
        start, end = _extent(x, anchor, content, size)
        assert start >= 0, f"{content!r} runs off the left edge ({start:.1f})"
        assert end <= width, f"{content!r} runs off the right edge ({end:.1f} > {width})"


def test_text_width_grows_with_the_text_and_the_size():
    assert text_width("Nov 2026") < text_width("November 2026")
    assert text_width("Nov 2026", 10) < text_width("Nov 2026", 12)
    # Generous: wider than Arial's own advance widths (about 0.5 em for these letters).
    assert text_width("Robbery") > 7 * 0.5 * 12


def test_long_bar_labels_wrap_and_stay_inside_the_chart():
    svg = charts.bar_chart(
        "Cohort by lead agency",
        [LONG, "Police", "National Probation Service – Demo Shire"],
        [98, 33, 260360],
        category_title="Lead agency",
        value_title="People",
    )
    assert_every_label_inside(svg)
    assert "<tspan" in svg  # the long names wrap onto a second line
    assert "260,360" in svg
    assert ">Lead agency<" in svg and ">People<" in svg


def test_a_label_too_long_for_two_lines_is_shortened_with_an_ellipsis():
    lines = charts.wrap(LONG * 3, 200)
    assert len(lines) == 2
    assert lines[-1].endswith("…")
    assert all(text_width(line) <= 200 for line in lines)


@pytest.mark.parametrize("months", [3, 12, 24, 36])
def test_line_chart_month_labels_never_overlap_or_run_off(months):
    labels = [
        f"{['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun'][i % 6]} 20{26 + i // 12}"
        for i in range(months)
    ]
    series = [
        Series("Cohort at month end", [200 + i for i in range(months)]),
        Series("Exits", [3] * months),
    ]
    svg = charts.line_chart(
        "Cohort size by month", labels, series, category_title="Month", value_title="People"
    )
    assert_every_label_inside(svg)
    under_axis = sorted(
        _extent(x, anchor, content, size)
        for x, anchor, content, size, _ in _texts(svg)
        if re.fullmatch(r"[A-Z][a-z]{2} \d{4}", content)
    )
    assert under_axis[-1][1] > 0 and labels[-1] in svg  # the last month is always written
    for (_, end), (start, _) in itertools.pairwise(under_axis):
        assert end < start, "two month labels overlap"


def test_legends_wrap_rather_than_run_past_the_edge():
    series = [Series(f"A rather long name for series {i}", [i + 1, 2]) for i in range(6)]
    assert_every_label_inside(charts.stacked_bar_chart("Bands", ["Red", "Amber"], series))
    assert_every_label_inside(charts.grouped_bar_chart("Bands", ["Red", "Amber"], series))


def test_a_chart_of_zeros_says_so_instead_of_drawing_nothing():
    table = {
        "title": "Pathway outcomes: actions and needs",
        "columns": ["Pathway", "Actions due", "Actions completed", "Needs reduced"],
        "rows": [["Accommodation", 0, 0, 0], ["Drugs", 0, 0, 0], ["Total", 0, 0, 0]],
        "chart": {"kind": "bars", "series": [2, 3]},
    }
    svg = charts.chart_for(table)
    assert "No pathway outcomes recorded in this period" in svg
    assert '<rect x="0.5"' in svg and "<polyline" not in svg
    assert_every_label_inside(svg)
    assert "every figure in this period is 0" in charts.line_chart(
        "Cohort size", ["Jan"], [Series("A", [0])]
    )
    assert charts.empty_message("RAG movements: band on 1 May") == (
        "No RAG movements recorded in this period"
    )


def test_chart_for_titles_both_axes_from_the_table():
    table = {
        "title": "Cohort by stream",
        "columns": ["Stream", "People"],
        "rows": [["Serious Acquisitive Crime", 120], ["Total", 120]],
        "chart": {"kind": "bar", "series": [1]},
    }
    svg = charts.chart_for(table)
    assert ">Stream<" in svg and ">People<" in svg
    assert 'font-family="Arial, Helvetica, DejaVu Sans, sans-serif"' in svg
    assert "Total" not in svg


def test_the_pdf_draws_its_charts_in_its_own_font():
    figures = {
        "tables": [
            {
                "title": "Cohort by stream",
                "columns": ["Stream", "People"],
                "rows": [["Serious Acquisitive Crime", 120]],
                "chart": {"kind": "bar", "series": [1]},
            }
        ]
    }
    (section,) = exports.with_charts(figures, font=charts.PDF_FONT)
    assert f'font-family="{charts.PDF_FONT}"' in section["svg"]
    assert charts.FONT not in section["svg"]
