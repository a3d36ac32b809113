"""The Home Office unit costs of crime quoted in RISK.md, each row with its source."""

from decimal import Decimal

from django.db import migrations

HO_2005 = (
    "Home Office Online Report 30/05 (Dubourg, Hamed & Thorns 2005), 2003/04 prices, "
    "as quoted by the Preston IOM unit"
)
HO_2018 = (
    "Heeks, Reed, Tafsiri & Prince (2018), The economic and social costs of crime, "
    "Home Office Research Report 99, 2015/16 prices"
)

# (price year, offence as the source names it, category it prices or "", cost, source)
DEFAULTS = [
    ("2003/04", "Robbery", "robbery-personal", "7282", HO_2005),
    ("2003/04", "Theft from a vehicle", "theft-from-vehicle", "858", HO_2005),
    ("2003/04", "Theft of a vehicle", "theft-of-vehicle", "4138", HO_2005),
    ("2003/04", "Burglary in a dwelling", "burglary-dwelling", "3268", HO_2005),
    ("2015/16", "Robbery", "robbery-personal", "11320", HO_2018),
    ("2015/16", "Theft of vehicle", "theft-of-vehicle", "10290", HO_2018),
    ("2015/16", "Theft from vehicle", "theft-from-vehicle", "870", HO_2018),
    ("2015/16", "Violence with injury", "violence", "14050", HO_2018),
    ("2015/16", "Criminal damage (other)", "", "1350", HO_2018),
    ("2015/16", "Arson", "", "8420", HO_2018),
]


def load(apps, schema_editor):
    UnitCost = apps.get_model("reports", "UnitCost")
    ReportConfiguration = apps.get_model("reports", "ReportConfiguration")
    for price_year, offence, category, cost, source in DEFAULTS:
        UnitCost.objects.get_or_create(
            price_year=price_year,
            offence=offence,
            defaults={"category": category, "cost": Decimal(cost), "source": source},
        )
    if not ReportConfiguration.objects.exists():
        ReportConfiguration.objects.create()


def unload(apps, schema_editor):
    UnitCost = apps.get_model("reports", "UnitCost")
    for price_year, offence, *_ in DEFAULTS:
        UnitCost.objects.filter(price_year=price_year, offence=offence).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_cohort_reports")]

    operations = [migrations.RunPython(load, unload)]
