"""The emerging threats list's Referral column: a person's referral awaiting the panel (a
link to it and its status) instead of a link to refer them again. Registered from
``ReferralsConfig.ready``."""

from cohorts.risk import threats

from . import queries


def register() -> None:
    threats.register(
        threats.ThreatColumn(
            key="referral",
            header="Referral",
            cell_template="referrals/threat_cell.html",
            annotate=queries.with_open_referral,
        )
    )
