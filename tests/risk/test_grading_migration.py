"""The upgrade reads gradings stored as text into the grading's fields where it can."""

import importlib

from django.apps import apps

from cohorts.risk.models import IntelligenceReport
from tests.risk import factories as risk

migration = importlib.import_module("cohorts.risk.migrations.0009_offending_records")


def _graded(report):
    report.refresh_from_db()
    return (report.grading_system, report.source_evaluation, report.intelligence_assessment,
            report.handling_code, report.grading)  # fmt: skip


def test_stored_gradings_are_read_as_3x5x2_or_5x5x5_and_the_rest_left_alone(db, nominal):
    shareable = risk.IntelligenceReportFactory(nominal=nominal, grading="1A", handling_code="P")
    restricted = risk.IntelligenceReportFactory(nominal=nominal, grading="E4", handling_code="4")
    older = risk.IntelligenceReportFactory(nominal=nominal, grading="B2", handling_code="")
    unreadable = risk.IntelligenceReportFactory(nominal=nominal, grading="X9")
    c_without_conditions = risk.IntelligenceReportFactory(
        nominal=nominal, grading="B2", handling_code="C"
    )

    migration.read_stored_gradings(apps, None)

    assert _graded(shareable) == ("3x5x2", "A", 1, "P", "A1P")
    assert _graded(restricted) == ("5x5x5", "E", 4, "4", "E44")
    assert _graded(older) == ("5x5x5", "B", 2, "", "B2")
    assert _graded(unreadable) == ("", "", None, "", "X9")
    assert _graded(c_without_conditions) == ("", "", None, "C", "B2")
    assert IntelligenceReport.objects.count() == 5
