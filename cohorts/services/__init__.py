"""Every state change of the cohorts app. Views, API, commands and tasks call these."""

from .membership import (
    CohortCapReached,
    active_member_count,
    change_membership_status,
    exit_membership,
    open_membership,
    record_engagement,
    start_membership,
)
from .nominals import (
    EDITABLE_FIELDS,
    IDENTIFIER_FIELDS,
    create_nominal,
    offender_manager_candidates,
    set_offender_managers,
    share_nominal,
    stop_sharing_nominal,
    update_nominal,
)

__all__ = [
    "EDITABLE_FIELDS",
    "IDENTIFIER_FIELDS",
    "CohortCapReached",
    "active_member_count",
    "change_membership_status",
    "create_nominal",
    "exit_membership",
    "offender_manager_candidates",
    "open_membership",
    "record_engagement",
    "set_offender_managers",
    "share_nominal",
    "start_membership",
    "stop_sharing_nominal",
    "update_nominal",
]
