"""Panel meetings (the IOM unit only): read one with its agenda and minutes, keep its minutes,
record the actions it agreed."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cohorts.models import Task
from cohorts.tasks_api import TaskSerializer
from iom import audit
from iom.api.errors import StaleVersionSerializer
from iom.api.mixins import call_service, versioned_action
from iom.models import User

from .. import queries, services
from ..models import PanelDecision, PanelMeeting


class PanelOnly(exceptions.PermissionDenied):
    default_detail = "Only the IOM unit can run panel meetings."


class PanelActionSerializer(serializers.Serializer):
    """An action the panel agreed; it becomes a task in its owner's My work."""

    title = serializers.CharField(max_length=200)
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True, agency__isnull=False),
        help_text="Who owns the action (the task is their team's, or their agency's).",
    )
    due_on = serializers.DateField()
    details = serializers.CharField(required=False, allow_blank=True, default="")
    decision = serializers.PrimaryKeyRelatedField(
        queryset=PanelDecision.objects.all(),
        required=False,
        allow_null=True,
        help_text="The decision of this meeting the action is about; none: the meeting.",
    )

    def to_action(self) -> services.PanelAction:
        data = self.validated_data
        return services.PanelAction(
            title=data["title"],
            assignee=data["assignee"],
            due_on=data["due_on"],
            details=data.get("details", ""),
        )


class MinutesSerializer(serializers.Serializer):
    minutes = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(
        help_text="The meeting's version this is based on; a stale version is refused with 409."
    )


class AgendaItemSerializer(serializers.Serializer):
    """One referral on a meeting's agenda, with what the panel weighs."""

    referral = serializers.IntegerField(source="pk")
    reference = serializers.CharField()
    version = serializers.IntegerField()
    nominal = serializers.IntegerField(source="nominal_id")
    nominal_name = serializers.CharField(source="nominal.full_name")
    referring_agency = serializers.StringRelatedField()
    proposed_stream = serializers.CharField(source="stream", help_text="A cohort stream code.")
    proposed_lead_agency = serializers.IntegerField(source="proposed_lead_agency_id")
    reasons = serializers.CharField()
    band = serializers.CharField(source="nominal.risk_effective_band", allow_null=True)
    score = serializers.DecimalField(
        source="nominal.risk_score", max_digits=9, decimal_places=2, allow_null=True
    )
    ogrs3_band = serializers.CharField(source="nominal.ogrs3_band", allow_null=True)
    ogrs3_two_year_percent = serializers.IntegerField(
        source="nominal.ogrs3_two_year", allow_null=True
    )
    offences_last_12_months = serializers.IntegerField(source="nominal.offences_last_year")
    arrests_last_12_months = serializers.IntegerField(source="nominal.arrests_last_year")


class PanelMeetingSerializer(serializers.ModelSerializer):
    chair = serializers.StringRelatedField()
    attending_agencies = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = PanelMeeting
        fields = ["id", "held_on", "chair", "attending_agencies", "notes", "minutes", "version"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="List panel meetings (the IOM unit)", tags=["panel"]),
    retrieve=extend_schema(summary="Read a panel meeting and its minutes", tags=["panel"]),
)
class PanelMeetingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Panel meetings, for the IOM unit that runs them: anyone else is refused (403)."""

    serializer_class = PanelMeetingSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not services.can_run_panels(request.user):
            raise PanelOnly()

    def get_queryset(self):
        return PanelMeeting.objects.select_related("chair").prefetch_related("attending_agencies")

    @extend_schema(
        summary="The meeting's agenda: each referral with band, score, OGRS3, offending in "
        "the last 12 months and the referrer's reasons",
        tags=["panel"],
        responses={200: AgendaItemSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def agenda(self, request, pk=None, format=None):
        meeting = self.get_object()
        queue = list(queries.panel_queue(request.user, meeting))
        audit.record_disclosures(
            audit.actor_from_request(request),
            [referral.nominal for referral in queue],
            disclosure_format="json",
            recipient=f"API client {request.user.username}",
            description=f"The agenda of the {meeting} through the API",
        )
        return Response(AgendaItemSerializer(queue, many=True).data)

    @extend_schema(
        summary="Keep the meeting's minutes",
        tags=["panel"],
        request=MinutesSerializer,
        responses={200: PanelMeetingSerializer, 409: StaleVersionSerializer},
    )
    @action(detail=True, methods=["post"])
    def minutes(self, request, pk=None, format=None):
        return versioned_action(self, request, services.record_minutes, MinutesSerializer)

    @extend_schema(
        methods=["GET"],
        summary="The actions agreed at the meeting (tasks in their owners' My work)",
        tags=["panel"],
        responses={200: TaskSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Record an action the panel agreed: a task for its owner",
        tags=["panel"],
        request=PanelActionSerializer,
        responses={201: TaskSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def actions(self, request, pk=None, format=None):
        meeting = self.get_object()
        if request.method == "GET":
            tasks = list(queries.actions_of(meeting))
            audit.record_disclosures(
                audit.actor_from_request(request),
                [task.nominal for task in tasks if task.nominal is not None],
                disclosure_format="json",
                recipient=f"API client {request.user.username}",
                description=f"The actions of the {meeting} through the API",
            )
            return Response(TaskSerializer(tasks, many=True, context={"request": request}).data)
        payload = PanelActionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        task = call_service(
            services.add_panel_action,
            meeting.pk,
            by=audit.actor_from_request(request),
            action=payload.to_action(),
            decision=payload.validated_data.get("decision"),
        )
        return Response(
            TaskSerializer(Task.objects.get(pk=task.pk), context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
