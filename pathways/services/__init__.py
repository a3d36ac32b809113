"""State changes of pathway plans: creating a plan (``plans``), updating a pathway and
recording its reviews (``plan_pathways``), adding and updating actions (``actions``), and
configuring the agencies that deliver pathways (``agencies``). Callers import from here.

Every function checks the actor's rights and validates everything before writing, runs in one
transaction and writes its audit event inside it.
"""

from .actions import ACTION_FIELDS, add_action, update_action
from .agencies import configure_agencies
from .plan_pathways import PATHWAY_FIELDS, record_review, update_pathway
from .plans import ensure_plan, start_plan

__all__ = [
    "ACTION_FIELDS",
    "PATHWAY_FIELDS",
    "add_action",
    "configure_agencies",
    "ensure_plan",
    "record_review",
    "start_plan",
    "update_action",
    "update_pathway",
]
