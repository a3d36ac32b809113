from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = "Cohort"

    def ready(self) -> None:
        from iom import audit
        from iom.models import AuditSubject

        from .queries import person_names
        from .summary_sources import register_sources

        register_sources()
        audit.register_subject_names(AuditSubject.PERSON, person_names)
