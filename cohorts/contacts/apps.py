from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "cohorts.contacts"
    label = "contacts"
    verbose_name = "Contacts and case notes"

    def ready(self) -> None:
        from . import alternatives
        from .summary import register

        register()
        alternatives.register()
