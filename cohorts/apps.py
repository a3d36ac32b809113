from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = "Cohort"

    def ready(self) -> None:
        from .summary_sources import register_sources

        register_sources()
