"""Who may do what on a person's pathway plan.

On top of iom.access (who may see the person at all):

* whoever may change the person's record (IOM unit officers and managers, and the named
  offender managers) acts on every pathway and sees every pathway in full;
* a partner worker acts only on the pathways their agency delivers (``AgencyPathway``), and
  sees the other pathways in full or as a summary (need level and status only) as their
  agency's information-sharing agreement says (``iom.sharing``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from cohorts.models import Nominal
from iom import access, sharing

from .models import AgencyPathway


@dataclass(frozen=True)
class AgencyTerms:
    """What a user's agency delivers and may see, under its information-sharing agreement."""

    delivers: frozenset[str] = frozenset()
    full_sharing: bool = False


@dataclass(frozen=True)
class PlanAccess:
    """One user's rights on one person's plan."""

    acts_on_all: bool
    terms: AgencyTerms

    def may_act(self, pathway: str) -> bool:
        return self.acts_on_all or pathway in self.terms.delivers

    def sees_detail(self, pathway: str) -> bool:
        return self.acts_on_all or self.terms.full_sharing or pathway in self.terms.delivers

    @property
    def may_act_on_any(self) -> bool:
        return self.acts_on_all or bool(self.terms.delivers)


def agency_terms(user) -> AgencyTerms:
    """The agency's delivered pathways (one query) and what its agreements let it see."""
    agency_id = getattr(user, "agency_id", None)
    if agency_id is None:
        return AgencyTerms()
    delivers = AgencyPathway.objects.filter(settings__agency_id=agency_id).values_list(
        "pathway", flat=True
    )
    return AgencyTerms(
        delivers=frozenset(delivers),
        full_sharing=sharing.covers(user, sharing.PATHWAYS_IN_FULL),
    )


def plan_access(user, nominal) -> PlanAccess:
    """The user's rights on this person's plan. The caller has already checked that the user
    may see the person (a person they may not see is a 404 before this is asked)."""
    return PlanAccess(acts_on_all=access.can(user, "change", nominal), terms=agency_terms(user))


def changeable_nominal_ids(user) -> QuerySet:
    """A subquery of the people whose whole plan the user may act on."""
    return access.restrict(Nominal.objects.all(), user, "change").values("pk")
