"""The planner's building blocks: dates between panels, and one period, referral,
acceptance, deferral or rejection at a time."""

from __future__ import annotations

import datetime

from referrals.models import Decision

from .shape import (
    _CATEGORIES,
    _DAY,
    _PARTNER_REFERRAL_WEIGHTS,
    _REFERRAL_WEIGHTS,
    _S,
    _STREAMS_BY_LEAD,
    Period,
    Proposal,
    Someone,
    Step,
)
from .wording import Wording


class Steps(Wording):
    """Mixed into ``planner.Planner``: needs ``rng``, ``panels``, ``periods`` and
    ``proposals``."""

    # -- dates --

    def weekday_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        """A random working day from ``start`` to ``end`` (``end`` itself if there is none)."""
        days = [
            start + datetime.timedelta(days=i)
            for i in range((end - start).days + 1)
            if (start + datetime.timedelta(days=i)).weekday() < 5
        ]
        return self.rng.choice(days) if days else end

    def created_before(self, panel: int, not_before: datetime.date | None = None):
        """The date a referral decided at ``panel`` was made: after the panel before."""
        start = self.panels[panel - 1] + _DAY if panel else self.panels[0] - 30 * _DAY
        if not_before and not_before > start:
            start = not_before
        return self.weekday_between(start, self.panels[panel] - 3 * _DAY)

    def first_panel_after(self, day: datetime.date) -> int | None:
        return next((k for k, held in enumerate(self.panels) if held > day), None)

    def stream_for(self, someone: Someone) -> str:
        streams, weights = zip(*_STREAMS_BY_LEAD[someone.lead], strict=True)
        return self.rng.choices(streams, weights=weights)[0]

    def category_for(self, stream: str) -> str:
        categories, weights = zip(*_CATEGORIES[stream], strict=True)
        return self.rng.choices(categories, weights=weights)[0]

    def period(self, someone: Someone, panel: int, again: bool = False) -> Period:
        stream, category = someone.stream, someone.category
        if again and self.rng.random() < 0.2:
            stream = self.stream_for(someone)
            category = self.category_for(stream)
        period = Period(someone, panel, stream, category)
        self.periods.append(period)
        return period

    def proposal(
        self, someone: Someone, created_on, exited=None, stream="", category=""
    ) -> Proposal:
        proposal = Proposal(
            someone,
            created_on,
            stream or someone.stream,
            category or someone.category,
            exited=exited,
        )
        self.proposals.append(proposal)
        return proposal

    def accepted(self, period: Period, not_before=None, exited=None) -> Proposal:
        created = self.created_before(period.panel, not_before)
        proposal = self.proposal(period.someone, created, exited, period.stream, period.category)
        proposal.steps.append(Step(period.panel, Decision.ACCEPT))
        proposal.period = period
        return proposal

    def accepted_after_deferral(self, period: Period) -> Proposal:
        k = period.panel
        j = k - (2 if self.rng.random() < 0.25 else 1)
        proposal = self.proposal(
            period.someone, self.created_before(j), stream=period.stream, category=period.category
        )
        start = max(self.panels[k - 1] + _DAY, self.panels[j] + 14 * _DAY)
        until = self.weekday_between(start, self.panels[k] - 2 * _DAY)
        proposal.steps += [Step(j, Decision.DEFER, deferred_until=until), Step(k, Decision.ACCEPT)]
        proposal.period = period
        return proposal

    def rejected(self, someone: Someone, panel: int) -> Proposal:
        proposal = self.proposal(someone, self.created_before(panel))
        proposal.steps.append(Step(panel, Decision.REJECT))
        return proposal

    def referring_agency(self, someone: Someone, stream: str) -> str:
        if stream == _S.OCG:
            weights = {"police": 80, "probation": 20}
        elif stream == _S.DOMESTIC_ABUSE:
            weights = {"police": 50, "probation": 50}
        else:
            weights = dict(_REFERRAL_WEIGHTS)
            for partner, weight in _PARTNER_REFERRAL_WEIGHTS.items():
                if partner == "prison" and not someone.has_been_in_prison:
                    continue
                if partner in someone.partners:
                    weights[partner] = weight
        agencies = list(weights)
        agency = self.rng.choices(agencies, weights=[weights[a] for a in agencies])[0]
        if agency == "probation":
            return someone.lead  # a police-only case has no probation officer to refer it
        return agency

    def every_partner_refers(self) -> None:
        """Give a partner that made no referral by chance one, of a person shared with it."""
        made = {proposal.agency for proposal in self.proposals}
        for partner in _PARTNER_REFERRAL_WEIGHTS:
            if partner in made:
                continue
            for proposal in self.proposals:
                someone = proposal.someone
                if (
                    partner in someone.partners
                    and proposal.agency in ("police", "nps", "crc")
                    and proposal.stream not in (_S.OCG, _S.DOMESTIC_ABUSE)
                    and (partner != "prison" or someone.has_been_in_prison)
                ):
                    proposal.agency = partner
                    break
