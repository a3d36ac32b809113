"""Licences, breaches of licence, drug tests and control measures: read through the access
gate (every read a disclosure), recorded through the same services as the pages."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from cohorts.models import Nominal
from iom import audit
from iom.api.fields import TimeOfDayField
from iom.api.mixins import DisclosingReadMixin, call_service, validated

from .. import queries, services
from ..models import (
    Breach,
    ControlMeasure,
    DrugTest,
    Licence,
    LicenceCondition,
    MeasureKind,
    TestOutcome,
)


class ConditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = LicenceCondition
        fields = ["id", "condition_type", "text", "is_drug_testing"]


class LicenceSerializer(serializers.ModelSerializer):
    nominal_name = serializers.CharField(source="nominal.full_name", read_only=True)
    conditions = ConditionSerializer(many=True, read_only=True)
    supervising_officer = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = Licence
        fields = [
            "id", "nominal", "nominal_name", "release_date", "licence_expiry_date",
            "sentence_expiry_date", "supervising_officer", "offence", "conditions", "version",
        ]  # fmt: skip


class BreachSerializer(serializers.ModelSerializer):
    nominal_name = serializers.CharField(source="nominal.full_name", read_only=True)
    licence = serializers.PrimaryKeyRelatedField(queryset=Licence.objects.none())
    condition = serializers.PrimaryKeyRelatedField(
        queryset=LicenceCondition.objects.none(), required=False, allow_null=True
    )

    class Meta:
        model = Breach
        fields = [
            "id", "nominal", "nominal_name", "licence", "condition", "occurred_on", "evidence",
            "recorded_at",
        ]  # fmt: skip
        read_only_fields = ["nominal", "recorded_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            licences = queries.visible(Licence, request.user, "change")
            self.fields["licence"].queryset = licences
            # The conditions offered (the browsable API lists them) are those of the same
            # licences, not every person's.
            self.fields["condition"].queryset = LicenceCondition.objects.filter(
                licence__in=licences
            )


class DrugTestSerializer(serializers.ModelSerializer):
    nominal_name = serializers.CharField(source="nominal.full_name", read_only=True)
    nominal = serializers.PrimaryKeyRelatedField(queryset=Nominal.objects.none())
    outcome = serializers.ChoiceField(choices=TestOutcome.choices)

    class Meta:
        model = DrugTest
        fields = [
            "id", "nominal", "nominal_name", "licence", "tested_on", "outcome",
            "class_a_substances", "other_substances", "notes", "recorded_at",
        ]  # fmt: skip
        read_only_fields = ["licence", "recorded_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["nominal"].queryset = Nominal.objects.visible_to(request.user, "change")


class ControlMeasureSerializer(serializers.ModelSerializer):
    nominal_name = serializers.CharField(source="nominal.full_name", read_only=True)
    nominal = serializers.PrimaryKeyRelatedField(queryset=Nominal.objects.none())
    kind = serializers.ChoiceField(choices=MeasureKind.choices)
    curfew_from = TimeOfDayField(required=False, allow_null=True)
    curfew_until = TimeOfDayField(required=False, allow_null=True)

    class Meta:
        model = ControlMeasure
        fields = [
            "id", "nominal", "nominal_name", "category", "kind", "details", "imposed_by",
            "curfew_from", "curfew_until", "starts_on", "ends_on", "status", "version",
        ]  # fmt: skip
        read_only_fields = ["category", "status", "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["nominal"].queryset = Nominal.objects.visible_to(request.user, "change")


class _ReadAndCreate(
    DisclosingReadMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    filterset_fields = ["nominal"]

    def respond(self, obj):
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="List licences and their conditions", tags=["controls"]),
    retrieve=extend_schema(summary="Read one licence", tags=["controls"]),
)
class LicenceViewSet(DisclosingReadMixin, viewsets.ReadOnlyModelViewSet):
    """Licences of the people you may see. Every read is logged as a disclosure."""

    serializer_class = LicenceSerializer
    filterset_fields = ["nominal"]

    def get_queryset(self):
        return (
            queries.visible(Licence, self.request.user)
            .select_related("nominal", "supervising_officer")
            .prefetch_related("conditions")
            .order_by("-release_date", "-id")
        )


@extend_schema_view(
    list=extend_schema(summary="List breaches of licence", tags=["controls"]),
    retrieve=extend_schema(summary="Read one breach", tags=["controls"]),
    create=extend_schema(summary="Record a breach of licence", tags=["controls"]),
)
class BreachViewSet(_ReadAndCreate):
    """Breaches of licence of the people you may see. Every read is logged as a
    disclosure."""

    serializer_class = BreachSerializer

    def get_queryset(self):
        return (
            queries.visible(Breach, self.request.user)
            .select_related("nominal")
            .order_by("-occurred_on", "-id")
        )

    def create(self, request, *args, **kwargs):
        data = validated(self.get_serializer(data=request.data))
        breach = call_service(
            services.record_breach,
            licence=data["licence"],
            by=audit.actor_from_request(request),
            occurred_on=data["occurred_on"],
            evidence=data["evidence"],
            condition=data.get("condition"),
        )
        return self.respond(breach)


@extend_schema_view(
    list=extend_schema(summary="List drug test results", tags=["controls"]),
    retrieve=extend_schema(summary="Read one drug test result", tags=["controls"]),
    create=extend_schema(summary="Record a drug test result", tags=["controls"]),
)
class DrugTestViewSet(_ReadAndCreate):
    """Drug test results of the people you may see. Every read is logged as a disclosure."""

    serializer_class = DrugTestSerializer
    filterset_fields = ["nominal", "outcome"]

    def get_queryset(self):
        return (
            queries.visible(DrugTest, self.request.user)
            .select_related("nominal")
            .order_by("-tested_on", "-id")
        )

    def create(self, request, *args, **kwargs):
        data = validated(self.get_serializer(data=request.data))
        test = call_service(services.record_drug_test, by=audit.actor_from_request(request), **data)
        return self.respond(test)


@extend_schema_view(
    list=extend_schema(
        summary="List bail conditions, civil orders and enforcement flags", tags=["controls"]
    ),
    retrieve=extend_schema(summary="Read one control measure", tags=["controls"]),
    create=extend_schema(summary="Record a control measure", tags=["controls"]),
)
class ControlMeasureViewSet(_ReadAndCreate):
    """Bail conditions, civil orders and enforcement flags of the people you may see. Every
    read is logged as a disclosure."""

    serializer_class = ControlMeasureSerializer
    filterset_fields = ["nominal", "category", "kind", "status"]

    def get_queryset(self):
        return (
            queries.visible(ControlMeasure, self.request.user)
            .select_related("nominal")
            .order_by("category", "-starts_on", "-id")
        )

    def create(self, request, *args, **kwargs):
        data = validated(self.get_serializer(data=request.data))
        measure = call_service(
            services.add_control_measure, by=audit.actor_from_request(request), **data
        )
        return self.respond(measure)
