from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "cohorts.risk"
    label = "risk"
    verbose_name = "Offending and risk"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from iom import jobs as iom_jobs

        from . import context_processors, custody, custody_listing, jobs, listing
        from .models import IntelligenceSubmission
        from .ogrs3 import listing as ogrs3_listing

        for signal in (post_save, post_delete):
            signal.connect(
                context_processors.forget_waiting,
                sender=IntelligenceSubmission,
                dispatch_uid="risk-intelligence-waiting",
            )

        custody.register()
        listing.register()
        ogrs3_listing.register()
        custody_listing.register()
        iom_jobs.register(jobs.RANKING_RUNS)
        iom_jobs.register(jobs.IMPORTS)
