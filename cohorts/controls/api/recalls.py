"""Recalls: the decision, its countersignature, the checklist and the dossier, through the same
services as the recall pages. Every read, and every answer to a change, is a disclosure."""

from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from iom import audit
from iom.api.errors import StaleVersionSerializer
from iom.api.mixins import DisclosingReadMixin, call_service, validated

from .. import queries, services
from ..models import (
    DOSSIER_PARTS,
    RECALL_STEP_FIELDS,
    AlternativeKind,
    Recall,
    RecallAlternative,
    RecallGrounds,
    RecallType,
)


class RecallAlternativeSerializer(serializers.ModelSerializer):
    from_record = serializers.BooleanField(read_only=True)

    class Meta:
        model = RecallAlternative
        fields = ["kind", "source", "on", "description", "result", "from_record"]


class ChecklistStepSerializer(serializers.Serializer):
    step = serializers.CharField(help_text="The step's name, for example ppcs_contacted.")
    label = serializers.CharField()
    at = serializers.DateTimeField(allow_null=True, help_text="Null until the step is done.")
    seconds_since_start = serializers.FloatField(allow_null=True)


class RecallSerializer(serializers.ModelSerializer):
    nominal_name = serializers.CharField(source="nominal.full_name", read_only=True)
    checklist = serializers.SerializerMethodField()
    # The people's names, or null until someone has decided, countersigned or issued.
    decided_by = serializers.CharField(read_only=True, allow_null=True)
    countersigned_by = serializers.CharField(read_only=True, allow_null=True)
    dossier_issued_by = serializers.CharField(read_only=True, allow_null=True)
    alternatives = RecallAlternativeSerializer(many=True, read_only=True)
    out_of_order_reasons = serializers.DictField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Recall
        fields = [
            "id", "nominal", "nominal_name", "licence", "breach", "status", "reason",
            "recommendation", "started_at", "grounds", "recall_type", "decision_rationale",
            "decided_at", "decided_by", "alternatives", "countersigned_at", "countersigned_by",
            "countersign_rationale", "dossier_issued_at", "dossier_issued_by", "checklist",
            "out_of_order_reasons", "version",
        ]  # fmt: skip

    @extend_schema_field(ChecklistStepSerializer(many=True))
    def get_checklist(self, recall) -> list[dict]:
        steps = [
            {
                "step": step["field"].removesuffix("_at"),
                "label": step["label"],
                "at": step["at"],
                # A step done at the very start took 0 seconds, not none.
                "seconds_since_start": step["since_start"].total_seconds()
                if step["since_start"] is not None
                else None,
            }
            for step in recall.checklist()
        ]
        return ChecklistStepSerializer(steps, many=True).data


class RecallCandidateSerializer(serializers.Serializer):
    source = serializers.CharField(help_text="Name it in ``chosen`` to keep it in the decision.")
    kind = serializers.ChoiceField(choices=AlternativeKind.choices)
    on = serializers.DateField(allow_null=True)
    description = serializers.CharField()
    result = serializers.CharField()


class RecallAdditionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AlternativeKind.choices)
    description = serializers.CharField(max_length=255)
    on = serializers.DateField(required=False, allow_null=True)
    result = serializers.CharField(max_length=255, required=False, allow_blank=True)


class RecallDecisionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    grounds = serializers.ChoiceField(choices=RecallGrounds.choices)
    recall_type = serializers.ChoiceField(choices=RecallType.choices)
    rationale = serializers.CharField()
    chosen = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        help_text="The ``source`` of each alternative from the record to keep.",
    )
    additions = RecallAdditionSerializer(many=True, required=False)


class RecallCountersignSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    rationale = serializers.CharField()


STEP_NAMES = [name.removesuffix("_at") for name in RECALL_STEP_FIELDS]


class RecallStepSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    step = serializers.ChoiceField(choices=STEP_NAMES)
    at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="When it was done; now if left out."
    )
    out_of_order_reason = serializers.CharField(required=False, allow_blank=True)


class RecallDossierPartStatusSerializer(serializers.Serializer):
    part = serializers.ChoiceField(choices=DOSSIER_PARTS)
    label = serializers.CharField()
    present = serializers.BooleanField()
    from_record = serializers.CharField(help_text="What in the record supplies it, if anything.")
    confirmed_by = serializers.CharField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField()


class RecallCandidatesSerializer(serializers.Serializer):
    recall = serializers.IntegerField()
    nominal = serializers.IntegerField()
    nominal_name = serializers.CharField()
    candidates = RecallCandidateSerializer(many=True)


class RecallDossierSerializer(serializers.Serializer):
    recall = serializers.IntegerField()
    nominal = serializers.IntegerField()
    nominal_name = serializers.CharField()
    status = serializers.CharField()
    parts = RecallDossierPartStatusSerializer(many=True)
    missing = serializers.ListField(child=serializers.CharField())
    dossier_issued_at = serializers.DateTimeField(allow_null=True)


class RecallDossierPartSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    part = serializers.ChoiceField(choices=DOSSIER_PARTS)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)


class RecallVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()


def dossier_of(recall: Recall) -> dict:
    parts = services.dossier_check(recall)
    return {
        "recall": recall.pk,
        "nominal": recall.nominal_id,
        "nominal_name": recall.nominal.full_name,
        "status": recall.status,
        "parts": [
            {
                "part": item["part"],
                "label": item["label"],
                "present": item["present"],
                "from_record": item["from_record"],
                "confirmed_by": str(item["confirmed"].confirmed_by) if item["confirmed"] else None,
                "confirmed_at": item["confirmed"].confirmed_at if item["confirmed"] else None,
                "note": item["confirmed"].note if item["confirmed"] else "",
            }
            for item in parts
        ],
        "missing": [item["label"] for item in parts if not item["present"]],
        "dossier_issued_at": recall.dossier_issued_at,
    }


_RECALL_ERRORS = {
    400: OpenApiResponse(description="Refused: {field: [messages]} or [messages]."),
    403: OpenApiResponse(description="You may not change this person's control measures."),
    404: OpenApiResponse(description="No such recall shared with you."),
    409: StaleVersionSerializer,
}


def _recall_write(summary: str, request_serializer, response=None):
    return extend_schema(
        summary=summary,
        tags=["controls"],
        request=request_serializer,
        responses={200: response or RecallSerializer, **_RECALL_ERRORS},
    )


@extend_schema_view(
    list=extend_schema(summary="List recalls and their checklists", tags=["controls"]),
    retrieve=extend_schema(summary="Read one recall", tags=["controls"]),
)
class RecallViewSet(DisclosingReadMixin, viewsets.ReadOnlyModelViewSet):
    """Recalls: the decision (prefilled with what was tried), a manager's countersignature,
    the checklist steps at the time they were done, and the dossier check. Every read is
    logged as a disclosure."""

    serializer_class = RecallSerializer
    filterset_fields = ["nominal", "status"]

    def get_queryset(self):
        return (
            queries.visible(Recall, self.request.user)
            .select_related("nominal", "decided_by", "countersigned_by", "dossier_issued_by")
            .prefetch_related("alternatives")
            .order_by("-started_at", "-id")
        )

    def _change(self, request, serializer_class, call) -> Recall:
        """Validate the body and run the service on the recall (as seen by the user)."""
        recall = self.get_object()
        call_service(call, recall=recall, data=validated(serializer_class(data=request.data)))
        return recall

    def _write(self, request, serializer_class, call):
        """``_change``, answered with the recall as it now is (a disclosure, like a read)."""
        recall = self._change(request, serializer_class, call)
        fresh = self.get_queryset().get(pk=recall.pk)
        self.disclose([fresh])
        return Response(self.get_serializer(fresh).data)

    @extend_schema(
        summary="What was tried, from the record: the items a decision may keep",
        tags=["controls"],
        responses={200: RecallCandidatesSerializer, 404: _RECALL_ERRORS[404]},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def alternatives(self, request, pk=None, format=None):
        recall = self.get_object()
        self.disclose([recall])
        candidates = services.alternative_candidates(recall, request.user)
        return Response(
            RecallCandidatesSerializer(
                {
                    "recall": recall.pk,
                    "nominal": recall.nominal_id,
                    "nominal_name": recall.nominal.full_name,
                    "candidates": candidates,
                }
            ).data
        )

    @_recall_write("Record the decision: why, what was tried, which type", RecallDecisionSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def decision(self, request, pk=None, format=None):
        actor = audit.actor_from_request(request)

        def call(recall, data):
            return services.record_recall_decision(
                recall.pk, by=actor, chosen=data.pop("chosen", []), **data
            )

        return self._write(request, RecallDecisionSerializer, call)

    @_recall_write(
        "Countersign the decision (a manager of the IOM unit)", RecallCountersignSerializer
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def countersign(self, request, pk=None, format=None):
        actor = audit.actor_from_request(request)
        return self._write(
            request,
            RecallCountersignSerializer,
            lambda recall, data: services.countersign_recall_decision(recall.pk, by=actor, **data),
        )

    @_recall_write("Tick a checklist step at the time it was done", RecallStepSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def steps(self, request, pk=None, format=None):
        actor = audit.actor_from_request(request)

        def call(recall, data):
            return services.complete_recall_step(
                recall.pk,
                by=actor,
                version=data["version"],
                step=f"{data['step']}_at",
                at=data.get("at"),
                out_of_order_reason=data.get("out_of_order_reason", ""),
            )

        return self._write(request, RecallStepSerializer, call)

    @extend_schema(
        summary="The dossier check: each required part, present or missing",
        tags=["controls"],
        responses={200: RecallDossierSerializer, 404: _RECALL_ERRORS[404]},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def dossier(self, request, pk=None, format=None):
        recall = self.get_object()
        self.disclose([recall])
        return Response(RecallDossierSerializer(dossier_of(recall)).data)

    @_recall_write(
        "Confirm a part of the dossier is held",
        RecallDossierPartSerializer,
        RecallDossierSerializer,
    )
    @action(detail=True, methods=["post"], url_path="dossier/parts", filter_backends=[])
    def dossier_part(self, request, pk=None, format=None):
        actor = audit.actor_from_request(request)
        recall = self._change(
            request,
            RecallDossierPartSerializer,
            lambda recall, data: services.confirm_dossier_part(recall.pk, by=actor, **data),
        )
        fresh = self.get_queryset().get(pk=recall.pk)
        self.disclose([fresh])
        return Response(RecallDossierSerializer(dossier_of(fresh)).data)

    @_recall_write(
        "Mark the dossier issued (refused while a part is missing)", RecallVersionSerializer
    )
    @action(detail=True, methods=["post"], url_path="dossier/issue", filter_backends=[])
    def dossier_issue(self, request, pk=None, format=None):
        actor = audit.actor_from_request(request)
        return self._write(
            request,
            RecallVersionSerializer,
            lambda recall, data: services.issue_dossier(recall.pk, by=actor, **data),
        )
