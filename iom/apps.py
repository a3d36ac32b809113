from django.apps import AppConfig


class IomConfig(AppConfig):
    name = "iom"
    verbose_name = "IOM core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from . import audit

        user_login_failed.connect(audit.record_failed_sign_in, dispatch_uid="iom-audit-failed")
