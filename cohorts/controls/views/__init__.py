"""The Controls section of a person's record and the forms that change it: the section and its
records' form pages (``records``), and the recall pages (``recalls``)."""

from .recalls import recall_create, recall_decision, recall_detail
from .records import (
    breach_create,
    condition_create,
    controls,
    drug_test_create,
    licence_create,
    licence_edit,
    measure_create,
    measure_edit,
    sanction_create,
)

__all__ = [
    "breach_create",
    "condition_create",
    "controls",
    "drug_test_create",
    "licence_create",
    "licence_edit",
    "measure_create",
    "measure_edit",
    "recall_create",
    "recall_decision",
    "recall_detail",
    "sanction_create",
]
