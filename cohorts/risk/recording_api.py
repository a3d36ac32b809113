"""REST API of arrests, detected offences and intelligence: list, read, create and correct
(PATCH with the version the change is based on), and partners' submissions of intelligence
with the IOM unit's decision. Thin: the same gate, the same services as the pages
(``recording``); reads are logged as disclosures, writes by the services."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cohorts.models import Nominal
from iom import audit
from iom.api.mixins import DisclosingReadMixin, call_service, required_version, validated

from . import queries, recording
from .models import (
    Arrest,
    DetectedOffence,
    GradingSystem,
    IntelligenceReport,
    IntelligenceSubmission,
    OffenceType,
)

COMMON = ["id", "nominal", "nominal_name", "source", "external_ref", "version", "recorded_by",
          "created_at", "updated_at"]  # fmt: skip
READ_ONLY = ["id", "source", "external_ref", "recorded_by", "created_at", "updated_at"]
NOMINAL_HELP = "The person (create only). A person not shared with you is a 404."
VERSION_HELP = "On PATCH: the version the change is based on (required); a stale one is a 409."


class _RecordSerializer(serializers.ModelSerializer):
    nominal = serializers.IntegerField(source="nominal_id", help_text=NOMINAL_HELP)
    nominal_name = serializers.CharField(source="nominal.full_name", read_only=True)
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)
    offence_type = serializers.PrimaryKeyRelatedField(
        queryset=OffenceType.objects.all(), help_text="The offence type's id."
    )


class ArrestSerializer(_RecordSerializer):
    class Meta:
        model = Arrest
        fields = [*COMMON, "arrested_on", "offence_type", "grounds", "location"]
        read_only_fields = READ_ONLY


class DetectedOffenceSerializer(_RecordSerializer):
    class Meta:
        model = DetectedOffence
        fields = [
            *COMMON, "committed_on", "offence_type", "outcome", "location", "sanction",
            "sanction_date", "scene_easting", "scene_northing",
        ]  # fmt: skip
        read_only_fields = READ_ONLY


class IntelligenceReportSerializer(_RecordSerializer):
    offence_type = serializers.PrimaryKeyRelatedField(
        queryset=OffenceType.objects.all(), required=False, allow_null=True,
        help_text="The offence type it is about, if any.",
    )  # fmt: skip
    grading_system = serializers.ChoiceField(
        choices=GradingSystem.choices, required=False, allow_blank=True,
        help_text="3x5x2 for new reports; 5x5x5 only on reports that came graded so.",
    )  # fmt: skip

    class Meta:
        model = IntelligenceReport
        fields = [
            *COMMON, "reported_on", "intelligence_source", "offence_type", "summary", "location",
            "grading_system", "source_evaluation", "intelligence_assessment", "handling_code",
            "handling_conditions", "grading",
        ]  # fmt: skip
        read_only_fields = [*READ_ONLY, "grading"]


def _visible_nominal(user, pk) -> Nominal:
    nominal = Nominal.objects.visible_to(user).filter(pk=pk).first()
    if nominal is None:
        raise Http404("No person with that id is shared with you.")
    return nominal


def recording_viewset(model, serializer_class, *, record, correct, noun: str, plural: str):
    @extend_schema_view(
        list=extend_schema(summary=f"List {plural}", tags=["offending"]),
        retrieve=extend_schema(summary=f"Read one {noun}", tags=["offending"]),
        create=extend_schema(
            summary=f"Record {'an' if noun[0] in 'aeiou' else 'a'} {noun}",
            tags=["offending"],
            responses={201: serializer_class},
        ),
        partial_update=extend_schema(
            summary=f"Correct {'an' if noun[0] in 'aeiou' else 'a'} {noun} (send its version)",
            tags=["offending"],
            responses={200: serializer_class},
        ),
    )
    class ViewSet(
        DisclosingReadMixin,
        mixins.ListModelMixin,
        mixins.RetrieveModelMixin,
        viewsets.GenericViewSet,
    ):
        http_method_names = ["get", "post", "patch", "head", "options"]
        filterset_fields = ["nominal"]

        def get_queryset(self):
            if getattr(self, "swagger_fake_view", False):  # the schema generator
                return model.objects.none()
            return queries.visible_history(model, self.request.user).order_by("-id")

        def get_serializer_class(self):
            return serializer_class

        def create(self, request, *args, **kwargs):
            values = validated(self.get_serializer(data=request.data))
            nominal = _visible_nominal(request.user, values.pop("nominal_id"))
            values.pop("version", None)
            row = call_service(record, nominal, by=audit.actor_from_request(request), **values)
            return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)

        def partial_update(self, request, *args, **kwargs):
            row = self.get_object()
            values = validated(self.get_serializer(row, data=request.data, partial=True))
            if "nominal_id" in values and values["nominal_id"] != row.nominal_id:
                raise serializers.ValidationError({"nominal": ["This cannot be changed."]})
            values.pop("nominal_id", None)
            version = required_version(values)
            fresh = call_service(
                correct, row.pk, by=audit.actor_from_request(request), version=version, **values
            )
            return Response(self.get_serializer(fresh).data)

    ViewSet.__name__ = f"{model.__name__}ViewSet"
    ViewSet.__doc__ = (
        f"{plural.capitalize()} of people the signed-in user may see. Recording and "
        "correcting follow the same rules as the pages (docs/offending.md)."
    )
    return ViewSet


ArrestViewSet = recording_viewset(
    Arrest, ArrestSerializer, record=recording.record_arrest, correct=recording.correct_arrest,
    noun="arrest", plural="arrests",
)  # fmt: skip
DetectedOffenceViewSet = recording_viewset(
    DetectedOffence, DetectedOffenceSerializer, record=recording.record_detection,
    correct=recording.correct_detection, noun="detected offence", plural="detected offences",
)  # fmt: skip
IntelligenceReportViewSet = recording_viewset(
    IntelligenceReport, IntelligenceReportSerializer, record=recording.record_intelligence,
    correct=recording.correct_intelligence, noun="intelligence report",
    plural="intelligence reports",
)  # fmt: skip


# --- Partners' submissions ------------------------------------------------------------------


class SubmissionSerializer(serializers.ModelSerializer):
    nominal = serializers.IntegerField(source="nominal_id", help_text=NOMINAL_HELP)
    nominal_name = serializers.CharField(source="nominal.full_name", read_only=True)
    offence_type = serializers.PrimaryKeyRelatedField(
        queryset=OffenceType.objects.all(), required=False, allow_null=True
    )
    agency = serializers.StringRelatedField()
    submitted_by = serializers.StringRelatedField()

    class Meta:
        model = IntelligenceSubmission
        fields = [
            "id", "nominal", "nominal_name", "agency", "submitted_by", "submitted_at",
            "reported_on", "offence_type", "summary", "location", "status", "decided_at",
            "decision_note", "version",
        ]  # fmt: skip
        read_only_fields = [
            "id", "agency", "submitted_by", "submitted_at", "status", "decided_at",
            "decision_note", "version",
        ]  # fmt: skip


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "reject"])
    version = serializers.IntegerField(help_text="The submission's version; stale is a 409.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=500,
                                 help_text="Required to reject: the partner sees it.")  # fmt: skip
    summary = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    source_evaluation = serializers.CharField(required=False, allow_blank=True, max_length=1)
    intelligence_assessment = serializers.IntegerField(required=False, allow_null=True)
    handling_code = serializers.CharField(required=False, allow_blank=True, max_length=1)
    handling_conditions = serializers.CharField(required=False, allow_blank=True, max_length=255)


@extend_schema_view(
    list=extend_schema(
        summary="List intelligence submissions (the IOM unit: all; a partner: its own)",
        tags=["offending"],
    ),
    retrieve=extend_schema(summary="Read one intelligence submission", tags=["offending"]),
    create=extend_schema(
        summary="Submit intelligence to the IOM unit (partners)",
        tags=["offending"],
        responses={201: SubmissionSerializer},
    ),
    decide=extend_schema(
        summary="Grade and accept, or reject, a submission (the IOM unit)",
        tags=["offending"],
        request=DecisionSerializer,
        responses={200: SubmissionSerializer},
    ),
)
class IntelligenceSubmissionViewSet(
    DisclosingReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Intelligence partners submitted for the IOM unit to grade. A partner sees only its own
    agency's submissions; an accepted one becomes an intelligence report (partner source)."""

    serializer_class = SubmissionSerializer
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["nominal", "status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return IntelligenceSubmission.objects.none()
        return queries.submissions_for(self.request.user)

    def create(self, request, *args, **kwargs):
        values = validated(self.get_serializer(data=request.data))
        nominal = _visible_nominal(request.user, values.pop("nominal_id"))
        submission = call_service(
            recording.submit_intelligence, nominal, by=audit.actor_from_request(request), **values
        )
        return Response(self.get_serializer(submission).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="decision")
    def decide(self, request, *args, **kwargs):
        submission = self.get_object()
        data = validated(DecisionSerializer(data=request.data))
        decision, version = data.pop("decision"), data.pop("version")
        note = data.pop("note", "")
        by = audit.actor_from_request(request)
        if decision == "reject":
            call_service(
                recording.reject_submission, submission.pk, by=by, version=version, note=note
            )
        else:
            call_service(
                recording.accept_submission, submission.pk, by=by, version=version, note=note,
                grading_system=GradingSystem.THREE_FIVE_TWO, **data,
            )  # fmt: skip
        return Response(self.get_serializer(self.get_queryset().get(pk=submission.pk)).data)
