"""REST API for control measures: read through the access gate (every read a disclosure),
record through the same services as the pages."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.response import Response

from cohorts.models import Nominal
from iom import audit
from iom.api.fields import TimeOfDayField
from iom.api.mixins import DisclosingReadMixin

from . import queries, services
from .models import (
    Breach,
    ControlMeasure,
    DrugTest,
    Licence,
    LicenceCondition,
    MeasureKind,
    Recall,
    TestOutcome,
)


def _service_call(function, **kwargs):
    try:
        return function(**kwargs)
    except DjangoPermissionDenied as denied:
        raise exceptions.PermissionDenied(str(denied)) from denied
    except DjangoValidationError as error:
        detail = error.message_dict if hasattr(error, "error_dict") else error.messages
        raise serializers.ValidationError(detail) from error


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


class ChecklistStepSerializer(serializers.Serializer):
    step = serializers.CharField()
    label = serializers.CharField()
    at = serializers.DateTimeField(allow_null=True, help_text="Null until the step is done.")
    seconds_since_start = serializers.FloatField(allow_null=True)


class RecallSerializer(serializers.ModelSerializer):
    nominal_name = serializers.CharField(source="nominal.full_name", read_only=True)
    checklist = serializers.SerializerMethodField()

    class Meta:
        model = Recall
        fields = [
            "id", "nominal", "nominal_name", "licence", "breach", "status", "reason",
            "recommendation", "started_at", "checklist", "version",
        ]  # fmt: skip

    @extend_schema_field(ChecklistStepSerializer(many=True))
    def get_checklist(self, recall) -> list[dict]:
        steps = [
            {
                "step": step["field"].removesuffix("_at"),
                "label": step["label"],
                "at": step["at"],
                # A step done at the very start took 0 seconds, not none.
                "seconds_since_start": step["since_start"].total_seconds()
                if step["since_start"] is not None
                else None,
            }
            for step in recall.checklist()
        ]
        return ChecklistStepSerializer(steps, many=True).data


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
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        breach = _service_call(
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
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        test = _service_call(
            services.record_drug_test, by=audit.actor_from_request(request), **data
        )
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
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        measure = _service_call(
            services.add_control_measure, by=audit.actor_from_request(request), **data
        )
        return self.respond(measure)


@extend_schema_view(
    list=extend_schema(summary="List recalls and their checklists", tags=["controls"]),
    retrieve=extend_schema(summary="Read one recall", tags=["controls"]),
)
class RecallViewSet(DisclosingReadMixin, viewsets.ReadOnlyModelViewSet):
    """Recalls of the people you may see. Every read is logged as a disclosure."""

    serializer_class = RecallSerializer
    filterset_fields = ["nominal", "status"]

    def get_queryset(self):
        return (
            queries.visible(Recall, self.request.user)
            .select_related("nominal")
            .order_by("-started_at", "-id")
        )


# The routes this app adds under /api/ (collected by iom/api/urls.py): prefix, viewset, name.
ROUTES = [
    ("licences", LicenceViewSet, "licence"),
    ("breaches", BreachViewSet, "breach"),
    ("drug-tests", DrugTestViewSet, "drug-test"),
    ("control-measures", ControlMeasureViewSet, "control-measure"),
    ("recalls", RecallViewSet, "recall"),
]
