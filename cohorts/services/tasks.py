"""Follow-up tasks: create, complete, and close the tasks an event made when it ends.

Who sees a task: the IOM unit sees every task; anyone else sees the tasks owned by their team,
by their agency (a task owned by an agency but no team) or assigned to them, and only where
they may see the person the task is about (``iom.access``). The same users may complete it.
Tasks owned by a partner agency therefore show to that agency's users once the record is
shared with one of its teams.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from iom import access, audit
from iom.formatting import long_date
from iom.locking import lock_for_update
from iom.models import Agency, AuditAction, Team

from ..models import Nominal, Task, TaskKind


def _user(actor: audit.Actor):
    user = actor.user
    return user if getattr(user, "is_authenticated", False) else None


def owned_by(user) -> Q:
    """The tasks owned by the user's team or agency, or assigned to the user."""
    q = Q(assignee_id=user.pk)
    if user.team_id:
        q |= Q(owner_team_id=user.team_id)
    if user.agency_id:
        q |= Q(owner_team__isnull=True, owner_agency_id=user.agency_id)
    return q


def visible_tasks(user) -> models.QuerySet[Task]:
    """Every task ``user`` may see (and complete)."""
    tasks = Task.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return tasks.none()
    if user.is_administrator and not user.sees_whole_cohort:
        return tasks.none()
    if user.sees_whole_cohort:
        return tasks
    people = access.restrict(Nominal.objects.all(), user)
    return tasks.filter(owned_by(user)).filter(
        Q(nominal__isnull=True) | Q(nominal__in=people.values("pk"))
    )


def my_tasks(user, *, horizon: datetime.date | None = None) -> models.QuerySet[Task]:
    """The open tasks in the user's own My work (owned by their team or agency, or assigned to
    them), soonest due first; with ``horizon``, those due by then (or with no date)."""
    if not getattr(user, "is_authenticated", False):
        return Task.objects.none()
    tasks = visible_tasks(user).filter(owned_by(user), completed_at__isnull=True)
    if horizon is not None:
        tasks = tasks.filter(Q(due_on__lte=horizon) | Q(due_on__isnull=True))
    return tasks.select_related(
        "nominal", "owner_team__agency", "owner_agency", "assignee"
    ).order_by(models.F("due_on").asc(nulls_last=True), "id")


def may_act_on(user, task: Task) -> bool:
    if user is None:
        return True  # the system
    return visible_tasks(user).filter(pk=task.pk).exists()


def _check_owner(
    owner_agency: Agency | None, owner_team: Team | None, assignee, errors: dict
) -> Agency | None:
    if owner_team is None and owner_agency is None:
        errors["owner_agency"] = "Select the agency or team the task is for"
        return None
    if owner_team is not None:
        if owner_agency is not None and owner_team.agency_id != owner_agency.pk:
            errors["owner_team"] = f"{owner_team} is not a team of {owner_agency}"
        if assignee is not None and assignee.team_id != owner_team.pk:
            errors["assignee"] = f"{assignee} is not a member of {owner_team}"
        return owner_agency or owner_team.agency
    if owner_agency is not None and assignee is not None and assignee.agency_id != owner_agency.pk:
        errors["assignee"] = f"{assignee} does not work for {owner_agency}"
    return owner_agency


def _require_create(actor: audit.Actor, nominal, owner_agency, owner_team) -> None:
    user = _user(actor)
    if user is None:
        return
    if user.sees_whole_cohort:
        return
    if nominal is not None and not access.can(user, "view", nominal):
        raise PermissionDenied("You cannot add a task for this person.")
    own = (owner_team is not None and owner_team.pk == user.team_id) or (
        owner_team is None and owner_agency is not None and owner_agency.pk == user.agency_id
    )
    if not own:
        raise PermissionDenied("You can only add tasks for your own team or agency.")


def create_task(
    *,
    by,
    title: str,
    kind: str = TaskKind.OTHER,
    nominal: Nominal | None = None,
    owner_agency: Agency | None = None,
    owner_team: Team | None = None,
    assignee=None,
    due_on: datetime.date | None = None,
    details: str = "",
    key: str = "",
    source: models.Model | None = None,
    checked_by_caller: bool = False,
) -> Task:
    """Add a task for its owner's My work. The IOM unit (and the system) may add a task for
    anyone; others only for their own team or agency, about a person they may see.
    ``checked_by_caller``: for the services of events that checked their own permission
    (a day-of-release plan, by whoever may change the person's record)."""
    actor = audit.as_actor(by)
    with transaction.atomic():
        if not checked_by_caller:
            _require_create(actor, nominal, owner_agency, owner_team)
        errors: dict[str, str] = {}
        title = title.strip()
        if not title:
            errors["title"] = "Say what needs doing"
        if kind not in TaskKind.values:
            errors["kind"] = "Select the kind of task"
        owner_agency = _check_owner(owner_agency, owner_team, assignee, errors)
        if errors:
            raise ValidationError(errors)
        task = Task.objects.create(
            nominal=nominal,
            kind=kind,
            key=key,
            title=title[:200],
            details=details.strip(),
            owner_agency=owner_agency,
            owner_team=owner_team,
            assignee=assignee,
            due_on=due_on,
            source_type=ContentType.objects.get_for_model(source) if source is not None else None,
            source_id=source.pk if source is not None else None,
            created_by=_user(actor),
        )
        due = f", due {long_date(due_on)}" if due_on else ""
        audit.record(
            actor,
            AuditAction.COLLECTION,
            task,
            nominal=nominal,
            description=f"Task for {task.owner}: {task.title}{due}",
        )
    return task


def complete_task(task_id: int, *, by, version: int, outcome: str = "") -> Task:
    """Mark a task done, with what came of it. Refuses a task already done, one the user may
    not act on, and a stale ``version``."""
    actor = audit.as_actor(by)
    with transaction.atomic():
        task = lock_for_update(Task, task_id, version)
        if not may_act_on(_user(actor), task):
            raise PermissionDenied("You cannot change this task.")
        if not task.is_open:
            raise ValidationError(
                f"This task was already done on {long_date(timezone.localtime(task.completed_at))}"
            )
        close(task, actor, outcome.strip())
    return task


def close(task: Task, actor: audit.Actor, outcome: str) -> None:
    """Close a task (already locked, its version moved on) for the service of an event."""
    task.completed_at = timezone.now()
    task.completed_by = _user(actor)
    task.outcome = outcome[:500]
    task.save(update_fields=["completed_at", "completed_by", "outcome", "version"])
    audit.record(
        actor,
        AuditAction.ALTERATION,
        task,
        nominal=task.nominal,
        description=f"Task done: {task.title}"[:255],
        changes={"completed": [False, True]},
        reason=task.outcome,
    )


def tasks_from(source: models.Model, *, kind: str | None = None) -> models.QuerySet[Task]:
    """The tasks made for ``source`` (a share, a custody period, a panel decision)."""
    tasks = Task.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    )
    return tasks.filter(kind=kind) if kind else tasks


def close_tasks_from(
    source: models.Model, *, by, outcome: str, kind: str | None = None
) -> list[Task]:
    """Close the open tasks an event made, when the event that ends them happens (the services
    of those events check their own permission). Returns the tasks closed."""
    actor = audit.as_actor(by)
    closed = []
    for task in tasks_from(source, kind=kind).filter(completed_at__isnull=True).select_for_update():
        task.version += 1
        close(task, actor, outcome)
        closed.append(task)
    return closed
