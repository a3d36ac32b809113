from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "cohorts.risk"
    label = "risk"
    verbose_name = "Offending and risk"

    def ready(self):
        from . import listing

        listing.register()
