"""The reports app's records: generated documents about one person (``documents``), and the
managers' monthly cohort reports with their configuration (``cohort_reports``), and the
dashboard's figures as last worked out (``dashboard``)."""

from .cohort_reports import (
    DEFAULT_PRICE_YEAR,
    SERIOUS_ACQUISITIVE,
    CohortReport,
    ReportConfiguration,
    ReportStatus,
    ReportTrigger,
    UnitCost,
    unpriced_acquisitive,
)
from .dashboard import DashboardFigures
from .documents import Document, DocumentKind, DocumentStatus

__all__ = [
    "DEFAULT_PRICE_YEAR",
    "SERIOUS_ACQUISITIVE",
    "CohortReport",
    "DashboardFigures",
    "Document",
    "DocumentKind",
    "DocumentStatus",
    "ReportConfiguration",
    "ReportStatus",
    "ReportTrigger",
    "UnitCost",
    "unpriced_acquisitive",
]
