from django.apps import AppConfig


class ControlsConfig(AppConfig):
    name = "cohorts.controls"
    label = "controls"
    verbose_name = "Control measures"

    def ready(self) -> None:
        from cohorts.risk.custody import register_release_step

        from .listing import register_columns
        from .services import licence_on_release
        from .summary import register_sources

        register_columns()
        register_sources()
        # On release from custody, the licence follows (docs/records.md).
        register_release_step("controls.licence", licence_on_release)
