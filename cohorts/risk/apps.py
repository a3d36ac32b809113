from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "cohorts.risk"
    label = "risk"
    verbose_name = "Offending and risk"

    def ready(self):
        from iom import jobs as iom_jobs

        from . import custody, custody_listing, jobs, listing
        from .ogrs3 import listing as ogrs3_listing

        custody.register()
        listing.register()
        ogrs3_listing.register()
        custody_listing.register()
        iom_jobs.register(jobs.RANKING_RUNS)
        iom_jobs.register(jobs.IMPORTS)
