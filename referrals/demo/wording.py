"""The words of the plan: each referral's reasons and supporting information, each panel
decision's reason, each exit's details, and each member's engagement over time."""

from __future__ import annotations

import datetime

from cohorts.demo import engagement_history
from cohorts.models import EngagementStatus, ExitReason, MembershipStatus
from referrals.models import Decision

from .shape import _DAY, Period, Proposal, Someone, long_date
from .texts import (
    _ACCEPT_NOTES,
    _AFTER_PRISON,
    _CLOSINGS,
    _DEFER_AT_CAP,
    _DEFER_LATER_REASONS,
    _DEFER_REASONS,
    _EXIT_DETAILS,
    _NEEDS,
    _OFFENDING,
    _ON_PROBATION,
    _OPENINGS,
    _OVERRIDE_REASONS,
    _REJECT_AFTER_EXIT_REASONS,
    _REJECT_REASONS,
    _SUPPORTING,
)


class Wording:
    """The planner's words (mixed into ``planner.Planner``, which has ``rng``, ``panels``,
    ``proposals``, ``periods``, ``cap`` and ``today``)."""

    def write_texts(self) -> None:
        rng = self.rng
        for proposal in sorted(self.proposals, key=lambda proposal: proposal.created_on):
            words = self.words(proposal.someone, proposal.created_on, proposal.release_on)
            proposal.reasons = self.reasons(proposal, words)
            if rng.random() < 0.5:
                proposal.supporting = rng.choice(self.fits(proposal, _SUPPORTING)).format(**words)
            for step in proposal.steps:
                held_on = self.panels[step.panel]
                back = step.deferred_until or held_on + 28 * _DAY
                court = self.weekday_between(max(held_on + _DAY, back - 6 * _DAY), back - _DAY)
                step_words = {
                    **words,
                    "cap": self.cap,
                    "court": long_date(court),
                    "exited": f"{proposal.exited:%B %Y}" if proposal.exited else "",
                }
                if step.decision == Decision.REJECT:
                    texts = _REJECT_AFTER_EXIT_REASONS if step.reason else _REJECT_REASONS
                    step.reason = rng.choice(self.fits(proposal, texts)).format(**step_words)
                elif step.decision == Decision.DEFER:
                    if step.reason == "later":
                        if proposal.release_on:
                            text = _DEFER_LATER_REASONS[1]
                        else:
                            text = rng.choice(_DEFER_LATER_REASONS[::2])
                    elif step.reason == "cap":
                        text = _DEFER_AT_CAP
                    else:
                        text = rng.choice(self.fits(proposal, _DEFER_REASONS))
                    step.reason = text.format(**step_words)
                elif proposal.period.overridden:
                    recent = long_date(held_on - rng.randint(3, 20) * _DAY)
                    text = rng.choice(_OVERRIDE_REASONS)
                    proposal.period.override_reason = text.format(
                        **{**step_words, "recent": recent}
                    )
                    step.reason = proposal.period.override_reason
                elif rng.random() < 0.2:
                    step.reason = rng.choice(_ACCEPT_NOTES)
        for period in self.periods:
            words = period.someone.words()
            if period.exit_reason:
                details = rng.choice(_EXIT_DETAILS[period.exit_reason])
                period.exit_details = details.format(years=rng.randint(4, 9), **words)
            period.engagement = self.engagement(period)

    def words(self, someone: Someone, created_on: datetime.date, release_on) -> dict:
        rng = self.rng
        since = created_on - rng.randint(90, 365) * _DAY
        return {
            **someone.words(),
            "n": rng.randint(3, 9),
            "m": rng.randint(3, 9),
            "offences": rng.randint(12, 60),
            "since": f"{since:%B %Y}",
            "recent": long_date(created_on - rng.randint(3, 25) * _DAY),
            "later": long_date(created_on + rng.randint(120, 500) * _DAY),
            "release": long_date(release_on) if release_on else "",
            "months": rng.choice((14, 18, 20, 24, 28, 30, 36)),
            "ogrs": rng.randint(62, 94),
            "amount": rng.choice((40, 60, 80, 100, 150)),
            "year": created_on.year - rng.randint(2, 6),
            "rosh": rng.choice(("medium", "medium", "high")),
        }

    def reasons(self, proposal: Proposal, words: dict) -> str:
        rng = self.rng
        key = "probation" if proposal.agency in ("nps", "crc") else proposal.agency
        parts = [
            rng.choice(self.fits(proposal, _OPENINGS[key])),
            rng.choice(_OFFENDING[proposal.stream]),
        ]
        parts += rng.sample(self.fits(proposal, _NEEDS), rng.choice((1, 1, 2)))
        parts.append(rng.choice(self.fits(proposal, _CLOSINGS)))
        text = " ".join(part for part in parts if part).format(**words)
        return text[0].upper() + text[1:]

    @staticmethod
    def fits(proposal: Proposal, texts) -> list[str]:
        """The texts that fit the person: licences and releases only for people who have been
        in prison, probation appointments only for people with a probation case."""
        nominal = proposal.someone.nominal
        unfit = (() if nominal.prison_number else _AFTER_PRISON) + (
            () if nominal.crn else _ON_PROBATION
        )
        return [t for t in texts if not any(w in t.lower() for w in unfit)] or list(texts)

    def engagement(self, period: Period) -> list[tuple[str, datetime.date, str]]:
        rng = self.rng
        entered_on = self.panels[period.panel]
        until = period.exited_on or self.today - _DAY
        days_in = (self.today - entered_on).days
        in_custody = period.status == MembershipStatus.IN_CUSTODY
        E = EngagementStatus
        if period.exit_reason:
            weights = {
                ExitReason.RISK_REDUCED: (80, 20, 0),
                ExitReason.DEVOLVED: (60, 40, 0),
                ExitReason.LONG_CUSTODY: (10, 40, 50),
            }.get(period.exit_reason, (50, 30, 20))
            latest = rng.choices((E.ENGAGED, E.PARTIAL, E.DECLINED), weights=weights)[0]
        elif (days_in <= 90 and rng.random() < 0.7) or (in_custody and rng.random() < 0.25):
            # New members, and some in custody: the first approach is at the pre-release
            # meeting.
            latest = E.NOT_APPROACHED
        else:
            latest = rng.choices((E.ENGAGED, E.PARTIAL, E.DECLINED), weights=(58, 26, 16))[0]
        return engagement_history(
            rng,
            entered_on=entered_on,
            until=until,
            latest=latest,
            in_custody=in_custody and latest == E.NOT_APPROACHED,
        )
