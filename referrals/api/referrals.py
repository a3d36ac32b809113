"""Referrals: create, list, read and withdraw, for whoever may see the person, through the
same services as the referral pages."""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cohorts.models import Gender, NeighbourhoodPolicingArea, Nominal
from iom import audit
from iom.api.mixins import DisclosingReadMixin, call_service, validated, versioned_action
from iom.models import LEAD_AGENCY_KINDS, Agency

from .. import queries, services
from ..filtersets import ReferralFilterSet
from ..models import Referral


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
                {"nominal": "Give either an existing nominal or a new_person, not both"}
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
        return versioned_action(self, request, services.withdraw_referral, WithdrawSerializer)
