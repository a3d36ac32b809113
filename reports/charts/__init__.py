"""Charts drawn on the server as SVG: bar, stacked bar, line and scatter.

Colours come from the GOV.UK Design System palette and are set with SVG presentation
attributes (``fill="…"``), never style attributes, which the Content-Security-Policy forbids.
Every chart names itself (``<title>``) and the page shows the same figures in a table beside it,
so nothing is said by the picture alone. The same SVG is embedded in the PDF reports.

``style`` holds the colours, font and measures; ``labels`` measures and writes text;
``frame`` draws what every chart has (its title, legend, or the sentence an empty chart shows);
``bars``, ``line`` and ``scatter`` draw each kind; ``tables`` picks the kind a table asks for.
"""

from .bars import bar_chart, grouped_bar_chart, stacked_bar_chart
from .frame import empty_chart, empty_message, in_font
from .labels import text_width, wrap
from .line import line_chart
from .scatter import scatter_chart
from .style import BAND_COLOURS, FONT, GRID, PALETTE, PDF_FONT, TEXT, WIDTH, Series
from .tables import chart_for

__all__ = [
    "BAND_COLOURS",
    "FONT",
    "GRID",
    "PALETTE",
    "PDF_FONT",
    "TEXT",
    "WIDTH",
    "Series",
    "bar_chart",
    "chart_for",
    "empty_chart",
    "empty_message",
    "grouped_bar_chart",
    "in_font",
    "line_chart",
    "scatter_chart",
    "stacked_bar_chart",
    "text_width",
    "wrap",
]
