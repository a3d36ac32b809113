"""Pathway actions on a person's timeline: each action when it was set, and when it was done.
Registered from ``PathwaysConfig.ready``; one query, limited to what the page needs."""

from __future__ import annotations

from django.urls import reverse

from cohorts.summary import TimelineEntry, TimelineSource, register
from iom import sharing
from iom.formatting import long_date

from .queries import visible_actions

KIND = "pathways"


def timeline_entries(nominal, user, limit: int) -> list[TimelineEntry]:
    url = reverse("pathways:plan", args=[nominal.pk])
    entries = []
    actions = visible_actions(user).filter(nominal=nominal).order_by("-created_at", "-id")
    for action in actions[:limit]:
        pathway = action.plan_pathway.get_pathway_display()
        byline = (
            f"by {action.assigned_to}, {action.agency}"
            if action.assigned_to
            else (f"by {action.agency}")
        )
        if action.done_on:
            entries.append(
                TimelineEntry(
                    kind=KIND,
                    at=action.done_on,
                    title=f"{pathway}: done – {action.description}",
                    byline=byline,
                    description=action.outcome,
                    url=url,
                )
            )
        entries.append(
            TimelineEntry(
                kind=KIND,
                at=action.created_at,
                title=f"{pathway}: {action.description}",
                byline=byline,
                description=f"Due {long_date(action.due_on)}",
                url=url,
            )
        )
    return entries


def register_sources() -> None:
    register(
        TimelineSource(
            key=KIND,
            label="Pathway actions",
            entries=timeline_entries,
            section=sharing.PATHWAYS,
            order=40,
        )
    )
