"""Referring a person to IOM and deciding referrals at a panel. One module per subject;
callers import from here."""

from cohorts.services.duplicates import (
    NewPerson,
    PossibleDuplicates,
    check_new_person,
    possible_duplicates,
)

from .actions import PanelAction, add_panel_action
from .panel import decide_referral, hold_panel_meeting, record_minutes
from .permissions import can_run_panels, can_withdraw
from .referring import (
    REFERRED_FOR_IDENTITY_CHECK,
    answers_as_an_identity_check,
    refer,
    withdraw_referral,
)

__all__ = [
    "REFERRED_FOR_IDENTITY_CHECK",
    "NewPerson",
    "PanelAction",
    "PossibleDuplicates",
    "add_panel_action",
    "answers_as_an_identity_check",
    "can_run_panels",
    "can_withdraw",
    "check_new_person",
    "decide_referral",
    "hold_panel_meeting",
    "possible_duplicates",
    "record_minutes",
    "refer",
    "withdraw_referral",
]
