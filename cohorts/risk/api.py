"""REST API: assessments and offending history (reads, logged as disclosures; arrests,
detections and intelligence are also written: recording_api) and the ranking runs (managers:
list, read, start one)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.response import Response

from iom import audit
from iom.api.mixins import DisclosingReadMixin

from . import queries, services
from .custody_api import CustodyViewSet
from .models import (
    CustodyPeriod,
    DynamicFactor,
    RankingRun,
    ResidencePeriod,
    RiskAssessment,
)
from .ogrs3 import api as ogrs3_api
from .recording_api import (
    ArrestViewSet,
    DetectedOffenceViewSet,
    IntelligenceReportViewSet,
    IntelligenceSubmissionViewSet,
)


class RiskAssessmentSerializer(serializers.ModelSerializer):
    model_version = serializers.IntegerField(source="model_version.number", read_only=True)
    run = serializers.PrimaryKeyRelatedField(read_only=True)
    ogrs3 = ogrs3_api.Ogrs3Field(allow_null=True)
    ogrs3_cannot_score = ogrs3_api.Ogrs3ReasonField(allow_null=True)

    class Meta:
        model = RiskAssessment
        list_serializer_class = ogrs3_api.Ogrs3ListSerializer
        fields = [
            "id", "nominal", "run", "assessed_on", "score", "band", "rank", "is_member",
            "in_custody", "out_of_area", "model_version", "contributions", "ogrs3",
            "ogrs3_cannot_score",
        ]  # fmt: skip


def _history_serializer(model_class, extra: list[str]):
    class Serializer(serializers.ModelSerializer):
        class Meta:
            model = model_class
            fields = ["id", "nominal", "source", "external_ref", *extra, "created_at"]

    Serializer.__name__ = f"{model_class.__name__}Serializer"
    return Serializer


# Arrests, detected offences and intelligence are written through the API too: recording_api.
SERIALIZERS = {
    CustodyPeriod: _history_serializer(
        CustodyPeriod,
        [
            "started_on",
            "ended_on",
            "establishment",
            "kind",
            "expected_release_on",
            "expected_release_basis",
        ],
    ),
    ResidencePeriod: _history_serializer(
        ResidencePeriod, ["in_area", "started_on", "ended_on", "details"]
    ),
    DynamicFactor: _history_serializer(DynamicFactor, ["factor", "started_on", "ended_on", "note"]),
}


class _ReadOnlyList(mixins.ListModelMixin, viewsets.GenericViewSet):
    """A list of rows about people, filtered through iom.access and logged as disclosures.

    List only (filter by ``nominal``): the rows are small, and a list logs every person it
    returns, so there is no separate read of one row to secure and audit."""

    filterset_fields = ["nominal"]
    nominal_of = DisclosingReadMixin.nominal_of
    disclose = DisclosingReadMixin.disclose
    list = DisclosingReadMixin.list


@extend_schema_view(list=extend_schema(summary="List risk assessments", tags=["risk"]))
class RiskAssessmentViewSet(_ReadOnlyList):
    """Assessments of people the signed-in user may see, newest first."""

    serializer_class = RiskAssessmentSerializer
    filterset_fields = ["nominal", "band", "assessed_on", "is_member"]

    def get_queryset(self):
        return queries.visible_assessments(self.request.user).order_by("-assessed_on", "-id")


def history_viewset(model, summary: str):
    @extend_schema_view(list=extend_schema(summary=summary, tags=["offending"]))
    class ViewSet(_ReadOnlyList):
        serializer_class = SERIALIZERS[model]

        def get_queryset(self):
            return queries.visible_history(model, self.request.user).order_by("-id")

    ViewSet.__name__ = f"{model.__name__}ViewSet"
    ViewSet.__doc__ = f"{summary}, of people the signed-in user may see."
    return ViewSet


CustodyPeriodViewSet = history_viewset(CustodyPeriod, "List custody periods")
ResidencePeriodViewSet = history_viewset(ResidencePeriod, "List residence periods")
DynamicFactorViewSet = history_viewset(DynamicFactor, "List dynamic factors")


__all__ = [
    "ArrestViewSet", "CustodyPeriodViewSet", "DetectedOffenceViewSet", "DynamicFactorViewSet",
    "IntelligenceReportViewSet", "IntelligenceSubmissionViewSet", "RankingRunViewSet",
    "ResidencePeriodViewSet", "RiskAssessmentViewSet",
]  # fmt: skip


class RankingRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = RankingRun
        fields = [
            "id", "kind", "run_date", "status", "model_version", "queued_at", "started_at",
            "finished_at", "duration_seconds", "attempts", "people_scored", "members_ranked",
            "emerging_threats", "error",
        ]  # fmt: skip
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="List ranking runs (managers)", tags=["risk"]),
    retrieve=extend_schema(summary="Read one ranking run and its progress", tags=["risk"]),
    create=extend_schema(
        summary="Start a ranking run now (managers)", tags=["risk"], request=None,
        responses={202: RankingRunSerializer},
    ),
)  # fmt: skip
class RankingRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Ranking runs. Managers only: they hold no personal details, but start heavy work."""

    serializer_class = RankingRunSerializer
    lookup_url_kwarg = "run_id"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return RankingRun.objects.none()
        if not services.can_run_ranking(self.request.user):
            raise exceptions.PermissionDenied("Only managers can see and start ranking runs.")
        return queries.runs().order_by("-queued_at", "-id")

    def create(self, request, *args, **kwargs):
        try:
            run = services.request_run(by=audit.actor_from_request(request))
        except DjangoPermissionDenied as denied:
            raise exceptions.PermissionDenied(str(denied)) from denied
        return Response(self.get_serializer(run).data, status=status.HTTP_202_ACCEPTED)


# The routes this app adds under /api/ (collected by iom/api/urls.py): prefix, viewset, name.
ROUTES = [
    ("risk-assessments", RiskAssessmentViewSet, "risk-assessment"),
    ("ranking-runs", RankingRunViewSet, "ranking-run"),
    ("detected-offences", DetectedOffenceViewSet, "detected-offence"),
    ("arrests", ArrestViewSet, "arrest"),
    ("intelligence-reports", IntelligenceReportViewSet, "intelligence-report"),
    ("intelligence-submissions", IntelligenceSubmissionViewSet, "intelligence-submission"),
    ("custody-periods", CustodyPeriodViewSet, "custody-period"),
    ("custody", CustodyViewSet, "custody"),
    ("residence-periods", ResidencePeriodViewSet, "residence-period"),
    ("dynamic-factors", DynamicFactorViewSet, "dynamic-factor"),
]
