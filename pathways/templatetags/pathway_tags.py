"""The tags of a pathway's need and status, drawn in Python (``iom.components``): the plan
shows two on each of its eight cards, and a template include each cost more than the card.

{% load pathway_tags %}
{{ pathway.need|need_tag }}       High need (red), ..., Not assessed (grey)
{{ pathway.status|status_tag }}   On track (green), Achieved, Closed, Open (blue)
"""

from django import template
from django.utils.safestring import SafeString

from iom import components
from pathways.models import NeedLevel, PathwayStatus

register = template.Library()

NEED_TAGS = {
    NeedLevel.HIGH: ("High need", "red"),
    NeedLevel.MEDIUM: ("Medium need", "orange"),
    NeedLevel.LOW: ("Low need", "yellow"),
    NeedLevel.NONE: ("No need", "green"),
}
STATUS_TAGS = {
    PathwayStatus.ON_TRACK: ("On track", "green"),
    PathwayStatus.ACHIEVED: ("Achieved", "turquoise"),
    PathwayStatus.CLOSED: ("Closed", "grey"),
}


@register.filter
def need_tag(need: str | None) -> SafeString:
    return components.tag_of(need, NEED_TAGS, ("Not assessed", "grey"))


@register.filter
def status_tag(status: str | None) -> SafeString:
    return components.tag_of(status, STATUS_TAGS, ("Open", "blue"))
