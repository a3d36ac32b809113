"""REST API for follow-up tasks: list and read the tasks you may see, add one, complete one."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from iom import audit
from iom.api.mixins import DisclosingReadMixin, call_service, validated
from iom.models import Agency, Team, User

from .models import Nominal, Task, TaskKind
from .services import tasks as task_services


class StaleTaskSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField()


class TaskSerializer(serializers.ModelSerializer):
    nominal = serializers.PrimaryKeyRelatedField(
        queryset=Nominal.objects.none(), required=False, allow_null=True
    )
    nominal_name = serializers.CharField(source="nominal.full_name", read_only=True, default="")
    kind = serializers.ChoiceField(choices=TaskKind.choices, default=TaskKind.OTHER)
    owner_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), required=False, allow_null=True
    )
    owner_team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True
    )
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    owner = serializers.CharField(read_only=True)
    is_open = serializers.BooleanField(read_only=True)
    source = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id", "nominal", "nominal_name", "kind", "key", "title", "details",
            "owner_agency", "owner_team", "owner", "assignee", "due_on", "source",
            "created_at", "completed_at", "outcome", "is_open", "version",
        ]  # fmt: skip
        read_only_fields = ["key", "created_at", "completed_at", "outcome", "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["nominal"].queryset = Nominal.objects.visible_to(request.user)

    def get_source(self, task) -> str | None:
        """What the task was made for, as app_label.model:id (empty for a task of its own)."""
        if task.source_type_id is None:
            return None
        model = task.source_type.model_class()
        return f"{model._meta.label}:{task.source_id}" if model else None


class CompleteTaskSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version the completion is based on.")
    outcome = serializers.CharField(required=False, allow_blank=True, max_length=500)


@extend_schema_view(
    list=extend_schema(summary="List the follow-up tasks you may see", tags=["tasks"]),
    retrieve=extend_schema(summary="Read one follow-up task", tags=["tasks"]),
    create=extend_schema(summary="Add a follow-up task", tags=["tasks"]),
)
class TaskViewSet(
    DisclosingReadMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Tasks owned by your team or agency, or assigned to you (the IOM unit sees all). Every
    read of a task about a person is logged as a disclosure."""

    serializer_class = TaskSerializer
    filterset_fields = ["nominal", "kind", "owner_agency", "owner_team", "assignee"]

    def get_queryset(self):
        tasks = task_services.visible_tasks(self.request.user).select_related(
            "nominal", "owner_agency", "owner_team__agency", "source_type"
        )
        state = self.request.query_params.get("state")
        if state == "open":
            tasks = tasks.open()
        elif state == "done":
            tasks = tasks.done()
        return tasks.order_by("completed_at", "due_on", "id")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "state", str, enum=["open", "done"], description="Only open tasks, or only done."
            )
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        data = validated(self.get_serializer(data=request.data))
        task = call_service(task_services.create_task, by=audit.actor_from_request(request), **data)
        return Response(self.get_serializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Mark a follow-up task done",
        tags=["tasks"],
        request=CompleteTaskSerializer,
        responses={200: TaskSerializer, 409: StaleTaskSerializer},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None, format=None):
        task = self.get_object()
        body = validated(CompleteTaskSerializer(data=request.data))
        done = call_service(
            task_services.complete_task,
            task.pk,
            by=audit.actor_from_request(request),
            version=body["version"],
            outcome=body.get("outcome", ""),
        )
        return Response(self.get_serializer(done).data)
