"""Read paths for nominals, already filtered to what the user may see. The cohort list's
are in ``cohorts.list_queries``."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from iom import sharing
from iom.access import groups_with_access

from .models import CohortMembership, Engagement, Nominal, RecordShare


def visible_nominals(user, action: str = "view") -> QuerySet[Nominal]:
    return Nominal.objects.visible_to(user, action)


def nominal_for(user, pk: int, action: str = "view", *, section: str | None = None) -> Nominal:
    """One nominal the user may see, with what its page header needs; 404 otherwise.

    A nominal the user may not see is reported as not found, not forbidden, so that the
    response does not even confirm that the person is on the system. A ``section`` of the
    record the user's sharing agreements do not cover is forbidden, saying so.
    """
    queryset = visible_nominals(user, action).select_related("lead_agency", "neighbourhood")
    nominal = get_object_or_404(queryset, pk=pk)
    if section is not None:
        require_section(user, section)
    return nominal


def require_section(user, section: str) -> None:
    if not sharing.covers(user, section):
        raise PermissionDenied(
            "Your agency's information-sharing agreement does not cover the "
            f"{sharing.SECTION_NAMES[section]} of a person's record."
        )


def nominal_summary(user, pk: int) -> Nominal:
    return get_object_or_404(
        visible_nominals(user)
        .select_related("lead_agency", "neighbourhood")
        .prefetch_related(
            "aliases",
            Prefetch(
                "offender_managers", queryset=get_user_model().objects.select_related("agency")
            ),
            Prefetch(
                "memberships",
                queryset=CohortMembership.objects.select_related("lead_agency").order_by(
                    "-entered_on", "-id"
                ),
            ),
            Prefetch(
                "engagements",
                queryset=Engagement.objects.select_related("recorded_by").order_by("-on", "-id"),
            ),
        ),
        pk=pk,
    )


def sharing_of(nominal: Nominal):
    return groups_with_access(nominal)


def shares_of(nominal: Nominal):
    """Every share of the record, the current ones first, with who made and ended each."""
    return (
        RecordShare.objects.filter(nominal=nominal)
        .select_related("team__agency", "shared_by", "ended_by")
        .order_by(F("ended_at").desc(nulls_first=True), "team__agency__name", "team__name")
    )


def person_names(pks: set[int]) -> dict[int, str]:
    """The names of these people, for the audit trail; an erased person is simply absent."""
    return {
        pk: f"{first_names} {surname}"
        for pk, first_names, surname in Nominal.objects.filter(pk__in=pks).values_list(
            "pk", "first_names", "surname"
        )
    }
