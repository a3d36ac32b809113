"""The charts' colours, font and measures, and the series they draw."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
BOLD = ' font-weight="bold"'


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    colour: str = ""


def colour_for(index: int, name: str, given: str = "") -> str:
    """The colour given, else a RAG band's own (for a name ending in the band), else the
    palette's next."""
    band = next((colour for key, colour in BAND_COLOURS.items() if name.endswith(key)), "")
    return given or band or PALETTE[index % len(PALETTE)]


def nice_max(value: float) -> float:
    """The top of a scale that holds ``value``: 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude
