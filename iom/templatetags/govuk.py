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


@register.filter
def select_options(field) -> SafeString:
    """The ``<option>`` elements of a select field, written in Python: a template loop over
    the options of a long select (officers, neighbourhoods) cost more than the rest of the
    form. Django's blank "---------" is shown as "Not recorded"."""
    options = []
    for option in field.subwidgets:
        label = option.choice_label
        selected = " selected" if option.data["selected"] else ""
        options.append(
            f'<option value="{esc(option.data["value"])}"{selected}>'
            f"{esc('Not recorded' if label == '---------' else label)}</option>"
        )
    return mark_safe("\n".join(options))
