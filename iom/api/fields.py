"""Serializer fields whose OpenAPI type says what the field really sends."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# A time of day without a time zone (as the records hold it): "21:00" or "21:00:00". The
# schema's "time" format would demand an offset ("21:00:00Z") that no answer carries.
TIME_OF_DAY = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


@extend_schema_field({"type": "string", "pattern": TIME_OF_DAY, "example": "21:00:00"})
class TimeOfDayField(serializers.TimeField):
    """A local time of day, HH:MM[:SS]."""
