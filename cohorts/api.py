"""REST API for nominals: list, read and update, through the same gate and services as pages."""

from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from iom import audit
from iom.access import restrict_by_nominal
from iom.api.mixins import DisclosingReadMixin, call_service, required_version, validated
from iom.models import AuditAction

from . import list_queries, queries, services
from .filtersets import SEARCH_PARAMETERS, NominalFilterSet
from .models import Alias, CohortMembership, Nominal
from .tasks_api import TaskViewSet


class AliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = Alias
        fields = ["first_names", "surname", "date_of_birth"]


class NominalSerializer(serializers.ModelSerializer):
    aliases = AliasSerializer(many=True, read_only=True)
    area = serializers.CharField(read_only=True)
    lead_agency_name = serializers.CharField(
        source="lead_agency.name", read_only=True, allow_null=True
    )
    offender_managers = serializers.SerializerMethodField(
        help_text="The person's offender managers, by name (surname order)."
    )
    version = serializers.IntegerField(
        help_text="The version this update is based on; a stale version is refused with 409."
    )

    class Meta:
        model = Nominal
        fields = [
            "id", "first_names", "surname", "date_of_birth", "gender", "pnc_id",
            "cro_number", "crn", "prison_number", "aliases", "address_line_1",
            "address_line_2", "town", "postcode", "neighbourhood", "area", "lead_agency",
            "lead_agency_name", "offender_managers", "version", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "updated_at"]
        # Format and uniqueness are checked by the service, with the same messages as pages.
        extra_kwargs = {
            name: {"validators": []} for name in ("pnc_id", "cro_number", "crn", "prison_number")
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_offender_managers(self, nominal) -> list[str]:
        # A page of the list has them already (one query for the page); one person, here.
        if not hasattr(nominal, "manager_names"):
            list_queries.with_manager_names([nominal])
        return nominal.manager_names


@extend_schema_view(
    list=extend_schema(summary="List the nominals you may see", tags=["nominals"]),
    retrieve=extend_schema(summary="Read one nominal", tags=["nominals"]),
    partial_update=extend_schema(
        summary="Change a nominal's details",
        tags=["nominals"],
    ),
)
class NominalViewSet(
    DisclosingReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Nominals visible to the signed-in user. Every read is logged as a disclosure."""

    serializer_class = NominalSerializer
    http_method_names = ["get", "patch", "head", "options"]

    @property
    def filterset_class(self):
        # The cohort page's filters, with those of the columns registered by the apps above.
        return NominalFilterSet.for_columns()

    def get_queryset(self):
        action = "change" if self.request.method == "PATCH" else "view"
        return (
            queries.visible_nominals(self.request.user, action)
            .select_related("lead_agency", "neighbourhood")
            .prefetch_related("aliases")
            .order_by("surname", "first_names", "id")
        )

    def nominal_of(self, obj):
        return obj

    def list(self, request, *args, **kwargs):
        terms = [
            f"{name}={request.query_params[name]!r}"
            for name in SEARCH_PARAMETERS
            if request.query_params.get(name)
        ]
        if terms:
            audit.record(
                audit.actor_from_request(request),
                AuditAction.SEARCH,
                description=f"Searched nominals through the API for {', '.join(terms)}"[:255],
            )
        # The page's filters, read as the filter backend reads them, then one page of the
        # list at the cost of one page (``list_queries.CohortPage``).
        filterset = self.filterset_class(request.query_params, request=request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        base = self.get_queryset()
        people = list_queries.CohortPage(
            request.user, filterset.cohort_filters(), base, rows=base.order_by()
        )
        page = self.paginate_queryset(people)
        self.disclose(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def partial_update(self, request, *args, **kwargs):
        nominal = self.get_object()
        changes = validated(self.get_serializer(nominal, data=request.data, partial=True))
        updated = call_service(
            services.update_nominal,
            nominal.pk,
            by=audit.actor_from_request(request),
            version=required_version(changes),
            changes=changes,
        )
        fresh = self.get_queryset().get(pk=updated.pk)
        self.disclose([fresh])
        return Response(self.get_serializer(fresh).data)


class MembershipSerializer(serializers.ModelSerializer):
    nominal_name = serializers.CharField(source="nominal.full_name", read_only=True)
    lead_agency = serializers.StringRelatedField()

    class Meta:
        model = CohortMembership
        fields = [
            "id", "nominal", "nominal_name", "stream", "national_category", "lead_agency",
            "entered_on", "status", "exited_on", "exit_reason", "exit_details",
        ]  # fmt: skip


@extend_schema_view(
    list=extend_schema(summary="List cohort memberships you may see", tags=["memberships"]),
    retrieve=extend_schema(summary="Read one cohort membership", tags=["memberships"]),
)
class MembershipViewSet(DisclosingReadMixin, viewsets.ReadOnlyModelViewSet):
    """Periods on the cohort of the people the signed-in user may see."""

    serializer_class = MembershipSerializer
    filterset_fields = ["status", "stream", "lead_agency", "nominal"]

    def get_queryset(self):
        return restrict_by_nominal(
            CohortMembership.objects.select_related("nominal", "lead_agency"), self.request.user
        ).order_by("-entered_on", "-id")


# The routes this app adds under /api/ (collected by iom/api/urls.py): prefix, viewset, name.
ROUTES = [
    ("nominals", NominalViewSet, "nominal"),
    ("memberships", MembershipViewSet, "membership"),
    ("tasks", TaskViewSet, "task"),
]
