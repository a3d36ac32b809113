"""A form field as the GOV.UK Design System draws it, written in Python.

``field(bound)`` gives the form group of one bound field: its label (or, for a date, radios or
checkboxes, a fieldset and legend), hint, error message and control, in the group that shows
the error state. Templates call it as ``{% govuk_field form.name %}`` (``iom.templatetags.govuk``).
It was a template with an include for each part; a long filter form spent more time in those
includes than in the rest of its page.

- ``classes`` is added to the control, ``mark_optional`` adds "(optional)" to the label of a
  field that is not required. Both pass on to the fields a radio choice reveals.
- A radio choice that reveals fields (the form's ``reveals``, GOV.UK conditional reveal) draws
  them under it, hidden until it is chosen; loop over ``form.top_fields`` so that they are not
  drawn twice.
- No control takes autofocus: on a page with errors, GOV.UK Frontend moves focus to the error
  summary instead. A blank choice (select or radios) keeps a label the form gives it; Django's
  default "---------" is shown as "Not recorded".
- The ids follow Django's own aria-describedby: ``<id>_helptext`` for the hint, ``<id>_error``
  for the error message.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe

from iom.components import esc

_BLANK_LABEL = "---------"
_FIELDSET_TYPES = frozenset(("govukdate", "radioselect", "checkboxselectmultiple"))


def field(bound: BoundField, classes: str = "", mark_optional: bool = False) -> SafeString:
    """The GOV.UK form group of ``bound``: see the module's docstring."""
    if bound.is_hidden:
        return mark_safe(str(bound))
    kind = bound.widget_type
    group = "govuk-form-group--error" if bound.errors else ""
    if kind in _FIELDSET_TYPES:
        inner = _fieldset(bound, kind, classes, mark_optional)
    elif kind == "checkbox":
        inner = hint_and_error(bound) + _single_checkbox(bound, classes)
    else:
        inner = (
            f'<label class="govuk-label" for="{esc(bound.id_for_label)}">'
            f"{_label(bound, mark_optional)}</label>\n"
            f"{hint_and_error(bound)}{_control(bound, kind, classes)}"
        )
    return mark_safe(f'<div class="govuk-form-group{_space(group)}">\n{inner}\n</div>')


def hint_and_error(bound: BoundField) -> str:
    """The field's hint and error message, with the ids its control is described by."""
    parts = []
    if bound.help_text:
        parts.append(
            f'<div id="{esc(bound.auto_id)}_helptext" class="govuk-hint">'
            f"{esc(bound.help_text)}</div>\n"
        )
    if bound.errors:
        message = " ".join(esc(error) for error in bound.errors)
        parts.append(
            f'<p id="{esc(bound.auto_id)}_error" class="govuk-error-message">\n'
            f'<span class="govuk-visually-hidden">Error:</span> {message}\n</p>\n'
        )
    return "".join(parts)


def described_by(bound: BoundField) -> str:
    """The ``aria-describedby`` attribute naming the hint and the error message, if any."""
    ids = []
    if bound.help_text:
        ids.append(f"{bound.auto_id}_helptext")
    if bound.errors:
        ids.append(f"{bound.auto_id}_error")
    return f' aria-describedby="{esc(" ".join(ids))}"' if ids else ""


def attributes(attrs: dict) -> str:
    """A widget's attributes as HTML, but for its class (the GOV.UK classes stand instead)
    and autofocus (see the module's docstring); True is written as a bare attribute."""
    return "".join(
        f" {name}" if value is True else f' {name}="{esc(value)}"'
        for name, value in attrs.items()
        if name not in ("class", "autofocus") and value is not False and value is not None
    )


def _space(classes: str) -> str:
    return f" {classes}" if classes else ""


def _label(bound: BoundField, mark_optional: bool) -> str:
    optional = " (optional)" if mark_optional and not bound.field.required else ""
    return f"{esc(bound.label)}{optional}"


def _fieldset(bound: BoundField, kind: str, classes: str, mark_optional: bool) -> str:
    role = ' role="group"' if kind == "govukdate" else ""
    if kind == "govukdate":
        control = date_input(bound.subwidgets[0].data)
    elif kind == "radioselect":
        control = _radios(bound, classes, mark_optional)
    else:
        control = _checkboxes(bound, classes)
    return (
        f'<fieldset class="govuk-fieldset"{role}{described_by(bound)}>\n'
        f'<legend class="govuk-fieldset__legend">\n{_label(bound, mark_optional)}\n</legend>\n'
        f"{hint_and_error(bound)}{control}\n</fieldset>"
    )


def _radios(bound: BoundField, classes: str, mark_optional: bool) -> str:
    reveal = getattr(bound.form, "revealed_by", None)
    items = []
    for option in bound.subwidgets:
        data = option.data
        revealed = reveal(bound.name, data["value"]) if reveal is not None else []
        option_id = esc(option.id_for_label)
        controls = f' data-aria-controls="conditional-{option_id}"' if revealed else ""
        items.append(_choice(option, "radios", controls))
        if revealed:
            hidden = "" if data["selected"] else " govuk-radios__conditional--hidden"
            children = "\n".join(field(child, classes, mark_optional) for child in revealed)
            items.append(
                f'<div class="govuk-radios__conditional{hidden}" id="conditional-{option_id}">'
                f"\n{children}\n</div>"
            )
    return _group("radios", classes, items)


def _checkboxes(bound: BoundField, classes: str) -> str:
    return _group("checkboxes", classes, [_choice(o, "checkboxes") for o in bound.subwidgets])


def _choice(option, module: str, extra: str = "") -> str:
    """One radio or checkbox (``module``: "radios" or "checkboxes") of a field of them."""
    data = option.data
    option_id = esc(option.id_for_label)
    label = option.choice_label
    return (
        f'<div class="govuk-{module}__item">\n'
        f'<input class="govuk-{module}__input" id="{option_id}" name="{esc(data["name"])}"'
        f' type="{"radio" if module == "radios" else "checkbox"}" value="{esc(data["value"])}"'
        f"{' checked' if data['selected'] else ''}{extra}>\n"
        f'<label class="govuk-label govuk-{module}__label" for="{option_id}">'
        f"{'Not recorded' if label == _BLANK_LABEL else esc(label)}</label>\n</div>"
    )


def _group(module: str, classes: str, items: list[str]) -> str:
    return (
        f'<div class="govuk-{module}{_space(classes)}" data-module="govuk-{module}">\n'
        + "\n".join(items)
        + "\n</div>"
    )


def _single_checkbox(bound: BoundField, classes: str) -> str:
    widget = bound.subwidgets[0].data
    item = (
        f'<div class="govuk-checkboxes__item">\n'
        f'<input class="govuk-checkboxes__input" type="checkbox" name="{esc(widget["name"])}"'
        f"{attributes(widget['attrs'])}>\n"
        f'<label class="govuk-label govuk-checkboxes__label" for="{esc(bound.id_for_label)}">'
        f"{esc(bound.label)}</label>\n</div>"
    )
    return _group("checkboxes", classes, [item])


def _control(bound: BoundField, kind: str, classes: str) -> str:
    """The select, textarea or input of a field with a label of its own."""
    error = bool(bound.errors)
    if kind in ("select", "nullbooleanselect"):
        return (
            f'<select class="govuk-select{_space(classes)}'
            f'{" govuk-select--error" if error else ""}" id="{esc(bound.auto_id)}"'
            f' name="{esc(bound.html_name)}"{described_by(bound)}>\n'
            f"{select_options(bound)}\n</select>"
        )
    widget = bound.subwidgets[0].data
    value = widget["value"]
    if kind in ("file", "clearablefile"):
        # A file input never shows a value: the browser would not take it.
        return (
            f'<input class="govuk-file-upload{_space(classes)}'
            f'{" govuk-file-upload--error" if error else ""}" type="file"'
            f' name="{esc(widget["name"])}"{attributes(widget["attrs"])}>'
        )
    if kind == "textarea":
        return (
            f'<textarea class="govuk-textarea{_space(classes)}'
            f'{" govuk-textarea--error" if error else ""}" name="{esc(widget["name"])}"'
            f"{attributes(widget['attrs'])}>{'' if value is None else esc(value)}</textarea>"
        )
    shown = "" if value is None else f' value="{esc(value)}"'
    return (
        f'<input class="govuk-input{_space(classes)}{" govuk-input--error" if error else ""}"'
        f' type="{esc(widget["type"])}" name="{esc(widget["name"])}"{shown}'
        f"{attributes(widget['attrs'])}>"
    )


def date_input(widget: dict) -> SafeString:
    """The GOV.UK date input of ``iom.forms.GovukDateWidget``: three text inputs for day,
    month and year. Django marks every part aria-invalid when the date has an error."""
    parts = widget["subwidgets"]
    items = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        name = "Day" if index == 0 else "Year" if last else "Month"
        width = "govuk-input--width-4" if last else "govuk-input--width-2"
        error = " govuk-input--error" if "aria-invalid" in part["attrs"] else ""
        value = "" if part["value"] is None else f' value="{esc(part["value"])}"'
        items.append(
            f'<div class="govuk-date-input__item">\n<div class="govuk-form-group">\n'
            f'<label class="govuk-label govuk-date-input__label" for="{esc(part["attrs"]["id"])}">'
            f"{name}</label>\n"
            f'<input class="govuk-input govuk-date-input__input {width}{error}" type="text"'
            f' name="{esc(part["name"])}"{value}{attributes(part["attrs"])}>\n</div>\n</div>'
        )
    return mark_safe(
        f'<div class="govuk-date-input" id="{esc(widget["attrs"]["id"])}">\n'
        + "\n".join(items)
        + "\n</div>"
    )


def _flat_choices(choices: Iterable) -> Iterator[tuple]:
    """(value, label) of every choice, those of a group in their place (as a select's
    subwidgets give them)."""
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from _flat_choices(label)
        else:
            yield value, label


def select_options(bound: BoundField) -> SafeString:
    """The ``<option>`` elements of a select field, written from its choices: a template loop
    over the options of a long select (officers, neighbourhoods) cost more than the rest of
    the form, and so did the widget's own option dictionaries. The first choice with the
    field's value is selected, as Django's select does. Django's blank "---------" is shown
    as "Not recorded"."""
    widget = bound.field.widget
    values = set(widget.format_value(bound.value()))
    multiple = widget.allow_multiple_selected
    options = []
    has_selected = False
    for value, label in _flat_choices(bound.field.choices):
        value = "" if value is None else str(value)
        selected = value in values and (multiple or not has_selected)
        has_selected |= selected
        options.append(
            f'<option value="{esc(value)}"{" selected" if selected else ""}>'
            f"{esc('Not recorded' if label == _BLANK_LABEL else label)}</option>"
        )
    return mark_safe("\n".join(options))
