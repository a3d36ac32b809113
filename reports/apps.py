from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        from iom import jobs

        from .jobs import COHORT_REPORTS, DOCUMENTS
        from .summary_sources import register_sources

        jobs.register(DOCUMENTS)
        jobs.register(COHORT_REPORTS)
        register_sources()
