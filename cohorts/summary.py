"""What other apps add to a person's Summary: entries of the timeline, and the record behind
the engagement status.

The Summary belongs to ``cohorts``, but most of what is recorded about a person (offending,
intelligence, contacts, pathway actions, control measures) belongs to apps built on top of
it, which ``cohorts`` must not import. Those apps register a ``TimelineSource`` (and, for
engagement, an ``EngagementEvidence``) here from their ``AppConfig.ready``, as they register
cohort-list columns in ``cohorts.listing``.

A source returns at most ``limit`` entries, newest first, in one query (two at most),
already filtered to what the user may see of the person; the timeline merges them. So a
page of the timeline costs one query per source, whatever the length of the history.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from iom import sharing

TIMELINE_PAGE_SIZE = 20


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # the source's key
    at: datetime.datetime | datetime.date
    title: str
    byline: str = ""
    description: str = ""
    url: str = ""

    @property
    def sort_key(self) -> datetime.datetime:
        at = self.at
        if isinstance(at, datetime.datetime):
            return timezone.localtime(at) if timezone.is_aware(at) else at
        # A day without a time sorts as the end of that day: above its timed entries.
        return timezone.make_aware(datetime.datetime.combine(at, datetime.time.max))

    @property
    def has_time(self) -> bool:
        return isinstance(self.at, datetime.datetime)


@dataclass(frozen=True)
class TimelineSource:
    key: str
    label: str  # the name of the filter: "Contacts"
    # entries(nominal, user, limit) -> at most ``limit`` entries, newest first.
    entries: Callable[..., list[TimelineEntry]]
    # The part of the record the source shows (iom.sharing); None: anyone who sees the person.
    section: str | None = None
    order: int = 100


_SOURCES: dict[str, TimelineSource] = {}


def register(source: TimelineSource) -> None:
    """Add a timeline source (idempotent: registering a key again replaces it)."""
    _SOURCES[source.key] = source


def sources(user) -> list[TimelineSource]:
    """The sources ``user`` may see: those whose part of the record their agreements cover."""
    terms = sharing.terms_for(user)
    shown = [s for s in _SOURCES.values() if s.section is None or terms.covers(s.section)]
    return sorted(shown, key=lambda s: (s.order, s.key))


@dataclass(frozen=True)
class TimelinePage:
    entries: list[TimelineEntry]
    number: int
    has_next: bool
    kinds: list[TimelineSource]
    kind: str

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def timeline(
    nominal, user, *, kind: str = "", page: int = 1, page_size: int = TIMELINE_PAGE_SIZE
) -> TimelinePage:
    """One page of everything recorded about the person that the user may see, newest first;
    only one kind of record with ``kind``. Each source is asked for the entries up to the end
    of the page (and one more, to know whether there is a next page): one query per source."""
    shown = sources(user)
    wanted = [s for s in shown if s.key == kind] if kind else shown
    page = max(1, page)
    limit = page * page_size + 1
    merged: list[TimelineEntry] = []
    for source in wanted:
        merged.extend(source.entries(nominal, user, limit))
    merged.sort(key=lambda entry: entry.sort_key, reverse=True)
    start = (page - 1) * page_size
    return TimelinePage(
        entries=merged[start : start + page_size],
        number=page,
        has_next=len(merged) > start + page_size,
        kinds=shown,
        kind=kind if wanted else "",
    )


# --- Engagement -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EngagementEvidence:
    key: str
    # describe(nominal, user) -> a sentence ("Attended 9 of the last 12 appointments") or "".
    describe: Callable[..., str]
    section: str | None = None


_EVIDENCE: dict[str, EngagementEvidence] = {}


def register_engagement_evidence(evidence: EngagementEvidence) -> None:
    _EVIDENCE[evidence.key] = evidence


def engagement_evidence(nominal, user) -> list[str]:
    """What the record says about the person's engagement, for the Summary."""
    terms = sharing.terms_for(user)
    sentences = []
    for evidence in _EVIDENCE.values():
        if evidence.section is None or terms.covers(evidence.section):
            sentence = evidence.describe(nominal, user)
            if sentence:
                sentences.append(sentence)
    return sentences
