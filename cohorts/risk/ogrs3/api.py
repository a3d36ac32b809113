"""OGRS3 in the API, beside each assessment: the figures, or null with the reason."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import queries


class Ogrs3Serializer(serializers.Serializer):
    one_year_percent = serializers.IntegerField()
    two_year_percent = serializers.IntegerField()
    one_year = serializers.FloatField()
    two_year = serializers.FloatField()
    band = serializers.CharField()
    model_version = serializers.CharField()
    check_reason = serializers.CharField(
        help_text="Why an officer should check the inputs before relying on the figures "
        "(a first sanction dated under the age of criminal responsibility); empty when "
        "nothing needs checking."
    )
    inputs = serializers.SerializerMethodField()

    def get_inputs(self, result) -> dict:
        """Each input's value and its source: "record" or "officer" (with who, when, why)."""
        fields = ["sex", "date_of_birth", "offence_category", "conviction_date",
                  "previous_sanctions", "first_sanction_date", "follow_up_start"]  # fmt: skip
        inputs = {}
        for field in fields:
            value = getattr(result, field)
            corrected = result.corrections.get(field)
            inputs[field] = {
                "value": value.isoformat() if hasattr(value, "isoformat") else value,
                "source": "officer" if corrected else "record",
                **({"correction": corrected} if corrected else {}),
            }
        return inputs


class Ogrs3ListSerializer(serializers.ListSerializer):
    """Loads the OGRS3 results of the whole page in one query."""

    def to_representation(self, data):
        items = list(data.all() if hasattr(data, "all") else data)
        self.child.context["ogrs3_results"] = queries.results_for(items)
        return super().to_representation(items)


def _result(serializer, assessment):
    results = serializer.context.get("ogrs3_results")
    if results is None:
        results = queries.results_for([assessment])
    return results.get((assessment.run_id, assessment.nominal_id))


@extend_schema_field(Ogrs3Serializer(allow_null=True))
class Ogrs3Field(serializers.Field):
    """``ogrs3``: the figures and inputs, or null when the person could not be scored."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, assessment):
        result = _result(self.parent, assessment)
        if result is None or not result.is_scored:
            return None
        return Ogrs3Serializer(result).data


@extend_schema_field(OpenApiTypes.STR)
class Ogrs3ReasonField(serializers.Field):
    """``ogrs3_cannot_score``: why ``ogrs3`` is null (null when it is not)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, assessment):
        result = _result(self.parent, assessment)
        if result is None:
            return "Not worked out in this run."
        return None if result.is_scored else f"Cannot score: {result.unscored_reason}"
