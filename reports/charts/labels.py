"""The charts' text: figures as written, the width text takes, wrapping, and <text> itself."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from .style import LINE, SIZE, TEXT


def fmt(value: float) -> str:
    """A figure as the charts write it: whole numbers without decimals, others to one place."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


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


def svg_text(
    x: float, y: float, lines: Sequence[str], *, anchor: str = "start", extra: str = ""
) -> str:
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
