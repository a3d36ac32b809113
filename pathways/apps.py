from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "pathways"
    verbose_name = "Pathways"

    def ready(self):
        from cohorts.risk.custody import register_release_step
        from cohorts.risk.providers import register_need_provider

        from . import alternatives, listing, release, summary
        from .models import PathwayKind
        from .queries import RISK_FACTORS, risk_need_factors

        listing.register_columns()
        # On release, the day-of-release plan's open items become pathway actions.
        register_release_step("pathways.plan-items", release.plan_items_to_actions)
        summary.register_sources()
        alternatives.register()
        # The risk model counts these needs as dynamic factors (docs/risk-model.md).
        register_need_provider(
            risk_need_factors,
            labels={factor: PathwayKind(kind).label for kind, factor in RISK_FACTORS.items()},
        )
