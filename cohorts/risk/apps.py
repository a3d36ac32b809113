from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "cohorts.risk"
    label = "risk"
    verbose_name = "Offending and risk"

    def ready(self):
        from . import listing, ogrs3_listing

        listing.register()
        ogrs3_listing.register()
