"""REST API for contacts: list, read, record and change, through the same gate and services
as the pages. Every read is a disclosure; a person the client may not see is not found."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.response import Response

from cohorts.models import Nominal
from iom import audit
from iom.api.mixins import DisclosingReadMixin
from iom.locking import StaleEditError
from iom.models import Agency, User

from . import queries, services
from .models import Absence, Attendance, Contact, ContactKind


class ContactSerializer(serializers.ModelSerializer):
    nominal = serializers.IntegerField(
        source="nominal_id", help_text="The person; one you may not change is not found (404)."
    )
    nominal_name = serializers.CharField(source="nominal.full_name", read_only=True)
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    attendance = serializers.ChoiceField(
        choices=Attendance.choices, required=False, allow_blank=True
    )
    absence = serializers.ChoiceField(choices=Absence.choices, required=False, allow_blank=True)
    attendees = serializers.PrimaryKeyRelatedField(
        many=True, queryset=User.objects.filter(is_active=True), required=False
    )
    agencies = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Agency.objects.all(), required=False
    )
    recorded_by = serializers.StringRelatedField()
    version = serializers.IntegerField(
        required=False,
        help_text="Required to change a contact: the version the change is based on; a stale "
        "version is refused with 409.",
    )

    class Meta:
        model = Contact
        fields = [
            "id", "nominal", "nominal_name", "kind", "planned_at", "happened_at", "location",
            "attendees", "agencies", "attendance", "absence", "absence_reason", "outcome",
            "note", "is_shared", "breach", "recorded_by", "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "breach", "recorded_by", "created_at", "updated_at"]


def _refusal(error: DjangoValidationError) -> serializers.ValidationError:
    detail = error.message_dict if hasattr(error, "error_dict") else error.messages
    return serializers.ValidationError(detail)


@extend_schema_view(
    list=extend_schema(summary="List the contacts you may see", tags=["contacts"]),
    retrieve=extend_schema(summary="Read one contact", tags=["contacts"]),
    create=extend_schema(
        summary="Book an appointment or record a contact",
        tags=["contacts"],
        responses={201: ContactSerializer},
    ),
    partial_update=extend_schema(
        summary="Record the outcome of a contact, or correct it",
        tags=["contacts"],
        responses={200: ContactSerializer},
    ),
)
class ContactViewSet(
    DisclosingReadMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ContactSerializer
    filterset_fields = ["nominal", "kind", "attendance"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return queries.newest_first(queries.with_people(queries.visible(self.request.user)))

    def _nominal_or_404(self, nominal_id) -> Nominal:
        nominal = Nominal.objects.visible_to(self.request.user, "change").filter(pk=nominal_id)
        nominal = nominal.first()
        if nominal is None or not services.can_write(self.request.user, nominal):
            raise exceptions.NotFound("No person with that id that you may record contacts of.")
        return nominal

    def _respond(self, contact, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=contact.pk)
        self.disclose([fresh])
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        nominal = self._nominal_or_404(data.pop("nominal_id"))
        data.pop("version", None)
        try:
            contact = services.record_contact(nominal, by=audit.actor_from_request(request), **data)
        except DjangoPermissionDenied as denied:
            raise exceptions.PermissionDenied(str(denied)) from denied
        except DjangoValidationError as error:
            raise _refusal(error) from error
        return self._respond(contact, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        contact = self.get_object()
        serializer = self.get_serializer(contact, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = changes.pop("version", None)
        if version is None:
            raise serializers.ValidationError({"version": ["This field is required"]})
        if "nominal_id" in changes and changes.pop("nominal_id") != contact.nominal_id:
            raise serializers.ValidationError(
                {"nominal": ["A contact cannot be moved to another person"]}
            )
        if not services.can_write(request.user, contact.nominal):
            raise exceptions.PermissionDenied("You cannot change this contact.")
        try:
            updated = services.update_contact(
                contact.pk, by=audit.actor_from_request(request), version=version, changes=changes
            )
        except StaleEditError as stale:
            return Response(
                {"detail": str(stale), "current_version": stale.current.version},
                status=status.HTTP_409_CONFLICT,
            )
        except DjangoPermissionDenied as denied:
            raise exceptions.PermissionDenied(str(denied)) from denied
        except DjangoValidationError as error:
            raise _refusal(error) from error
        return self._respond(updated)


# The routes this app adds under /api/ (collected by iom/api/urls.py): prefix, viewset, name.
ROUTES = [
    ("contacts", ContactViewSet, "contact"),
]
