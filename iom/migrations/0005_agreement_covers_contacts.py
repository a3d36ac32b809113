"""Agreements say whether they cover a person's contacts and case notes (off by default: an
agreement made before contacts were recorded shared none)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("iom", "0004_audit_refuses_truncate")]

    operations = [
        migrations.AddField(
            model_name="sharingagreement",
            name="covers_contacts",
            field=models.BooleanField(
                default=False,
                help_text="Only the contacts and case notes the IOM unit marked as shared.",
                verbose_name="Contacts",
            ),
        ),
    ]
