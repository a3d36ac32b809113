"""REST API of the pathways, for partner agencies' systems: list the people shared with the
agency with their plan summary, and create and update actions on the pathways it delivers.

Thin: the same gate (iom.access), the same information-sharing terms and the same services as
the pages. Every read is logged as a disclosure to the API client.
"""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from cohorts.models import Nominal
from iom import audit
from iom.api.mixins import DisclosingReadMixin, call_service, required_version, validated
from iom.api.viewsets import RecordViewSet
from iom.models import Agency, User

from . import queries, services
from .models import PATHWAY_ORDER, PathwayAction, PathwayKind
from .permissions import agency_terms


class ActionSerializer(serializers.ModelSerializer):
    nominal = serializers.PrimaryKeyRelatedField(
        queryset=Nominal.objects.none(), help_text="The person (create only)."
    )
    nominal_name = serializers.CharField(source="nominal.full_name", read_only=True)
    pathway = serializers.ChoiceField(
        choices=PathwayKind.choices,
        source="plan_pathway.pathway",
        help_text="The pathway (create only); your agency must deliver it.",
    )
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(),
        required=False,
        help_text="The agency that does it; a partner's own agency when left out.",
    )
    assigned_to = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    version = serializers.IntegerField(
        required=False,
        help_text="On update: the version the change is based on; a stale one gets 409.",
    )

    class Meta:
        model = PathwayAction
        fields = [
            "id", "nominal", "nominal_name", "pathway", "description", "agency", "assigned_to",
            "due_on", "done_on", "outcome", "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {"due_on": {"required": True}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["nominal"].queryset = Nominal.objects.visible_to(request.user)


class ActionSummarySerializer(serializers.ModelSerializer):
    """An action as a person's plan lists it (the full action is at /api/pathway-actions/)."""

    class Meta:
        model = PathwayAction
        fields = [
            "id", "description", "agency", "assigned_to", "due_on", "done_on", "outcome",
            "version",
        ]  # fmt: skip
        read_only_fields = fields


class PlanPathwaySerializer(serializers.Serializer):
    """One pathway: need and status always; the rest only where the user may see it in full
    (``detail`` says which)."""

    pathway = serializers.CharField()
    label = serializers.CharField(source="get_pathway_display")
    need = serializers.CharField()
    status = serializers.CharField()
    detail = serializers.BooleanField(
        help_text="False: your agency's agreement shows only the need and status."
    )
    contact_agency = serializers.CharField(allow_null=True, required=False)
    contact_worker = serializers.CharField(allow_null=True, required=False)
    aims = serializers.CharField(required=False)
    review_date = serializers.DateField(allow_null=True, required=False)
    closing_reason = serializers.CharField(required=False)
    version = serializers.IntegerField(required=False)
    actions = ActionSummarySerializer(many=True, required=False)

    def to_representation(self, instance):
        pathway, sees_detail, actions = instance
        summary = {
            "pathway": pathway.pathway,
            "label": pathway.get_pathway_display(),
            "need": pathway.need,
            "status": pathway.status,
            "detail": sees_detail,
        }
        if not sees_detail:
            return summary
        return {
            **summary,
            "contact_agency": str(pathway.contact_agency) if pathway.contact_agency else None,
            "contact_worker": str(pathway.contact_worker) if pathway.contact_worker else None,
            "aims": pathway.aims,
            "review_date": pathway.review_date.isoformat() if pathway.review_date else None,
            "closing_reason": pathway.closing_reason,
            "version": pathway.version,
            "actions": ActionSummarySerializer(actions, many=True).data,
        }


class PersonPlanSerializer(serializers.ModelSerializer):
    pathways = serializers.SerializerMethodField()

    class Meta:
        model = Nominal
        fields = ["id", "first_names", "surname", "date_of_birth", "pnc_id", "crn", "pathways"]

    @extend_schema_field(PlanPathwaySerializer(many=True))
    def get_pathways(self, nominal) -> list[dict]:
        terms = self.context["terms"]
        actions_by_pathway: dict[int, list] = {}
        for action in nominal.pathway_actions.all():
            actions_by_pathway.setdefault(action.plan_pathway_id, []).append(action)
        rows = []
        for pathway in sorted(nominal.plan_pathways.all(), key=lambda p: PATHWAY_ORDER[p.pathway]):
            sees = nominal.acts_on_all or terms.full_sharing or pathway.pathway in terms.delivers
            rows.append(
                PlanPathwaySerializer((pathway, sees, actions_by_pathway.get(pathway.pk, []))).data
            )
        return rows


@extend_schema_view(
    list=extend_schema(
        summary="List the people you may see who have a pathway plan, with the plan",
        tags=["pathways"],
    ),
    retrieve=extend_schema(summary="Read one person's pathway plan", tags=["pathways"]),
)
class PathwayPersonViewSet(DisclosingReadMixin, viewsets.ReadOnlyModelViewSet):
    """People shared with your agency and their plans. Pathways your agency neither delivers
    nor may see in full under its agreement show only need and status."""

    serializer_class = PersonPlanSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Nominal.objects.none()
        return queries.people_with_plans(self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "terms": agency_terms(self.request.user)}

    def nominal_of(self, obj):
        return obj


@extend_schema_view(
    list=extend_schema(summary="List pathway actions you may see", tags=["pathways"]),
    retrieve=extend_schema(summary="Read one pathway action", tags=["pathways"]),
    create=extend_schema(
        summary="Add an action on a pathway your agency delivers",
        tags=["pathways"],
        responses={201: ActionSerializer},
    ),
    partial_update=extend_schema(
        summary="Update an action (send the version it is based on)",
        tags=["pathways"],
    ),
)
class PathwayActionViewSet(RecordViewSet):
    """Actions on the pathways of people you may see, where you may see the pathway in full.
    You may add and update actions only on the pathways your agency delivers (403 otherwise)."""

    serializer_class = ActionSerializer
    filterset_fields = ["nominal", "agency", "assigned_to"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return PathwayAction.objects.none()
        return queries.visible_actions(self.request.user).order_by("due_on", "id")

    def create(self, request, *args, **kwargs):
        data = validated(self.get_serializer(data=request.data))
        action = call_service(
            services.add_action,
            data["nominal"],
            by=audit.actor_from_request(request),
            pathway=data["plan_pathway"]["pathway"],
            description=data.get("description", ""),
            agency=data.get("agency"),
            assigned_to=data.get("assigned_to"),
            due_on=data.get("due_on"),
            done_on=data.get("done_on"),
            outcome=data.get("outcome", ""),
        )
        fresh = self.get_queryset().get(pk=action.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        action = self.get_object()
        changes = validated(self.get_serializer(action, data=request.data, partial=True))
        for fixed in ("nominal", "plan_pathway"):
            if fixed in changes:
                raise serializers.ValidationError(
                    {fixed if fixed == "nominal" else "pathway": ["This cannot be changed."]}
                )
        updated = call_service(
            services.update_action,
            action.pk,
            by=audit.actor_from_request(request),
            version=required_version(changes),
            changes=changes,
        )
        return self.respond_with(updated)


# The routes this app adds under /api/ (collected by iom/api/urls.py): prefix, viewset, name.
ROUTES = [
    ("pathway-people", PathwayPersonViewSet, "pathway-person"),
    ("pathway-actions", PathwayActionViewSet, "pathway-action"),
]
