"""Shared behaviour of the API's viewsets."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from iom import audit
from iom.locking import StaleEditError

from .errors import StaleVersion


def call_service(service, /, *args, **kwargs):
    """``service(*args, **kwargs)``, with its refusals answered as the API answers them:
    403 for a permission it refuses, 400 naming the fields of a ``ValidationError``, 409
    with the record's version now for a change based on a stale one."""
    try:
        return service(*args, **kwargs)
    except StaleEditError as stale:
        raise StaleVersion(stale) from stale
    except DjangoPermissionDenied as denied:
        raise exceptions.PermissionDenied(str(denied)) from denied
    except DjangoValidationError as error:
        detail = error.message_dict if hasattr(error, "error_dict") else error.messages
        raise serializers.ValidationError(detail) from error


def validated(serializer) -> dict:
    """What ``serializer`` (given the request's data) read; 400 naming the fields otherwise."""
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def versioned_action(viewset, request, service, payload_class) -> Response:
    """A detail action that makes one change based on a version: read ``payload_class`` from
    the request, call ``service(pk, by=..., **payload)`` (the version included) and answer
    the record as it is now, as the viewset shows it."""
    record = viewset.get_object()
    payload = validated(payload_class(data=request.data))
    call_service(service, record.pk, by=audit.actor_from_request(request), **payload)
    return Response(viewset.get_serializer(viewset.get_queryset().get(pk=record.pk)).data)


def required_version(changes: dict) -> int:
    """Take from ``changes`` the version they are based on; 400 if it was not sent."""
    version = changes.pop("version", None)
    if version is None:
        raise serializers.ValidationError({"version": ["This field is required"]})
    return version


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
            # An object about nobody (a task of no one's) discloses no one.
            [nominal for nominal in map(self.nominal_of, objects) if nominal is not None],
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
