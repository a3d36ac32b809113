"""Writing the plan: panel meetings, memberships, referrals, decisions and engagement, with
``bulk_create`` and one audit "collection" event per row. ``created_at``, ``decided_at`` and
``recorded_at`` are set to "now" on insert; the history's own times are written afterwards
with ``bulk_update``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from cohorts.demo import AUDIT_DESCRIPTION
from cohorts.models import CohortMembership, Engagement, MembershipStatus
from iom import demo as core
from iom.models import AuditAction, AuditEvent
from referrals.models import Decision, PanelDecision, PanelMeeting, Referral, ReferralStatus

from .shape import _CHAIRS, _PANEL_CLERK, _REFERRERS, Plan, Step


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@dataclass
class Writer:
    plan: Plan
    users: dict = field(default_factory=dict)
    agencies: dict = field(default_factory=dict)
    meetings: list[PanelMeeting] = field(default_factory=list)
    events: list[AuditEvent] = field(default_factory=list)

    def audit(self, row, nominal=None) -> None:
        self.events.append(
            AuditEvent(
                username=core.SEED_USERNAME,
                action=AuditAction.COLLECTION,
                person_id=getattr(nominal, "pk", None),
                object_type=row._meta.label,
                object_id=str(row.pk),
                description=AUDIT_DESCRIPTION,
                path=core.SEED_ACTOR.path,
            )
        )

    def decided_at(self, step: Step) -> datetime.datetime:
        held_on = self.meetings[step.panel].held_on
        return at(held_on, 10) + datetime.timedelta(minutes=3 * step.order)

    def stamp(self, model, rows: list, times: list, field_name: str, nominal=None) -> None:
        """Insert ``rows``, give each its time in the history, and audit each."""
        model.objects.bulk_create(rows, batch_size=500)
        for row, when in zip(rows, times, strict=True):
            setattr(row, field_name, when)
            self.audit(row, nominal(row) if nominal else None)
        model.objects.bulk_update(rows, [field_name], batch_size=500)

    def write_meetings(self) -> None:
        clerk = self.users[_PANEL_CLERK]
        self.meetings = [
            PanelMeeting(
                held_on=m.held_on, chair=self.users[m.chair], notes=m.notes, created_by=clerk
            )
            for m in self.plan.meetings
        ]
        self.stamp(
            PanelMeeting,
            self.meetings,
            [at(m.held_on, 16, 30) for m in self.meetings],
            "created_at",
        )
        attendance = PanelMeeting.attending_agencies.through
        attendance.objects.bulk_create(
            attendance(panelmeeting_id=meeting.pk, agency_id=self.agencies[key].pk)
            for meeting, planned in zip(self.meetings, self.plan.meetings, strict=True)
            for key in ("police", "nps", "crc", *planned.partners)
        )

    def write_memberships(self) -> list[CohortMembership]:
        accepts = {
            id(proposal.period): proposal.steps[-1]
            for proposal in self.plan.proposals
            if proposal.status == ReferralStatus.ACCEPTED
        }
        rows, times = [], []
        for period in self.plan.periods:
            meeting = self.meetings[period.panel]
            period.row = CohortMembership(
                nominal=period.someone.nominal,
                stream=period.stream,
                national_category=period.category,
                lead_agency=self.agencies[period.someone.lead],
                entered_on=meeting.held_on,
                status=period.status,
                exited_on=period.exited_on,
                exit_reason=period.exit_reason,
                exit_details=period.exit_details,
                cap_override_reason=period.override_reason,
                cap_overridden_by=meeting.chair if period.overridden else None,
                version=1 if period.status == MembershipStatus.ACTIVE else 2,
            )
            rows.append(period.row)
            times.append(self.decided_at(accepts[id(period)]))
        self.stamp(CohortMembership, rows, times, "created_at", lambda m: m.nominal)
        return rows

    def write_referrals(self) -> list[Referral]:
        rows, times = [], []
        for proposal in self.plan.proposals:
            status = proposal.status
            deferrals = [s for s in proposal.steps if s.decision == Decision.DEFER]
            decided = status in (ReferralStatus.ACCEPTED, ReferralStatus.REJECTED)
            rows.append(
                Referral(
                    nominal=proposal.someone.nominal,
                    referring_agency=self.agencies[proposal.agency],
                    referred_by=self.users[proposal.username],
                    stream=proposal.stream,
                    national_category=proposal.category,
                    reasons=proposal.reasons,
                    supporting_information=proposal.supporting,
                    proposed_lead_agency=self.agencies[proposal.someone.lead],
                    status=status,
                    deferred_until=deferrals[-1].deferred_until if deferrals else None,
                    membership=proposal.period.row if proposal.period else None,
                    decided_at=self.decided_at(proposal.steps[-1]) if decided else None,
                    version=1 + len(proposal.steps),
                )
            )
            n = len(rows)
            times.append(at(proposal.created_on, 9 + n % 8, 7 * n % 60))
        self.stamp(Referral, rows, times, "created_at", lambda r: r.nominal)
        return rows

    def write_decisions(self, referrals: list[Referral]) -> list[PanelDecision]:
        rows, times = [], []
        for proposal, referral in zip(self.plan.proposals, referrals, strict=True):
            for step in proposal.steps:
                meeting = self.meetings[step.panel]
                rows.append(
                    PanelDecision(
                        referral=referral,
                        meeting=meeting,
                        decision=step.decision,
                        reason=step.reason,
                        deferred_until=step.deferred_until,
                        proposed_stream=referral.stream,
                        proposed_lead_agency=referral.proposed_lead_agency,
                        **_decided(step, referral),
                        decided_by=meeting.chair,
                    )
                )
                times.append(self.decided_at(step))
        self.stamp(PanelDecision, rows, times, "decided_at", lambda d: d.referral.nominal)
        return rows

    def write_engagement(self) -> list[Engagement]:
        fallback = self.users["officer.police"].pk
        rows, times = [], []
        for period in self.plan.periods:
            recorder = period.someone.manager_id or fallback
            for status, on, note in period.engagement:
                rows.append(
                    Engagement(
                        nominal=period.someone.nominal,
                        status=status,
                        on=on,
                        note=note,
                        recorded_by_id=recorder,
                    )
                )
                n = len(rows)
                times.append(at(on, 15 + n % 3, n * 11 % 60))
        self.stamp(Engagement, rows, times, "recorded_at", lambda e: e.nominal)
        return rows


def _decided(step, referral: Referral) -> dict:
    """An acceptance records the stream and lead agency the person joined with."""
    if step.decision != Decision.ACCEPT:
        return {}
    membership = referral.membership
    return {
        "stream": membership.stream if membership else referral.stream,
        "lead_agency": (membership.lead_agency if membership else None)
        or referral.proposed_lead_agency,
    }


def write(plan: Plan, result: core.SeedResult, earlier_events: int) -> None:
    usernames = {u for names in _REFERRERS.values() for u in names}
    usernames |= {*_CHAIRS, _PANEL_CLERK, "neighbourhood.officer"}
    writer = Writer(
        plan,
        users=core.users(sorted(usernames)),
        agencies={spec.key: core.agency(spec.key) for spec in core.AGENCIES},
    )
    writer.write_meetings()
    memberships = writer.write_memberships()
    referrals = writer.write_referrals()
    decisions = writer.write_decisions(referrals)
    engagements = writer.write_engagement()
    AuditEvent.objects.bulk_create(writer.events, batch_size=500)
    result.created.update(
        {
            "panel meetings": len(writer.meetings),
            "referrals": len(referrals),
            "panel decisions": len(decisions),
            "cohort memberships": len(memberships),
            "engagement records": len(engagements),
            "audit events": len(writer.events) + earlier_events,
        }
    )
