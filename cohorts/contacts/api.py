"""REST API for contacts: list, read, record and change, through the same gate and services
as the pages. Every read is a disclosure; a person the client may not see is not found."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status

from cohorts.models import Nominal
from iom import audit
from iom.api.mixins import call_service, required_version, validated
from iom.api.viewsets import RecordViewSet
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
class ContactViewSet(RecordViewSet):
    serializer_class = ContactSerializer
    filterset_fields = ["nominal", "kind", "attendance"]

    def get_queryset(self):
        return queries.newest_first(queries.with_people(queries.visible(self.request.user)))

    def _nominal_or_404(self, nominal_id) -> Nominal:
        nominal = Nominal.objects.visible_to(self.request.user, "change").filter(pk=nominal_id)
        nominal = nominal.first()
        if nominal is None or not services.can_write(self.request.user, nominal):
            raise exceptions.NotFound("No person with that id that you may record contacts of.")
        return nominal

    def create(self, request, *args, **kwargs):
        data = validated(self.get_serializer(data=request.data))
        nominal = self._nominal_or_404(data.pop("nominal_id"))
        data.pop("version", None)
        contact = call_service(
            services.record_contact, nominal, by=audit.actor_from_request(request), **data
        )
        return self.respond_with(contact, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        contact = self.get_object()
        changes = validated(self.get_serializer(contact, data=request.data, partial=True))
        version = required_version(changes)
        if "nominal_id" in changes and changes.pop("nominal_id") != contact.nominal_id:
            raise serializers.ValidationError(
                {"nominal": ["A contact cannot be moved to another person."]}
            )
        if not services.can_write(request.user, contact.nominal):
            raise exceptions.PermissionDenied("You cannot change this contact.")
        updated = call_service(
            services.update_contact,
            contact.pk,
            by=audit.actor_from_request(request),
            version=version,
            changes=changes,
        )
        return self.respond_with(updated)


# The routes this app adds under /api/ (collected by iom/api/urls.py): prefix, viewset, name.
ROUTES = [
    ("contacts", ContactViewSet, "contact"),
]
