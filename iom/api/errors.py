"""The API's error bodies, one shape each, and the handler that keeps them to those shapes.

- ``{"detail": "..."}``: refused as a whole (not signed in, not allowed, not found, a body
  that is not JSON).
- ``{"<field>": ["message", ...], "non_field_errors": [...]}``: the fields of the request
  that were refused, nested as the request nests them.
- ``{"detail": "...", "current_version": n}``: an update based on a stale version.
"""

from django.http import JsonResponse
from django.views import defaults
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import exceptions, serializers, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Why the request was refused.")


FIELD_ERRORS = (
    "Each refused field of the request with its messages; non_field_errors for the request "
    "as a whole. A nested object's errors nest the same way."
)


class FieldErrorsSerializer(serializers.Serializer):
    __doc__ = FIELD_ERRORS


class StaleVersionSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField(
        help_text="The record's version now: read it again, then send the change with this."
    )


class StaleVersion(exceptions.APIException):
    """A change based on a stale version: 409 with the record's version now."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(self, stale):
        super().__init__()
        self.detail = {"detail": str(stale), "current_version": stale.current.version}


class FieldErrorsExtension(OpenApiSerializerExtension):
    """The field errors are a map from the request's own field names, which no serializer
    field can declare."""

    target_class = FieldErrorsSerializer

    def map_serializer(self, auto_schema, direction):
        ref = {"$ref": "#/components/schemas/FieldErrors"}
        messages = {"type": "array", "items": {"anyOf": [{"type": "string"}, ref]}}
        return {
            "type": "object",
            "description": FIELD_ERRORS,
            "additionalProperties": {"anyOf": [messages, ref]},
        }


def exception_handler(exc, context):
    """DRF's handler, with a refusal that names no field (a list of messages) put under
    ``non_field_errors``, so that a 400 body is always an object."""
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        response.data = {api_settings.NON_FIELD_ERRORS_KEY: response.data}
    return response


def page_not_found(request, exception):
    """The site's 404 page; under /api/, a JSON body like every other refusal of the API."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
