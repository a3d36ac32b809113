from django.apps import AppConfig


class ControlsConfig(AppConfig):
    name = "cohorts.controls"
    label = "controls"
    verbose_name = "Control measures"

    def ready(self) -> None:
        from .listing import register_columns
        from .summary import register_sources

        register_columns()
        register_sources()
