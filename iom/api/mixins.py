"""Shared behaviour of the API's viewsets."""

from rest_framework.response import Response

from iom import audit


class DisclosingReadMixin:
    """Logs every person whose record a list or read returns as a disclosure to the client.

    A viewset names how to reach the person from one of its objects with ``nominal_of``.
    The whole page is logged in one INSERT.
    """

    def nominal_of(self, obj):
        return obj.nominal

    def disclose(self, objects) -> None:
        request = self.request
        audit.record_disclosures(
            audit.actor_from_request(request),
            [self.nominal_of(obj) for obj in objects],
            disclosure_format="json",
            recipient=f"API client {request.user.username}",
            description=f"Read through the API ({request.method} {request.path})",
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self.disclose(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        self.disclose([obj])
        return Response(self.get_serializer(obj).data)
