"""British National Grid coordinates (metres), as the police systems and the Ordnance Survey
give them. Validated to the grid's extent over Great Britain."""

from django.core.exceptions import ValidationError
from django.db.models import Q

# The extent of the National Grid over Great Britain, in metres (Ordnance Survey).
EASTING_RANGE = (0, 700_000)
NORTHING_RANGE = (0, 1_300_000)


def validate_easting(value: int | None) -> None:
    if value is not None and not EASTING_RANGE[0] <= value <= EASTING_RANGE[1]:
        raise ValidationError(
            f"An easting must be between {EASTING_RANGE[0]:,} and {EASTING_RANGE[1]:,} metres"
        )


def validate_northing(value: int | None) -> None:
    if value is not None and not NORTHING_RANGE[0] <= value <= NORTHING_RANGE[1]:
        raise ValidationError(
            f"A northing must be between {NORTHING_RANGE[0]:,} and {NORTHING_RANGE[1]:,} metres"
        )


def coordinates_check(easting: str, northing: str) -> Q:
    """Both or neither, and inside Great Britain: for a CheckConstraint."""
    return Q(**{f"{easting}__isnull": True, f"{northing}__isnull": True}) | Q(
        **{
            f"{easting}__gte": EASTING_RANGE[0],
            f"{easting}__lte": EASTING_RANGE[1],
            f"{northing}__gte": NORTHING_RANGE[0],
            f"{northing}__lte": NORTHING_RANGE[1],
        }
    )
