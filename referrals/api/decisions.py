"""Panel decisions: read them (whoever may see the person; the panel's minutes on a decision
for the IOM unit only) and record one (the IOM unit), amending the stream or lead agency."""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from cohorts.models import CohortStream
from iom import audit
from iom.api.errors import StaleVersionSerializer
from iom.api.mixins import DisclosingReadMixin, call_service, validated
from iom.models import LEAD_AGENCY_KINDS, Agency, Team, User

from .. import queries, services
from ..models import Decision, PanelDecision, PanelMeeting, Referral
from .panels import PanelActionSerializer, PanelOnly


class PanelDecisionSerializer(serializers.ModelSerializer):
    """A decision, with what was proposed beside what was decided."""

    referral = serializers.PrimaryKeyRelatedField(queryset=Referral.objects.none())
    meeting = serializers.PrimaryKeyRelatedField(queryset=PanelMeeting.objects.all())
    nominal_name = serializers.CharField(source="referral.nominal.full_name", read_only=True)
    version = serializers.IntegerField(
        write_only=True, help_text="The referral's version; a stale version is refused with 409."
    )
    stream = serializers.ChoiceField(
        choices=CohortStream.choices,
        required=False,
        allow_blank=True,
        help_text="Accepting: the stream decided, when the panel amends the proposal.",
    )
    lead_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(kind__in=LEAD_AGENCY_KINDS),
        required=False,
        allow_null=True,
        help_text="Accepting: the lead agency decided, when the panel amends the proposal.",
    )
    proposed_stream = serializers.CharField(
        read_only=True, help_text="The stream the referral proposed (a cohort stream code)."
    )
    proposed_lead_agency = serializers.PrimaryKeyRelatedField(read_only=True)
    amended = serializers.BooleanField(read_only=True)
    minutes = serializers.SerializerMethodField(
        help_text="The panel's minutes on the referral: the IOM unit only (null for others)."
    )
    minutes_text = serializers.CharField(
        write_only=True, required=False, allow_blank=True, default="", source="minutes"
    )
    offender_managers = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True, agency__isnull=False),
        many=True,
        required=False,
        write_only=True,
    )
    share_with = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.filter(is_iom_unit=False),
        many=True,
        required=False,
        write_only=True,
    )
    cap_override_reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, default=""
    )
    actions = PanelActionSerializer(many=True, required=False, write_only=True)
    decided_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = PanelDecision
        fields = [
            "id", "referral", "meeting", "nominal_name", "version", "decision", "reason",
            "deferred_until", "proposed_stream", "stream", "proposed_lead_agency",
            "lead_agency", "amended", "amendment_reason", "minutes", "minutes_text",
            "offender_managers", "share_with", "cap_override_reason", "actions",
            "decided_by", "decided_at",
        ]  # fmt: skip
        read_only_fields = ["decided_at"]
        extra_kwargs = {
            "decision": {"choices": Decision.choices},
            "amendment_reason": {"required": False},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["referral"].queryset = queries.visible_referrals(request.user)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_minutes(self, decision: PanelDecision) -> str | None:
        request = self.context.get("request")
        if request is None or not services.can_run_panels(request.user):
            return None
        return decision.minutes


@extend_schema_view(
    list=extend_schema(
        summary="List the panel's decisions on referrals you may see", tags=["panel"]
    ),
    retrieve=extend_schema(summary="Read one panel decision", tags=["panel"]),
    create=extend_schema(
        summary="Record the panel's decision on a referral (the IOM unit), amending the "
        "stream or lead agency with a reason, with minutes and actions",
        tags=["panel"],
        responses={201: PanelDecisionSerializer, 409: StaleVersionSerializer},
    ),
)
class PanelDecisionViewSet(
    DisclosingReadMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Decisions on the referrals of people the user may see. Reads are logged as
    disclosures."""

    serializer_class = PanelDecisionSerializer
    filterset_fields = ["meeting", "referral", "decision"]

    def nominal_of(self, obj):
        return obj.referral.nominal

    def get_queryset(self):
        return (
            PanelDecision.objects.filter(referral__in=queries.visible_referrals(self.request.user))
            .select_related("referral__nominal", "decided_by")
            .order_by("decided_at", "id")
        )

    def create(self, request, *args, **kwargs):
        if not services.can_run_panels(request.user):
            raise PanelOnly()
        data = validated(self.get_serializer(data=request.data))
        actions = [
            PanelActionSerializer(data=item) for item in request.data.get("actions", []) or []
        ]
        for item in actions:
            item.is_valid(raise_exception=True)
        decision = call_service(
            services.decide_referral,
            data["referral"].pk,
            meeting=data["meeting"],
            by=audit.actor_from_request(request),
            version=data["version"],
            decision=data["decision"],
            reason=data.get("reason", ""),
            deferred_until=data.get("deferred_until"),
            offender_managers=data.get("offender_managers", []),
            share_with=data.get("share_with", []),
            cap_override_reason=data.get("cap_override_reason", ""),
            stream=data.get("stream") or None,
            lead_agency=data.get("lead_agency"),
            amendment_reason=data.get("amendment_reason", ""),
            minutes=data.get("minutes", ""),
            actions=[item.to_action() for item in actions],
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=decision.pk)).data,
            status=status.HTTP_201_CREATED,
        )
