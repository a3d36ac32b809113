"""The cohort's configuration row, with the cap the seeds give (Preston managed 250)."""

from django.db import migrations


def create_configuration(apps, schema_editor):
    CohortConfiguration = apps.get_model("cohorts", "CohortConfiguration")
    if not CohortConfiguration.objects.exists():
        CohortConfiguration.objects.create(cap=250)


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0003_membership_and_engagement")]

    operations = [migrations.RunPython(create_configuration, migrations.RunPython.noop)]
