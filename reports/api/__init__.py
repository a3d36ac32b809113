"""REST API for documents: request one, follow its status, download the PDF (audited)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404
from drf_spectacular.utils import OpenApiTypes, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cohorts.models import Nominal
from iom import audit
from iom.api.mixins import DisclosingReadMixin

from .. import queries, services
from ..models import Document, DocumentKind
from . import cohort_reports


class DocumentSerializer(serializers.ModelSerializer):
    nominal = serializers.PrimaryKeyRelatedField(queryset=Nominal.objects.none())
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    nominal_name = serializers.CharField(source="nominal.full_name", read_only=True)
    requested_by = serializers.StringRelatedField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id", "nominal", "nominal_name", "kind", "status", "page_count", "size_bytes",
            "requested_by", "requested_at", "started_at", "completed_at", "download_url",
        ]  # fmt: skip
        read_only_fields = [
            "status", "page_count", "size_bytes", "requested_at", "started_at", "completed_at",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["nominal"].queryset = Nominal.objects.visible_to(request.user, "disclose")

    def get_download_url(self, document) -> str | None:
        request = self.context.get("request")
        if not document.is_ready or request is None:
            return None
        return request.build_absolute_uri(f"/api/documents/{document.pk}/download/")


@extend_schema_view(
    list=extend_schema(summary="List the documents you may download", tags=["documents"]),
    retrieve=extend_schema(summary="Read a document's status", tags=["documents"]),
    create=extend_schema(
        summary="Request a document (rendered in the background)",
        tags=["documents"],
        responses={202: DocumentSerializer},
    ),
)
class DocumentViewSet(
    DisclosingReadMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Documents about people whose records the user may disclose."""

    serializer_class = DocumentSerializer
    filterset_fields = ["nominal", "kind", "status"]

    def get_queryset(self):
        return queries.visible_documents(self.request.user, "disclose").order_by(
            "-requested_at", "-id"
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            document = services.request_document(
                serializer.validated_data["nominal"],
                by=audit.actor_from_request(request),
                kind=serializer.validated_data["kind"],
            )
        except DjangoPermissionDenied as denied:
            raise exceptions.PermissionDenied(str(denied)) from denied
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return Response(self.get_serializer(document).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Download the PDF",
        tags=["documents"],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None, format=None):
        document = self.get_object()
        if not document.is_ready:
            raise Http404("The document is not ready.")
        services.record_download(audit.actor_from_request(request), document)
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.filename,
            content_type="application/pdf",
        )


# The routes this app adds under /api/ (collected by iom/api/urls.py): prefix, viewset, name.
ROUTES = [
    ("documents", DocumentViewSet, "document"),
    ("report-figures", cohort_reports.DashboardFiguresViewSet, "report-figures"),
    ("cohort-reports", cohort_reports.CohortReportViewSet, "cohort-report"),
]
