"""The API's filters: django-filter's, with the choices of a filter on a person limited to
the people the user may see, and of a filter on a record about a person (a referral) to the
records of those people.

A filter built from ``filterset_fields = ["nominal"]`` would otherwise offer every person
on the system: the browsable API renders it as a list of every name, and a hidden person's
id would be accepted as a filter where a made-up one is refused (confirming that it exists).
A filter on ``referral`` names each referral by its person, so the same holds for it.
"""

from django.core.exceptions import FieldDoesNotExist
from django_filters.filters import QuerySetRequestMixin
from django_filters.rest_framework import DjangoFilterBackend

from iom import access


def _is_about_a_person(model) -> bool:
    try:
        field = model._meta.get_field("nominal")
    except FieldDoesNotExist:
        return False
    return field.is_relation and hasattr(field.related_model.objects, "visible_to")


class VisibleChoicesFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            for filter_ in filterset.filters.values():
                choices = getattr(filter_, "queryset", None)
                if not isinstance(filter_, QuerySetRequestMixin) or choices is None:
                    continue
                if hasattr(choices, "visible_to"):
                    filter_.queryset = choices.visible_to(request.user)
                elif _is_about_a_person(choices.model):
                    filter_.queryset = access.restrict_by_nominal(choices, request.user)
        return filterset
