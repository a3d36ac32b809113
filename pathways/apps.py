from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "pathways"
    verbose_name = "Pathways"

    def ready(self):
        from . import listing

        listing.register_columns()
