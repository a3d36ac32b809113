"""Control measures: licences and their conditions, breaches, the sanctions ladder
(``licences``), recall (``recalls``), testing on licence (``drug_tests``), bail conditions,
civil orders and targeted enforcement (``measures``), and the thresholds an administrator may
change (``configuration``). Callers import from here."""

from .configuration import ControlsConfiguration
from .drug_tests import MISSED_OUTCOMES, DrugTest, TestOutcome
from .licences import Breach, ConditionType, Licence, LicenceCondition, Sanction, SanctionLevel
from .measures import (
    CATEGORY_OF_KIND,
    CURFEW_KINDS,
    KINDS_OF_CATEGORY,
    ControlMeasure,
    MeasureCategory,
    MeasureKind,
    MeasureStatus,
)
from .recalls import (
    DOSSIER_PART_KEYS,
    DOSSIER_PARTS,
    OPEN_RECALL_STATUSES,
    PROCEEDING_RECALL_STATUSES,
    RECALL_STEP_FIELDS,
    RECALL_STEPS,
    AlternativeKind,
    DossierPart,
    Recall,
    RecallAlternative,
    RecallGrounds,
    RecallStatus,
    RecallType,
)

__all__ = [
    "CATEGORY_OF_KIND",
    "CURFEW_KINDS",
    "DOSSIER_PARTS",
    "DOSSIER_PART_KEYS",
    "KINDS_OF_CATEGORY",
    "MISSED_OUTCOMES",
    "OPEN_RECALL_STATUSES",
    "PROCEEDING_RECALL_STATUSES",
    "RECALL_STEPS",
    "RECALL_STEP_FIELDS",
    "AlternativeKind",
    "Breach",
    "ConditionType",
    "ControlMeasure",
    "ControlsConfiguration",
    "DossierPart",
    "DrugTest",
    "Licence",
    "LicenceCondition",
    "MeasureCategory",
    "MeasureKind",
    "MeasureStatus",
    "Recall",
    "RecallAlternative",
    "RecallGrounds",
    "RecallStatus",
    "RecallType",
    "Sanction",
    "SanctionLevel",
    "TestOutcome",
]
