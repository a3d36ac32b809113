"""Seed the offence types (Home Office offence codes with their ACPO gravity) and version 1 of
the risk model. The values are the documented defaults (docs/risk-model.md): an area changes
them in the admin, which keeps every version that has been used."""

from django.db import migrations

# (Home Office offence code, name, category, ACPO gravity 1-4)
OFFENCE_TYPES = [
    ("28A", "Burglary in a dwelling", "burglary-dwelling", 3),
    ("28B", "Attempted burglary in a dwelling", "burglary-dwelling", 3),
    ("28C", "Distraction burglary in a dwelling", "burglary-dwelling", 3),
    ("28D", "Attempted distraction burglary in a dwelling", "burglary-dwelling", 3),
    ("29", "Aggravated burglary in a dwelling", "burglary-dwelling", 4),
    ("34B", "Robbery of personal property", "robbery-personal", 4),
    ("34A", "Robbery of business property", "other", 4),
    ("45", "Theft from a vehicle", "theft-from-vehicle", 2),
    ("48", "Theft or unauthorised taking of a motor vehicle", "theft-of-vehicle", 2),
    ("37/2", "Aggravated vehicle taking", "theft-of-vehicle", 3),
    ("126", "Interfering with a motor vehicle", "vehicle-interference", 1),
    ("1", "Murder", "violence", 4),
    ("5D", "Assault with intent to cause serious harm", "violence", 4),
    ("8N", "Assault with injury", "violence", 3),
    ("105A", "Assault without injury", "violence", 2),
    ("104", "Assault without injury on a constable", "violence", 2),
    ("8Q", "Stalking", "violence", 3),
    ("8R", "Harassment", "violence", 2),
    ("10C", "Possession of other weapons", "violence", 3),
    ("10D", "Possession of article with blade or point", "violence", 3),
    ("92A", "Trafficking in controlled drugs", "drugs", 3),
    ("92D", "Possession of controlled drugs (cannabis)", "drugs", 1),
    ("92E", "Possession of controlled drugs (excluding cannabis)", "drugs", 2),
    ("30C", "Burglary in a building other than a dwelling", "other", 2),
    ("39", "Theft from the person", "other", 2),
    ("44", "Theft of a pedal cycle", "other", 1),
    ("46", "Shoplifting", "other", 1),
    ("49", "Other theft", "other", 1),
    ("54", "Handling stolen goods", "other", 2),
    ("56A", "Arson endangering life", "other", 4),
    ("58A", "Criminal damage to a dwelling", "other", 2),
    ("58C", "Criminal damage to a vehicle", "other", 1),
    ("9A", "Public fear, alarm or distress", "other", 1),
]

MODEL_VERSION_1 = {
    "lookback_days": 730,
    "activity_window_days": 365,
    "half_life_days": {"detection": 180, "arrest": 90, "intelligence": 60},
    "event_weight": {
        "detection": {"charged": 1.0, "convicted": 1.0, "tic": 0.5},
        "arrest": {"evidence": 0.6, "suspicion": 0.3, "forensic": 0.8},
        "intelligence": {"police": 0.25, "informant": 0.2, "partner": 0.2, "forensic": 0.4},
    },
    "gravity_points": {"1": 4, "2": 6, "3": 8, "4": 10},
    "unknown_gravity": 2,
    "category_weight": {
        "burglary-dwelling": 1.5,
        "robbery-personal": 1.5,
        "theft-from-vehicle": 1.25,
        "theft-of-vehicle": 1.25,
        "vehicle-interference": 1.0,
        "violence": 1.0,
        "drugs": 0.75,
        "other": 0.5,
    },
    "dynamic_factor_points": {
        "drug-dependency": 6,
        "class-a-use": 10,
        "alcohol-misuse": 3,
        "accommodation-unstable": 5,
        "no-accommodation": 8,
        "unemployed": 3,
        "criminal-associates": 4,
        "financial-problems": 2,
    },
    "custody_multiplier": 0.25,
    "out_of_area_multiplier": 0.5,
    "thresholds": {"red": 40, "amber": 15},
}


def seed(apps, schema_editor):
    OffenceType = apps.get_model("risk", "OffenceType")
    RiskModelVersion = apps.get_model("risk", "RiskModelVersion")
    existing = set(OffenceType.objects.values_list("code", flat=True))
    OffenceType.objects.bulk_create(
        OffenceType(code=code, name=name, category=category, gravity=gravity)
        for code, name, category, gravity in OFFENCE_TYPES
        if code not in existing
    )
    if not RiskModelVersion.objects.exists():
        RiskModelVersion.objects.create(
            number=1,
            parameters=MODEL_VERSION_1,
            notes="The documented default (docs/risk-model.md).",
        )


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
