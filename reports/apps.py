from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self):
        from iom import jobs

        from .jobs import COHORT_REPORTS, DOCUMENTS

        jobs.register(DOCUMENTS)
        jobs.register(COHORT_REPORTS)
