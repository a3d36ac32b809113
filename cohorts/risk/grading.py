"""Intelligence grading as the police grade it (College of Policing APP, docs/offending.md).

The 3x5x2 evaluation is the one in use: source evaluation A-C, intelligence assessment 1-5 and
handling code P or C (C with its conditions). Older reports, arriving through the feeds, carry
the 5x5x5 grading: source A-E, intelligence 1-5, handling code 1-5. A report stores the three
parts as fields, and ``grading`` as it reads (B2P, A14).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models.intelligence import (
    HANDLING_CODES,
    INTELLIGENCE_ASSESSMENTS,
    SOURCE_EVALUATIONS,
    GradingSystem,
    grading_text,
)

THREE = GradingSystem.THREE_FIVE_TWO
FIVE = GradingSystem.FIVE_FIVE_FIVE
# B2, 2B, B2P, B/2/P, E-4-4: the letter and the digit in either order, then the handling code.
_WRITTEN = re.compile(r"^(?:([A-E])([1-5])|([1-5])([A-E]))([PC1-5])?$")


@dataclass(frozen=True)
class Grading:
    system: str = ""
    source_evaluation: str = ""
    intelligence_assessment: int | None = None
    handling_code: str = ""
    handling_conditions: str = ""

    @property
    def text(self) -> str:
        return grading_text(
            self.system, self.source_evaluation, self.intelligence_assessment, self.handling_code
        )

    def fields(self) -> dict:
        return {
            "grading_system": self.system,
            "source_evaluation": self.source_evaluation,
            "intelligence_assessment": self.intelligence_assessment,
            "handling_code": self.handling_code,
            "handling_conditions": self.handling_conditions,
            "grading": self.text,
        }


def read(text: str) -> tuple[str, int, str] | None:
    """(source evaluation, intelligence assessment, handling code or "") from a grading as a
    feed writes it, or None when it is not one."""
    compact = re.sub(r"[\s/.\-]", "", text or "").upper()
    match = _WRITTEN.match(compact)
    if match is None:
        return None
    letter = match.group(1) or match.group(4)
    digit = match.group(2) or match.group(3)
    return letter, int(digit), match.group(5) or ""


def system_for(handling_code: str) -> str:
    """The system a grading read from a feed belongs to: P or C make it 3x5x2; a 5x5x5 code,
    or no code at all (older reports), 5x5x5."""
    return THREE if handling_code in HANDLING_CODES[THREE] else FIVE


def check(grading: Grading, *, systems=(THREE, FIVE, "")) -> dict[str, str]:
    """What is wrong with a grading, by field; empty when it is right. ``systems`` are the
    gradings this path accepts (officers grade new reports 3x5x2 only)."""
    errors: dict[str, str] = {}
    system, code = grading.system, grading.handling_code
    if system not in systems:
        allowed = " or ".join(s or "not graded" for s in systems)
        errors["grading_system"] = f"Grade the report {allowed}"
        return errors
    if system:
        if grading.source_evaluation not in SOURCE_EVALUATIONS[system]:
            letters = ", ".join(SOURCE_EVALUATIONS[system])
            errors["source_evaluation"] = f"Under {system}, the source is graded {letters}"
        if grading.intelligence_assessment not in INTELLIGENCE_ASSESSMENTS:
            errors["intelligence_assessment"] = "Assess the intelligence 1 to 5"
    elif grading.source_evaluation or grading.intelligence_assessment is not None:
        errors["grading_system"] = "Say which grading the evaluation belongs to: 3x5x2 or 5x5x5"
    if system == THREE and code not in HANDLING_CODES[THREE]:
        errors["handling_code"] = "Under 3x5x2, the handling code is P or C"
    elif code in HANDLING_CODES[FIVE] and system != FIVE:
        errors["handling_code"] = "Handling codes 1 to 5 belong to the 5x5x5 grading only"
    elif code in HANDLING_CODES[THREE] and system == FIVE:
        errors["handling_code"] = "Handling codes P and C belong to the 3x5x2 grading only"
    conditions = grading.handling_conditions.strip()
    if code == "C" and not conditions:
        errors["handling_conditions"] = "Handling code C needs the conditions of sharing"
    elif code != "C" and conditions:
        errors["handling_conditions"] = "Conditions go with handling code C only"
    return errors
