"""The API's filters: django-filter's, with the choices of a filter on a person limited to
the people the user may see.

A filter built from ``filterset_fields = ["nominal"]`` would otherwise offer every person
on the system: the browsable API renders it as a list of every name, and a hidden person's
id would be accepted as a filter where a made-up one is refused (confirming that it exists).
"""

from django_filters.filters import QuerySetRequestMixin
from django_filters.rest_framework import DjangoFilterBackend


class VisibleChoicesFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            for filter_ in filterset.filters.values():
                choices = getattr(filter_, "queryset", None)
                if isinstance(filter_, QuerySetRequestMixin) and hasattr(choices, "visible_to"):
                    filter_.queryset = choices.visible_to(request.user)
        return filterset
