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

from iom import formatting, govuk_fields
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


register.filter("select_options", govuk_fields.select_options)


@register.simple_tag
def govuk_field(bound, classes="", mark_optional=False) -> SafeString:
    """One form field as the GOV.UK Design System draws it (``iom.govuk_fields``):
    {% govuk_field form.name classes="govuk-input--width-10" mark_optional=True %}."""
    return govuk_fields.field(bound, classes=classes or "", mark_optional=bool(mark_optional))


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
