"""The recall thresholds' row: three positive Class A tests (the Preston test-on-licence rule)
or two missed tests."""

from django.db import migrations


def create_configuration(apps, schema_editor):
    ControlsConfiguration = apps.get_model("controls", "ControlsConfiguration")
    if not ControlsConfiguration.objects.exists():
        ControlsConfiguration.objects.create(class_a_positive_threshold=3, missed_test_threshold=2)


class Migration(migrations.Migration):
    dependencies = [("controls", "0001_initial")]

    operations = [migrations.RunPython(create_configuration, migrations.RunPython.noop)]
