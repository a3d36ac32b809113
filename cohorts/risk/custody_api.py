"""REST API for custody and release: the periods with their expected release and countdown,
going into custody, the expected release, the day-of-release plan and the release itself,
through the same services as the custody page."""

from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cohorts.models import Nominal
from iom import audit
from iom.api.mixins import DisclosingReadMixin, call_service, validated
from iom.models import Agency, Team

from . import custody, custody_plan, queries
from .models import CustodyKind, CustodyPeriod, ExpectedReleaseBasis


class PlanItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    key = serializers.ChoiceField(choices=custody.RELEASE_PLAN_ITEMS)
    title = serializers.CharField(read_only=True)
    owner_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    owner_team = serializers.IntegerField(read_only=True, allow_null=True)
    due_on = serializers.DateField()
    details = serializers.CharField(required=False, allow_blank=True, max_length=500)
    version = serializers.IntegerField(read_only=True)
    is_open = serializers.BooleanField(read_only=True)
    outcome = serializers.CharField(read_only=True)


class CustodySerializer(serializers.ModelSerializer):
    nominal = serializers.PrimaryKeyRelatedField(queryset=Nominal.objects.none())
    nominal_name = serializers.CharField(source="nominal.full_name", read_only=True)
    kind = serializers.ChoiceField(
        choices=CustodyKind.choices,
        allow_blank=True,
        help_text="Blank on periods recorded before the kind was asked; a new period needs one.",
    )
    expected_release_basis = serializers.ChoiceField(
        choices=ExpectedReleaseBasis.choices, required=False, allow_blank=True
    )
    days_to_release = serializers.SerializerMethodField()
    countdown = serializers.SerializerMethodField()
    release_plan = serializers.SerializerMethodField()

    class Meta:
        model = CustodyPeriod
        fields = [
            "id", "nominal", "nominal_name", "kind", "started_on", "ended_on", "establishment",
            "expected_release_on", "expected_release_basis", "days_to_release", "countdown",
            "release_plan", "version",
        ]  # fmt: skip
        read_only_fields = ["ended_on", "version"]
        extra_kwargs = {"started_on": {"required": True}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["nominal"].queryset = Nominal.objects.visible_to(request.user, "change")

    def get_days_to_release(self, period) -> int | None:
        return period.days_to_release(timezone.localdate())

    def get_countdown(self, period) -> str:
        return custody.countdown(period.days_to_release(timezone.localdate()))

    @extend_schema_field(PlanItemSerializer(many=True))
    def get_release_plan(self, period) -> list[dict]:
        return [
            {
                "id": task.pk,
                "key": task.key,
                "title": task.title,
                "owner_agency": task.owner_agency_id,
                "owner_team": task.owner_team_id,
                "version": task.version,
                "due_on": task.due_on,
                "details": task.details,
                "is_open": task.is_open,
                "outcome": task.outcome,
            }
            for task in custody.release_plan(period)
        ]


class ReleaseSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    released_on = serializers.DateField()
    licence_expiry_date = serializers.DateField(required=False)
    sentence_expiry_date = serializers.DateField(required=False)


class ExpectedReleaseSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    expected_release_on = serializers.DateField()
    expected_release_basis = serializers.ChoiceField(
        choices=ExpectedReleaseBasis.choices, required=False, allow_blank=True
    )


class PlanSerializer(serializers.Serializer):
    items = PlanItemSerializer(many=True)


class PlanItemChangeSerializer(serializers.Serializer):
    item = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        help_text="The id of the item (``release_plan[].id``) to change.",
    )
    version = serializers.IntegerField(help_text="The item's version the change is based on.")
    owner_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    owner_team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(),
        required=False,
        allow_null=True,
        help_text="A team of the agency, if one team does it (omitted or null: no team).",
    )
    due_on = serializers.DateField()
    details = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=custody_plan.DETAILS_MAX_LENGTH,
        help_text="Omitted: the details stay as they are.",
    )


class StaleCustodySerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(
        summary="List custody periods with their expected release",
        tags=["custody"],
        parameters=[
            OpenApiParameter(
                "due_out", bool, description="Only those due out within 28 days, soonest first."
            )
        ],
    ),
    retrieve=extend_schema(
        summary="Read one custody period and its release plan", tags=["custody"]
    ),
    create=extend_schema(summary="Record that a person went into custody", tags=["custody"]),
)
class CustodyViewSet(
    DisclosingReadMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Custody periods of the people the signed-in user may see (offending section); every
    read is logged as a disclosure. ``due_out=1`` lists the open periods due out within 28
    days, soonest first."""

    serializer_class = CustodySerializer
    filterset_fields = ["nominal", "kind"]

    def get_queryset(self):
        periods = queries.visible_history(CustodyPeriod, self.request.user)
        if self.request.query_params.get("due_out"):
            due = custody.due_out(timezone.localdate()).values("pk")
            return periods.filter(pk__in=due).order_by("expected_release_on", "id")
        return periods.order_by("-started_on", "-id")

    def create(self, request, *args, **kwargs):
        data = validated(self.get_serializer(data=request.data))
        period = call_service(
            custody.open_custody_period,
            data.pop("nominal"),
            by=audit.actor_from_request(request),
            kind=data.pop("kind"),
            starts_on=data.pop("started_on"),
            **data,
        )
        return Response(self.get_serializer(period).data, status=status.HTTP_201_CREATED)

    def _change(self, request, body_class, change):
        period = self.get_object()
        data = validated(body_class(data=request.data))
        call_service(change, period, data, audit.actor_from_request(request))
        fresh = CustodyPeriod.objects.select_related("nominal").get(pk=period.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(
        summary="Record the release from custody",
        tags=["custody"],
        request=ReleaseSerializer,
        responses={200: CustodySerializer, 409: StaleCustodySerializer},
    )
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None, format=None):
        def change(period, data, actor):
            version, released_on = data.pop("version"), data.pop("released_on")
            custody.release_from_custody(
                period.pk, by=actor, version=version, released_on=released_on, options=data
            )

        return self._change(request, ReleaseSerializer, change)

    @extend_schema(
        summary="Record or change the expected release date",
        tags=["custody"],
        request=ExpectedReleaseSerializer,
        responses={200: CustodySerializer, 409: StaleCustodySerializer},
    )
    @action(detail=True, methods=["post"], url_path="expected-release")
    def expected_release(self, request, pk=None, format=None):
        def change(period, data, actor):
            custody.set_expected_release(period.pk, by=actor, **data)

        return self._change(request, ExpectedReleaseSerializer, change)

    @extend_schema(
        summary="Add items to the day-of-release plan",
        tags=["custody"],
        request=PlanSerializer,
        responses={200: CustodySerializer},
    )
    @action(detail=True, methods=["post"], url_path="release-plan")
    def release_plan(self, request, pk=None, format=None):
        def change(period, data, actor):
            items = {
                item["key"]: {
                    "owner_agency": item["owner_agency"],
                    "due_on": item["due_on"],
                    "details": item.get("details", ""),
                }
                for item in data["items"]
            }
            custody.plan_release(period.pk, by=actor, items=items)

        return self._change(request, PlanSerializer, change)

    @extend_schema(
        summary="Change an item of the day-of-release plan (owner, date due, details)",
        tags=["custody"],
        request=PlanItemChangeSerializer,
        responses={200: CustodySerializer, 409: StaleCustodySerializer},
    )
    @action(detail=True, methods=["post"], url_path="release-plan-item")
    def release_plan_item(self, request, pk=None, format=None):
        def change(period, data, actor):
            custody_plan.change_plan_item(period.pk, data.pop("item"), by=actor, **data)

        return self._change(request, PlanItemChangeSerializer, change)
