"""Template filters that write dates, times and figures the GOV.UK way: see iom/formatting.py.

{% load govuk %}
{{ day|govuk_date }}             1 December 2026
{{ day|govuk_date_short }}       1 Dec 2026 (tables)
{{ moment|govuk_datetime }}      1 December 2026 at 6:12pm
{{ moment|govuk_datetime_short }} 1 Dec 2026, 6:12pm (tables)
{{ moment|govuk_time }}          6:12pm
{{ count|figure }}               260,360
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

from iom import formatting
from iom.components import esc

register = template.Library()

register.filter("govuk_date", formatting.long_date)
register.filter("govuk_date_short", formatting.short_date)
register.filter("govuk_datetime", formatting.long_datetime)
register.filter("govuk_datetime_short", formatting.short_datetime)
register.filter("govuk_time", formatting.time_of_day)
register.filter("figure", formatting.figure)
register.filter("in_sentence", formatting.in_sentence)
register.filter("without_full_stop", formatting.without_full_stop)
register.filter("with_note", formatting.with_note)


@register.filter
def revealed_by(field, value) -> list:
    """The fields a radio choice reveals (GOV.UK conditional reveal), as the form's
    ``reveals`` names them: {% with revealed=field|revealed_by:option.data.value %}."""
    reveal = getattr(field.form, "revealed_by", None)
    return reveal(field.name, value) if reveal is not None else []


def _flat_choices(choices):
    """(value, label) of every choice, those of a group in their place (as a select's
    subwidgets give them)."""
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from _flat_choices(label)
        else:
            yield value, label


@register.filter
def select_options(field) -> SafeString:
    """The ``<option>`` elements of a select field, written in Python from its choices: a
    template loop over the options of a long select (officers, neighbourhoods) cost more than
    the rest of the form, and so did the widget's own option dictionaries. The first choice
    with the field's value is selected, as Django's select does. Django's blank "---------"
    is shown as "Not recorded"."""
    widget = field.field.widget
    values = set(widget.format_value(field.value()))
    multiple = widget.allow_multiple_selected
    options = []
    has_selected = False
    for value, label in _flat_choices(field.field.choices):
        value = "" if value is None else str(value)
        selected = value in values and (multiple or not has_selected)
        has_selected |= selected
        options.append(
            f'<option value="{esc(value)}"{" selected" if selected else ""}>'
            f"{esc('Not recorded' if label == '---------' else label)}</option>"
        )
    return mark_safe("\n".join(options))


@register.simple_tag
def choice_options(choices, chosen) -> SafeString:
    """The ``<option>`` elements of ``(value, label)`` pairs, ``chosen`` selected, written in
    Python: {% choice_options people person %}. My work's person filter lists everyone on an
    officer's work, and a template loop over two thousand of them took most of the page."""
    return mark_safe(
        "\n".join(
            f'<option value="{esc(value)}"{" selected" if value == chosen else ""}>'
            f"{esc(label)}</option>"
            for value, label in choices
        )
    )
