"""What a partner sees of the pathways moves from a per-agency setting into the agencies'
information-sharing agreements (``iom.SharingAgreement``).

Partners used to see every person shared with them whatever their setting; from now on they
see a record only while a live agreement names their agency. So that no partner loses its
work on upgrade, this migration records the settings as two agreements, one per setting
("summary" and "full"), naming the agencies that had it and covering identity, risk and the
pathways as before, with a review date a month away. The IOM unit's managers see the review
warning and should replace them with the real agreements. Reversing it restores the settings
from those agreements.
"""

import datetime

from django.db import migrations
from django.utils import timezone

NAMES = {
    "summary": "Pathways partners (summary), recorded on upgrade",
    "full": "Pathways partners (full), recorded on upgrade",
}


def forwards(apps, schema_editor):
    Settings = apps.get_model("pathways", "AgencyPathwaySettings")
    Agreement = apps.get_model("iom", "SharingAgreement")
    today = timezone.localdate()
    by_setting: dict[str, list[int]] = {}
    for row in Settings.objects.all():
        by_setting.setdefault(row.information_sharing, []).append(row.agency_id)
    for setting, agency_ids in sorted(by_setting.items()):
        agreement = Agreement.objects.create(
            name=NAMES.get(setting, f"Pathways partners ({setting}), recorded on upgrade"),
            purpose="Partner agencies deliver and review the reducing-reoffending pathways "
            "of the people managed by the IOM unit.",
            legal_basis="Recorded from the agencies' pathway settings on upgrade: replace with "
            "the agreement's own text.",
            starts_on=today,
            review_on=today + datetime.timedelta(days=30),
            covers_identity=True,
            covers_risk=True,
            pathways=setting,
        )
        agreement.parties.set(agency_ids)
        print(f"\n  Sharing agreements: '{agreement.name}' for {len(agency_ids)} agencies")


def backwards(apps, schema_editor):
    Settings = apps.get_model("pathways", "AgencyPathwaySettings")
    Agreement = apps.get_model("iom", "SharingAgreement")
    for agreement in Agreement.objects.filter(name__in=NAMES.values()):
        Settings.objects.filter(agency__in=agreement.parties.all()).update(
            information_sharing=agreement.pathways
        )
        agreement.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pathways", "0002_default_agency_pathways"),
        ("iom", "0003_sharing_by_team_and_agreement"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="agencypathwaysettings", name="information_sharing"),
    ]
