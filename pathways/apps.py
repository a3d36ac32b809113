from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "pathways"
    verbose_name = "Pathways"

    def ready(self):
        from cohorts.risk.providers import register_need_provider

        from . import alternatives, listing, summary
        from .models import PathwayKind
        from .queries import RISK_FACTORS, risk_need_factors

        listing.register_columns()
        summary.register_sources()
        alternatives.register()
        # The risk model counts these needs as dynamic factors (docs/risk-model.md).
        register_need_provider(
            risk_need_factors,
            labels={factor: PathwayKind(kind).label for kind, factor in RISK_FACTORS.items()},
        )
