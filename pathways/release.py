"""On release from custody, the day-of-release plan's open items become pathway actions.

A release step of ``cohorts.risk.custody`` (registered in ``PathwaysConfig.ready``): it runs
inside the release's transaction, so a failure here undoes the release too. The actions are
the consequence of the release, not a partner's own entry: they are made for the item's
owner agency whatever pathways the releasing officer's agency delivers.
"""

from __future__ import annotations

from cohorts.models import TaskKind
from cohorts.risk.models import CustodyPeriod
from cohorts.services import tasks as task_services
from iom import audit
from iom.models import AuditAction

from .models import PathwayAction, PathwayKind, PlanPathway
from .services import ensure_plan

# The pathway each item of the plan continues on.
PATHWAY_OF_ITEM = {
    "accommodation": PathwayKind.ACCOMMODATION,
    "gp": PathwayKind.HEALTH,
    "drug-treatment": PathwayKind.DRUGS_ALCOHOL,
    "probation": PathwayKind.ATTITUDES,
    "gate": PathwayKind.ATTITUDES,
    "licence-conditions": PathwayKind.ATTITUDES,
    "benefits": PathwayKind.FINANCE,
}


def plan_items_to_actions(period: CustodyPeriod, *, actor: audit.Actor, options: dict) -> list:
    """Each open item of the period's plan becomes an action on its pathway, for its owner
    agency, due on its date (or the release day when that was earlier); the item is closed
    with a note of the action. Items already done stay as they are."""
    released_on = period.ended_on
    items = list(
        task_services.tasks_from(period, kind=TaskKind.RELEASE_PLAN)
        .open()
        .select_related("owner_agency", "owner_team__agency")
        .order_by("due_on", "id")
    )
    if not items:
        return []
    nominal = period.nominal
    plan = ensure_plan(nominal, by=actor)
    pathways = {p.pathway: p for p in PlanPathway.objects.filter(plan=plan)}
    user = actor.user if getattr(actor.user, "is_authenticated", False) else None
    actions = []
    for task in items:
        pathway = pathways[PATHWAY_OF_ITEM.get(task.key, PathwayKind.ATTITUDES)]
        description = f"{task.title}: {task.details}" if task.details else task.title
        action = PathwayAction.objects.create(
            plan_pathway=pathway,
            nominal=nominal,
            description=description[:255],
            agency=task.owner_agency or task.owner_team.agency,
            due_on=max(task.due_on or released_on, released_on),
            created_by=user,
        )
        audit.record(
            actor,
            AuditAction.COLLECTION,
            action,
            nominal=nominal,
            description=f"On release, added an action on {pathway.get_pathway_display()}: "
            f"{action.description}"[:255],
        )
        task.version += 1
        task_services.close(
            task, actor, f"On release, became an action on {pathway.get_pathway_display()}"
        )
        actions.append(action)
    return actions
