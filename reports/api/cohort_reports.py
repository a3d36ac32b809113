"""REST API of the reports for managers: the dashboard's figures, the cohort reports and
their files. Managers only; every file download is an audited disclosure."""

from __future__ import annotations

from django.db.models import Q
from django.http import FileResponse, Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiTypes,
    extend_schema,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from iom import audit
from iom.models import AuditAction

from .. import dashboard_figures, monthly
from ..dashboard import selected_period
from ..models import CohortReport


class IsManager(permissions.BasePermission):
    message = "The reports are for managers."

    def has_permission(self, request, view) -> bool:
        return monthly.may_read_reports(request.user)


class TableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField())
    note = serializers.CharField()
    summary = serializers.DictField()


# One set of figures, also where a list action answers with it.
@extend_schema_serializer(many=False)
class FiguresSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    price_year = serializers.CharField()
    generated_at = serializers.DateTimeField()
    tables = TableSerializer(many=True)


class CohortReportSerializer(serializers.ModelSerializer):
    requested_by = serializers.StringRelatedField(
        allow_null=True, help_text="Null for a report the monthly schedule asked for."
    )
    # Named apart from other "status" enums of the schema (documents, runs, imports).
    status = serializers.CharField(read_only=True, help_text="queued, building, ready or failed")
    downloads = serializers.SerializerMethodField()

    class Meta:
        model = CohortReport
        fields = [
            "id", "period_start", "period_end", "with_annex", "trigger", "status", "price_year",
            "page_count", "requested_by", "requested_at", "started_at", "completed_at",
            "downloads",
        ]  # fmt: skip

    def get_downloads(self, report) -> dict[str, str]:
        request = self.context.get("request")
        if not report.is_ready or request is None:
            return {}
        names = [*monthly.FORMATS, *(["annex"] if report.with_annex else [])]
        return {
            name: request.build_absolute_uri(f"/api/cohort-reports/{report.pk}/download/{name}/")
            for name in names
        }


class CohortReportDetailSerializer(CohortReportSerializer):
    figures = FiguresSerializer()

    class Meta(CohortReportSerializer.Meta):
        fields = [*CohortReportSerializer.Meta.fields, "figures"]


@extend_schema_view(
    list=extend_schema(
        summary="The dashboard's figures for a month (default: last month)",
        tags=["reports"],
        parameters=[
            OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM, e.g. 2026-10")
        ],
        responses=FiguresSerializer,
    )
)
class DashboardFiguresViewSet(viewsets.ViewSet):
    """The aggregate figures of the dashboard: no person is named."""

    permission_classes = [permissions.IsAuthenticated, IsManager]

    def list(self, request, format=None):
        period, form = selected_period(request.query_params)
        if period is None:
            raise serializers.ValidationError(form.errors)
        figures = dashboard_figures.figures_for(period)
        audit.record(
            audit.actor_from_request(request),
            AuditAction.DISCLOSURE,
            description=f"Read the dashboard figures for {period.label} through the API",
            disclosure_format="json",
            recipient=f"API client {request.user.username}",
        )
        return Response(FiguresSerializer(figures).data)


@extend_schema_view(
    list=extend_schema(summary="List the cohort reports", tags=["reports"]),
    retrieve=extend_schema(
        summary="Read a cohort report's status and figures",
        tags=["reports"],
        responses=CohortReportDetailSerializer,
    ),
)
class CohortReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Stored cohort reports (a report with a named annex is seen only by its requester)."""

    permission_classes = [permissions.IsAuthenticated, IsManager]
    serializer_class = CohortReportSerializer
    filterset_fields = ["status", "period_start", "period_end"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return CohortReport.objects.none()
        user = self.request.user
        return (
            CohortReport.objects.select_related("requested_by")
            .filter(Q(with_annex=False) | Q(requested_by=user))
            .order_by("-requested_at", "-id")
        )

    def get_serializer_class(self):
        return CohortReportDetailSerializer if self.action == "retrieve" else CohortReportSerializer

    @extend_schema(
        summary="Download one file of a ready report (pdf, csv, xlsx or annex)",
        tags=["reports"],
        responses={
            (200, content_type): OpenApiTypes.BINARY for content_type in monthly.FORMATS.values()
        },
    )
    @action(detail=True, methods=["get"], url_path=r"download/(?P<file_format>pdf|csv|xlsx|annex)")
    def download(self, request, pk=None, file_format: str = "pdf", format=None):
        report = self.get_object()
        if not report.is_ready or (file_format == "annex" and not report.with_annex):
            raise Http404("The file is not available.")
        stored = monthly.open_file(report, file_format)
        if stored is None:
            monthly.file_missing(audit.actor_from_request(request), report, file_format)
            raise Http404(monthly.FILE_MISSING)
        monthly.record_download(audit.actor_from_request(request), report, file_format)
        extension = "csv" if file_format == "annex" else file_format
        suffix = "-named-annex" if file_format == "annex" else ""
        return FileResponse(
            stored,
            as_attachment=True,
            filename=report.filename(extension, suffix),
            content_type=monthly.FORMATS[extension],
        )
