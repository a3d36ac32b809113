"""Pathway actions as alternatives to recall, offered to the recall decision (which belongs
to ``cohorts.controls`` and cannot import pathways). Registered from
``PathwaysConfig.ready``."""

from __future__ import annotations

from django.db.models import Q

from cohorts.controls import alternatives
from cohorts.controls.models import AlternativeKind, Licence
from iom import sharing
from iom.access import restrict_by_nominal

from .models import PathwayAction


def action_candidates(licence: Licence, user) -> list[alternatives.Candidate]:
    """The person's pathway actions due or done since release, as the user may see them."""
    actions = restrict_by_nominal(
        PathwayAction.objects.filter(nominal_id=licence.nominal_id), user, section=sharing.PATHWAYS
    )
    actions = actions.filter(
        Q(due_on__gte=licence.release_date) | Q(done_on__gte=licence.release_date)
    )
    return [
        alternatives.Candidate(
            source=f"pathway-action:{action.pk}",
            kind=AlternativeKind.PATHWAY_ACTION,
            on=action.done_on or action.due_on,
            description=f"{action.description} ({action.agency})",
            result=(
                f"Done{': ' + action.outcome[:160] if action.outcome else ''}"
                if action.done_on
                else "Not done"
            ),
        )
        for action in actions.select_related("agency").order_by("due_on", "id")
    ]


def register() -> None:
    alternatives.register("pathway-actions", action_candidates)
