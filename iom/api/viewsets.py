"""Base viewsets of the API."""

from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from .mixins import DisclosingReadMixin


# No docstring: the schema describes each operation with its viewset's own.
class RecordViewSet(
    DisclosingReadMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    # Records about a person that a client lists and reads (each a disclosure), adds, and
    # changes with PATCH, sending the version the change is based on. No PUT, no DELETE.
    http_method_names = ["get", "post", "patch", "head", "options"]

    def respond_with(self, record, code=status.HTTP_200_OK) -> Response:
        """The record as it now is, read again through the gate, disclosed like a read."""
        fresh = self.get_queryset().get(pk=record.pk)
        self.disclose([fresh])
        return Response(self.get_serializer(fresh).data, status=code)
