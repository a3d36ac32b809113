"""The OGRS3 category of each offence type seeded in 0002 (docs/ogrs3.md lists the mapping).

Local decisions, changeable in the admin: aggravated vehicle taking is vehicle taking,
interfering with a motor vehicle is theft from a vehicle, possession of a weapon is violence,
trafficking in controlled drugs is possession/supply, and arson is criminal damage."""

from django.db import migrations

OGRS3_CATEGORY = {
    "28A": "burglary_domestic",
    "28B": "burglary_domestic",
    "28C": "burglary_domestic",
    "28D": "burglary_domestic",
    "29": "burglary_domestic",
    "34B": "robbery",
    "34A": "robbery",
    "45": "theft_from_vehicle",
    "48": "vehicle_taking",
    "37/2": "vehicle_taking",
    "126": "theft_from_vehicle",
    "1": "violence",
    "5D": "violence",
    "8N": "violence",
    "105A": "violence",
    "104": "violence",
    "8Q": "violence",
    "8R": "violence",
    "10C": "violence",
    "10D": "violence",
    "92A": "drug_possession_supply",
    "92D": "drug_possession_supply",
    "92E": "drug_possession_supply",
    "30C": "burglary_other",
    "39": "theft_non_motor",
    "44": "theft_non_motor",
    "46": "theft_non_motor",
    "49": "theft_non_motor",
    "54": "handling",
    "56A": "criminal_damage",
    "58A": "criminal_damage",
    "58C": "criminal_damage",
    "9A": "public_order",
}


def fill(apps, schema_editor):
    OffenceType = apps.get_model("risk", "OffenceType")
    for code, category in OGRS3_CATEGORY.items():
        OffenceType.objects.filter(code=code, ogrs3_category="").update(ogrs3_category=category)


class Migration(migrations.Migration):
    dependencies = [("risk", "0003_ogrs3")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
