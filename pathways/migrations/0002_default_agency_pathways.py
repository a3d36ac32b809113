"""Give every existing agency the pathways its kind delivers and its information-sharing
default, and create the pathway configuration. Agencies created later are configured by
``pathways.services.configure_agencies`` (the demo seed) or by an administrator.

The defaults are copied here, as they were when this migration was written, so that a later
change to ``pathways.defaults`` does not change what this migration did."""

from django.db import migrations

DELIVERED_BY_KIND = {
    "drugs": ("drugs-alcohol",),
    "housing": ("accommodation",),
    "council": ("accommodation", "finance", "children-families"),
    "health": ("health",),
    "yos": ("ete", "children-families", "attitudes"),
    "prison": ("ete", "finance"),
    "nps": ("attitudes", "victims"),
    "crc": ("attitudes", "victims"),
    "police": ("victims",),
}
FULL_SHARING_KINDS = ("police", "nps", "crc")


def configure(apps, schema_editor):
    Agency = apps.get_model("iom", "Agency")
    Settings = apps.get_model("pathways", "AgencyPathwaySettings")
    AgencyPathway = apps.get_model("pathways", "AgencyPathway")
    Configuration = apps.get_model("pathways", "PathwayConfiguration")
    if not Configuration.objects.exists():
        Configuration.objects.create()
    agencies = list(Agency.objects.exclude(pathway_settings__isnull=False))
    Settings.objects.bulk_create(
        Settings(
            agency=agency,
            information_sharing="full" if agency.kind in FULL_SHARING_KINDS else "summary",
        )
        for agency in agencies
    )
    settings = Settings.objects.filter(agency__in=agencies).select_related("agency")
    AgencyPathway.objects.bulk_create(
        AgencyPathway(settings=setting, pathway=pathway)
        for setting in settings
        for pathway in DELIVERED_BY_KIND.get(setting.agency.kind, ())
    )


class Migration(migrations.Migration):
    dependencies = [("pathways", "0001_initial"), ("iom", "0002_audit_is_append_only")]

    operations = [migrations.RunPython(configure, migrations.RunPython.noop)]
