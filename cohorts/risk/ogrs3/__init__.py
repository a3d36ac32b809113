"""OGRS3, the Offender Group Reconviction Scale version 3 (docs/ogrs3.md).

- ``reference``: the published coefficients (``OGRS3_V3``);
- ``calculator``: ``calculate_ogrs3``, the one reference in Python, pure;
- ``inputs``: each person's inputs from the record and the officers' corrections;
- ``sql``: the same calculation as SQL; ``run``: the nightly run's scoring of everyone;
- ``services``, ``queries``, ``views``, ``api``, ``listing``: corrections, read paths, pages.

The calculator is re-exported here. This package imports no model: the risk models read
``reference`` from it.
"""

from .calculator import (
    SEXES,
    OGRS3InputError,
    Ogrs3Result,
    age_in_whole_years,
    band_of,
    calculate_ogrs3,
    whole_percent,
)
from .reference import OGRS3_V3, Ogrs3Reference

__all__ = [
    "OGRS3_V3",
    "SEXES",
    "OGRS3InputError",
    "Ogrs3Reference",
    "Ogrs3Result",
    "age_in_whole_years",
    "band_of",
    "calculate_ogrs3",
    "whole_percent",
]
