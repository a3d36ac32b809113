"""A person's control measures and offending on the Summary's timeline: every kind of record
read in one query per source, each entry as its record says, newest first."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts import summary
from cohorts.controls.models import Sanction
from iom.formatting import in_sentence, long_date
from tests import factories
from tests.risk import factories as risk

from . import factories as controls

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def case(officer):
    nominal = factories.CohortMembershipFactory().nominal
    records = controls.controls_case(nominal, officer)
    records["sanction"] = Sanction.objects.create(
        nominal=nominal,
        licence=records["licence"],
        breach=records["breach"],
        level=1,
        issued_on=TODAY - datetime.timedelta(days=2),
        issued_by=officer,
        notes="Told what a further breach means.",
    )
    records["offence"] = risk.DetectedOffenceFactory(
        nominal=nominal, committed_on=TODAY - datetime.timedelta(days=40), location="High St"
    )
    records["arrest"] = risk.ArrestFactory(
        nominal=nominal, arrested_on=TODAY - datetime.timedelta(days=41)
    )
    records["nominal"] = nominal
    return records


def _entries(case, officer, key: str) -> list[summary.TimelineEntry]:
    source = next(s for s in summary.sources(officer) if s.key == key)
    with CaptureQueriesContext(connection) as captured:
        entries = source.newest(case["nominal"], officer, 20)
    assert len(captured) == 1
    return entries


def test_every_kind_of_control_record_is_on_the_timeline_as_it_says(case, officer):
    licence, breach, recall = case["licence"], case["breach"], case["recall"]
    test, measure, sanction = case["drug_test"], case["measure"], case["sanction"]
    shown = {(e.title, e.byline, e.description) for e in _entries(case, officer, "controls")}
    assert shown == {
        (
            "Released on licence",
            "",
            f"Licence until {long_date(licence.licence_expiry_date)}: {licence.offence}",
        ),
        ("Breach of licence", f"by {breach.recorded_by}", breach.evidence),
        (sanction.get_level_display(), f"by {officer}", sanction.notes),
        (f"Recall started ({in_sentence(recall.get_status_display())})", "", recall.reason),
        (f"Drug test: {in_sentence(test.get_outcome_display())}", "", test.class_a_substances),
        (measure.get_kind_display(), "", measure.details),
    }


def test_offences_and_arrests_are_on_the_timeline_as_they_say(case, officer):
    offence, arrest = case["offence"], case["arrest"]
    shown = [(e.title, e.description) for e in _entries(case, officer, "offending")]
    assert shown == [
        (f"{offence.offence_type}: {in_sentence(offence.get_outcome_display())}", "High St"),
        (f"Arrested: {arrest.offence_type}", arrest.get_grounds_display()),
    ]


def test_the_newest_records_come_first_and_a_day_above_its_times(case, officer):
    entries = _entries(case, officer, "controls")
    assert [e.sort_key for e in entries] == sorted((e.sort_key for e in entries), reverse=True)
    recall = next(e for e in entries if e.title.startswith("Recall started"))
    assert recall.has_time
    assert recall.url == reverse(
        "cohorts:controls-recall", args=[case["nominal"].pk, case["recall"].pk]
    )


def test_the_limit_keeps_the_newest_entries_of_all_kinds(case, officer):
    source = next(s for s in summary.sources(officer) if s.key == "controls")
    everything = source.newest(case["nominal"], officer, 20)
    assert source.newest(case["nominal"], officer, 2) == everything[:2]


def test_the_summary_shows_them(client, case, officer):
    client.force_login(officer)
    page = client.get(reverse("cohorts:nominal", args=[case["nominal"].pk])).content.decode()
    assert "Breach of licence" in page
    assert "Arrested: " in page
