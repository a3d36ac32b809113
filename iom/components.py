"""GOV.UK components drawn in Python, for the cells of long lists.

A template include costs more than the HTML it writes, and so does ``format_html``: the cohort
list's 25 rows of a dozen cells each spent more time in them than in everything else on the
page. The lists draw their cells with f-strings, every value passing through ``esc``; the
templates that show the same component elsewhere call the same functions (through template
filters), so the two never differ.
"""

import functools
import html

from django.utils.safestring import SafeData, SafeString, mark_safe

# GOV.UK tag colours: https://design-system.service.gov.uk/components/tag/
TAG_COLOURS = frozenset(
    (
        "grey",
        "green",
        "turquoise",
        "blue",
        "light-blue",
        "purple",
        "pink",
        "red",
        "orange",
        "yellow",
    )
)


def esc(value) -> str:
    """``value`` escaped for HTML, unless it is already safe: Django's ``conditional_escape``
    (the same characters, by the same ``html.escape``) without its lazy-string wrapping."""
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(str(value))


@functools.lru_cache(maxsize=256)
def tag(text: str, colour: str) -> SafeString:
    """A GOV.UK tag: ``<strong class="govuk-tag govuk-tag--red">Overdue</strong>`` (the few
    tags of a list are drawn once and kept)."""
    if colour not in TAG_COLOURS:
        raise ValueError(f"{colour!r} is not a GOV.UK tag colour")
    return mark_safe(f'<strong class="govuk-tag govuk-tag--{colour}">{esc(text)}</strong>')


def tag_of(value: str | None, tags: dict[str, tuple[str, str]], otherwise: tuple[str, str]):
    """The tag for ``value`` from ``tags`` ({value: (text, colour)}), else ``otherwise``."""
    return tag(*tags.get(value or "", otherwise))
