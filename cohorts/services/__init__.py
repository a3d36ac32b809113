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
    update_nominal,
)
from .people import (
    add_alias,
    add_person,
    change_offender_managers,
    photograph_bytes,
    remove_alias,
    set_photograph,
    update_alias,
)
from .sharing import (
    can_manage_sharing,
    devolved_team,
    grant_share,
    share_record,
    stop_sharing_record,
)

__all__ = [
    "EDITABLE_FIELDS",
    "IDENTIFIER_FIELDS",
    "CohortCapReached",
    "active_member_count",
    "add_alias",
    "add_person",
    "can_manage_sharing",
    "change_membership_status",
    "change_offender_managers",
    "create_nominal",
    "devolved_team",
    "exit_membership",
    "grant_share",
    "offender_manager_candidates",
    "open_membership",
    "photograph_bytes",
    "record_engagement",
    "remove_alias",
    "set_offender_managers",
    "set_photograph",
    "share_record",
    "start_membership",
    "stop_sharing_record",
    "update_alias",
    "update_nominal",
]
