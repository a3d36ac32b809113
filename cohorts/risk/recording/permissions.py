"""Who may record, correct, submit and grade arrests, detected offences and intelligence."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models

from cohorts.models import Nominal
from iom import access, sharing

from ..models import Arrest, IntelligenceReport


def can_record(user, nominal: Nominal, model: type[models.Model]) -> bool:
    """Arrests and detections: whoever may change the person's record (the IOM unit, a named
    offender manager) and whose agreements cover that part of it. Intelligence: the IOM unit
    only; everyone else submits it for the IOM unit to grade."""
    if not getattr(user, "is_authenticated", False):
        return False
    terms = sharing.terms_for(user)
    if model is IntelligenceReport:
        return terms.is_iom_unit
    section = sharing.ARRESTS if model is Arrest else sharing.OFFENDING
    return terms.covers(section) and access.can(user, "change", nominal)


def can_submit_intelligence(user, nominal: Nominal) -> bool:
    """A partner who may see the person, whatever their agreement says about intelligence:
    telling the IOM unit something discloses nothing to the partner."""
    if not getattr(user, "is_authenticated", False) or user.agency_id is None:
        return False
    terms = sharing.terms_for(user)
    return not terms.is_iom_unit and terms.sees_records and access.can(user, "view", nominal)


def can_grade(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.sees_whole_cohort)


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)
