"""Every change to control measures: one function each, validated before anything is written,
audited inside the same transaction. One module per subject; callers import from here."""

from .configuration import update_configuration
from .decision import alternative_candidates, countersign_recall_decision, record_recall_decision
from .dossier import confirm_dossier_part, dossier_check, issue_dossier, missing_dossier_parts
from .drug_tests import record_drug_test
from .licences import (
    LICENCE_FIELDS,
    add_condition,
    create_licence,
    current_licence,
    licence_on_release,
    update_licence,
)
from .measures import add_control_measure, change_control_measure
from .recall import (
    RECALL_STEP_LABELS,
    STEPS_BEFORE_DECISION,
    cancel_recall,
    complete_recall_step,
    start_recall,
    update_recall_recommendation,
)
from .sanctions import next_sanction_level, record_breach, record_sanction

__all__ = [
    "LICENCE_FIELDS",
    "RECALL_STEP_LABELS",
    "STEPS_BEFORE_DECISION",
    "add_condition",
    "add_control_measure",
    "alternative_candidates",
    "cancel_recall",
    "change_control_measure",
    "complete_recall_step",
    "confirm_dossier_part",
    "countersign_recall_decision",
    "create_licence",
    "current_licence",
    "dossier_check",
    "issue_dossier",
    "licence_on_release",
    "missing_dossier_parts",
    "next_sanction_level",
    "record_breach",
    "record_drug_test",
    "record_recall_decision",
    "record_sanction",
    "start_recall",
    "update_configuration",
    "update_licence",
    "update_recall_recommendation",
]
