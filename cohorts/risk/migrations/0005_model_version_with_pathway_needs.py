"""A new risk model version that counts the needs assessed on the Accommodation and Drugs &
Alcohol pathways (docs/risk-model.md, "Needs assessed on the pathways").

A version that has been used is never changed, so this adds a version: the newest version's
parameters with ``need_points`` added. The next run uses it; past assessments keep theirs.
"""

from django.db import migrations

NEED_POINTS = {
    "accommodation_need": {"none": 0, "low": 2, "medium": 5, "high": 8},
    "drug_need": {"none": 0, "low": 2, "medium": 4, "high": 6},
}


def add_version(apps, schema_editor):
    RiskModelVersion = apps.get_model("risk", "RiskModelVersion")
    newest = RiskModelVersion.objects.order_by("-number").first()
    if newest is None or "need_points" in newest.parameters:
        return
    RiskModelVersion.objects.create(
        number=newest.number + 1,
        parameters={**newest.parameters, "need_points": NEED_POINTS},
        notes="Counts the needs assessed on the Accommodation and Drugs & Alcohol pathways "
        "(docs/risk-model.md).",
    )


class Migration(migrations.Migration):
    dependencies = [("risk", "0004_ogrs3_categories_of_seeded_offences")]

    operations = [migrations.RunPython(add_version, migrations.RunPython.noop)]
