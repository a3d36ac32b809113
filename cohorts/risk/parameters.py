"""A risk model version's parameters (docs/risk-model.md), read from its JSON and checked:
every missing or wrong value is named at once."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from .models import (
    ArrestGrounds,
    Band,
    DetectionOutcome,
    DynamicFactorKind,
    IntelligenceSource,
    OffenceCategory,
)
from .providers import NEED_LEVELS

EVENT_KINDS = ("detection", "arrest", "intelligence")
SUBTYPES = {
    "detection": DetectionOutcome.values,
    "arrest": ArrestGrounds.values,
    "intelligence": IntelligenceSource.values,
}


@dataclass(frozen=True)
class ModelParameters:
    """A risk model version's parameters, checked. See docs/risk-model.md for each one."""

    lookback_days: int
    activity_window_days: int
    half_life_days: dict[str, float]
    event_weight: dict[str, dict[str, float]]
    gravity_points: dict[str, float]
    unknown_gravity: int
    category_weight: dict[str, float]
    dynamic_factor_points: dict[str, float]
    custody_multiplier: float
    out_of_area_multiplier: float
    thresholds: dict[str, float]
    # Needs assessed by other apps (providers.py): points by factor and level. Optional: a
    # version without it (version 1) counts no needs.
    need_points: dict[str, dict[str, float]] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data) -> ModelParameters:
        """Check a version's JSON; a ValidationError names every missing or wrong value."""
        errors: list[str] = []
        if not isinstance(data, dict):
            raise ValidationError("The parameters must be a JSON object")
        params = cls(**_read(data, errors))
        if not errors and params.thresholds["red"] <= params.thresholds["amber"]:
            errors.append("thresholds.red must be above thresholds.amber")
        if errors:
            raise ValidationError(errors)
        return params

    def band_for(self, score: Decimal) -> str:
        if score >= Decimal(repr(self.thresholds["red"])):
            return Band.RED
        if score >= Decimal(repr(self.thresholds["amber"])):
            return Band.AMBER
        return Band.GREEN

    def decay_per_day(self, kind: str) -> float:
        """exp(-decay * age) halves the points every ``half_life_days``."""
        return math.log(2) / self.half_life_days[kind]


def _read(data: dict, errors: list[str]) -> dict[str, Any]:
    """Each parameter of ``data``, in the order their errors are given."""
    table, scalar = _readers(data, errors)
    return {
        "lookback_days": int(scalar("lookback_days", low=1)),
        "activity_window_days": int(scalar("activity_window_days", low=1)),
        "half_life_days": table("half_life_days", EVENT_KINDS, low=1),
        "event_weight": {
            kind: table(f"event_weight.{kind}", SUBTYPES[kind]) for kind in EVENT_KINDS
        },
        "gravity_points": table("gravity_points", ("1", "2", "3", "4")),
        "unknown_gravity": int(scalar("unknown_gravity", low=1, high=4)),
        "category_weight": table("category_weight", OffenceCategory.values),
        "dynamic_factor_points": table("dynamic_factor_points", DynamicFactorKind.values),
        "custody_multiplier": scalar("custody_multiplier", high=1),
        "out_of_area_multiplier": scalar("out_of_area_multiplier", high=1),
        "thresholds": table("thresholds", ("red", "amber")),
        "need_points": _need_points(data, table, errors),
    }


def _readers(data: dict, errors: list[str]):
    """``table(path, keys)``, a table of numbers at a dotted path, and ``scalar(name)``, a
    number at the top: each reads ``data`` and adds what is missing or wrong to ``errors``."""

    def number(path: str, value, *, low: float = 0, high: float | None = None) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            errors.append(f"{path} must be a number")
            return 0.0
        if value < low or (high is not None and value > high):
            upper = f" and at most {high}" if high is not None else ""
            errors.append(f"{path} must be at least {low}{upper}")
        return float(value)

    def table(path: str, keys: Iterable[str], **limits) -> dict[str, float]:
        value: Any = data
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if not isinstance(value, dict):
            errors.append(f"{path} must be an object")
            return {}
        missing = [key for key in keys if key not in value]
        if missing:
            errors.append(f"{path} lacks {', '.join(missing)}")
        return {key: number(f"{path}.{key}", value.get(key, 0), **limits) for key in keys}

    def scalar(name: str, **limits) -> float:
        if name not in data:
            errors.append(f"{name} is missing")
            return 0.0
        return number(name, data[name], **limits)

    return table, scalar


def _need_points(data: dict, table, errors: list[str]) -> dict[str, dict[str, float]]:
    """Points by need and level; a version without them (version 1) counts no needs."""
    if "need_points" not in data:
        return {}
    if not isinstance(data["need_points"], dict):
        errors.append("need_points must be an object")
        return {}
    return {factor: table(f"need_points.{factor}", NEED_LEVELS) for factor in data["need_points"]}
