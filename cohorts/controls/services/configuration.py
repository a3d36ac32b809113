"""The recall thresholds of the controls configuration."""

from __future__ import annotations

from django.db import transaction

from iom import audit
from iom.models import AuditAction

from ..models import (
    ControlsConfiguration,
)
from .checks import raise_if_any


@transaction.atomic
def update_configuration(
    *, by, class_a_positive_threshold: int, missed_test_threshold: int
) -> ControlsConfiguration:
    """Change the recall thresholds (administrators, from the admin site)."""
    errors = {}
    if class_a_positive_threshold < 1:
        errors["class_a_positive_threshold"] = "The threshold must be at least 1"
    if missed_test_threshold < 1:
        errors["missed_test_threshold"] = "The threshold must be at least 1"
    raise_if_any(errors)
    configuration = ControlsConfiguration.current()
    before = {
        "class_a_positive_threshold": configuration.class_a_positive_threshold,
        "missed_test_threshold": configuration.missed_test_threshold,
    }
    configuration.class_a_positive_threshold = class_a_positive_threshold
    configuration.missed_test_threshold = missed_test_threshold
    configuration.save()
    audit.record(
        by,
        AuditAction.ALTERATION,
        configuration,
        description="Changed the recall thresholds",
        changes=audit.changes_between(
            before,
            {
                "class_a_positive_threshold": class_a_positive_threshold,
                "missed_test_threshold": missed_test_threshold,
            },
        ),
    )
    return configuration
