"""REST API for referrals and the panel, through the same services as the pages.

Referrals: create, list, read and withdraw (whoever may see the person). Panel meetings (the
IOM unit only): read one with its agenda and minutes, keep its minutes, record its actions.
Panel decisions: read them (whoever may see the person; the panel's minutes on a decision for
the IOM unit only) and record one (the IOM unit), amending the stream or lead agency.
"""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cohorts.models import CohortStream, Gender, NeighbourhoodPolicingArea, Nominal, Task
from cohorts.tasks_api import TaskSerializer
from iom import audit
from iom.api.errors import StaleVersionSerializer
from iom.api.mixins import DisclosingReadMixin, call_service, validated
from iom.models import LEAD_AGENCY_KINDS, Agency, Team, User

from . import queries, services
from .filtersets import ReferralFilterSet
from .models import Decision, PanelDecision, PanelMeeting, Referral


class NewPersonSerializer(serializers.Serializer):
    first_names = serializers.CharField(max_length=100)
    surname = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField()
    gender = serializers.ChoiceField(choices=Gender.choices, default=Gender.NOT_KNOWN)
    pnc_id = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    cro_number = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    crn = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    prison_number = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    address_line_1 = serializers.CharField(required=False, allow_blank=True, default="")
    address_line_2 = serializers.CharField(required=False, allow_blank=True, default="")
    town = serializers.CharField(required=False, allow_blank=True, default="")
    postcode = serializers.CharField(required=False, allow_blank=True, default="")
    neighbourhood = serializers.PrimaryKeyRelatedField(
        queryset=NeighbourhoodPolicingArea.objects.all(), required=False, allow_null=True
    )


class ReferralSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    nominal = serializers.PrimaryKeyRelatedField(
        queryset=Nominal.objects.none(),
        required=False,
        help_text="An existing person you can see. Give this or new_person.",
    )
    new_person = NewPersonSerializer(
        write_only=True, required=False, help_text="A person not yet on the system."
    )
    confirm_new_person = serializers.BooleanField(
        write_only=True,
        default=False,
        help_text="Create the new person although records look alike (after checking them).",
    )
    nominal_name = serializers.CharField(source="nominal.full_name", read_only=True)
    referring_agency = serializers.StringRelatedField(read_only=True)
    referred_by = serializers.StringRelatedField(read_only=True)
    proposed_lead_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(kind__in=LEAD_AGENCY_KINDS)
    )
    membership = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Null until the panel accepts the referral."
    )
    needs_identity_check = serializers.SerializerMethodField(
        help_text="Whether the panel must confirm the person's identity. Shown to the IOM "
        "unit only (null for anyone else)."
    )

    class Meta:
        model = Referral
        fields = [
            "id", "reference", "nominal", "nominal_name", "new_person", "confirm_new_person",
            "referring_agency", "referred_by", "stream", "national_category", "reasons",
            "supporting_information", "proposed_lead_agency", "status", "deferred_until",
            "withdrawal_reason", "needs_identity_check", "membership", "created_at",
            "decided_at", "version",
        ]  # fmt: skip
        read_only_fields = [
            "status", "deferred_until", "withdrawal_reason", "created_at", "decided_at",
            "version",
        ]  # fmt: skip
        # The service refuses a second open referral with a message naming the first; the
        # generated unique-constraint validator would instead demand a nominal.
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["nominal"].queryset = Nominal.objects.visible_to(request.user)

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_needs_identity_check(self, referral: Referral) -> bool | None:
        # The flag says that records the referrer may not see look alike: only the panel
        # may know that.
        request = self.context.get("request")
        if request is None or not services.can_run_panels(request.user):
            return None
        return referral.needs_identity_check

    def validate(self, attrs):
        if bool(attrs.get("nominal")) == bool(attrs.get("new_person")):
            raise serializers.ValidationError(
                {"nominal": "Give either an existing nominal or a new_person, not both."}
            )
        return attrs


class MatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    date_of_birth = serializers.DateField()


class PossibleDuplicatesSerializer(serializers.Serializer):
    detail = serializers.CharField()
    matches = MatchSerializer(many=True, help_text="The look-alike records you may see.")


class ReferralReceivedSerializer(serializers.Serializer):
    detail = serializers.CharField()


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255, help_text="Why the referral is withdrawn.")
    version = serializers.IntegerField(
        help_text="The version this is based on; a stale version is refused with 409."
    )


@extend_schema_view(
    list=extend_schema(summary="List the referrals you may see", tags=["referrals"]),
    retrieve=extend_schema(summary="Read one referral", tags=["referrals"]),
    create=extend_schema(
        summary="Refer a person to the IOM panel",
        tags=["referrals"],
        responses={
            201: ReferralSerializer,
            202: ReferralReceivedSerializer,
            409: PossibleDuplicatesSerializer,
        },
    ),
)
class ReferralViewSet(
    DisclosingReadMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Referrals of people the signed-in user may see. Reads are logged as disclosures."""

    serializer_class = ReferralSerializer
    filterset_class = ReferralFilterSet  # the referrals page's

    def get_queryset(self):
        return queries.visible_referrals(self.request.user).select_related(
            "nominal", "referring_agency", "referred_by", "proposed_lead_agency"
        )

    def create(self, request, *args, **kwargs):
        data = validated(self.get_serializer(data=request.data))
        new_person = data.get("new_person")
        try:
            referral = call_service(
                services.refer,
                by=audit.actor_from_request(request),
                nominal=data.get("nominal"),
                new_person=services.NewPerson(**new_person) if new_person else None,
                confirmed_new_person=data["confirm_new_person"],
                stream=data["stream"],
                national_category=data.get("national_category", ""),
                reasons=data["reasons"],
                supporting_information=data.get("supporting_information", ""),
                proposed_lead_agency=data["proposed_lead_agency"],
            )
        except services.PossibleDuplicates as duplicates:
            visible = list(
                Nominal.objects.visible_to(request.user).filter(
                    pk__in=duplicates.matches.values("pk")
                )
            )
            matches = [
                {"id": n.pk, "name": n.full_name, "date_of_birth": n.date_of_birth} for n in visible
            ]
            return Response(
                {
                    "detail": "This person may already have a record. Refer the existing "
                    "record (nominal) or send confirm_new_person=true.",
                    "matches": MatchSerializer(matches, many=True).data,
                },
                status=status.HTTP_409_CONFLICT,
            )
        if services.answers_as_an_identity_check(
            request.user, referral, new_person=bool(new_person)
        ):
            # Made on a record the client may not see, or a new person referred by a client
            # that cannot see every record: the same answer for both (docs/access.md).
            return Response(
                {"detail": services.REFERRED_FOR_IDENTITY_CHECK}, status=status.HTTP_202_ACCEPTED
            )
        referral = self.get_queryset().get(pk=referral.pk)
        return Response(self.get_serializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Withdraw a referral awaiting the panel (its referrer's team or the IOM unit)",
        tags=["referrals"],
        request=WithdrawSerializer,
        responses={200: ReferralSerializer},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None, format=None):
        referral = self.get_object()
        payload = validated(WithdrawSerializer(data=request.data))
        call_service(
            services.withdraw_referral,
            referral.pk,
            by=audit.actor_from_request(request),
            version=payload["version"],
            reason=payload["reason"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=referral.pk)).data)


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
        meeting = self.get_object()
        payload = validated(MinutesSerializer(data=request.data))
        call_service(
            services.record_minutes,
            meeting.pk,
            by=audit.actor_from_request(request),
            version=payload["version"],
            minutes=payload["minutes"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data)

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


# The routes this app adds under /api/ (collected by iom/api/urls.py): prefix, viewset, name.
ROUTES = [
    ("referrals", ReferralViewSet, "referral"),
    ("panel-meetings", PanelMeetingViewSet, "panel-meeting"),
    ("panel-decisions", PanelDecisionViewSet, "panel-decision"),
]
