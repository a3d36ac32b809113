"""Who may withdraw a referral and who may run panels."""

from __future__ import annotations

from ..models import (
    Referral,
)


def can_withdraw(user, referral: Referral) -> bool:
    """The referrer, their team's colleagues, and the IOM unit may withdraw a referral."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.sees_whole_cohort or referral.referred_by_id == user.pk:
        return True
    return user.team_id is not None and referral.referred_by.team_id == user.team_id


def can_run_panels(user) -> bool:
    """Panels are run by the IOM unit's officers and managers."""
    return bool(user.is_authenticated and user.sees_whole_cohort)
