"""The figures the database works out, against the same figures worked out by hand for a small
fixed world: six memberships, their custody and proven offences, two RAG assessments, four
recalls, breaches and drug tests, seen from March 2025."""

import datetime

import pytest
from django.db.backends.utils import CursorWrapper

from cohorts.risk.models import RankingRun, RiskAssessment, RiskModelVersion
from reports import measures
from reports.measures.periods import Period
from tests.controls import factories as controls

from .cohort_factories import custody, member, proven

D = datetime.date
MARCH = Period(D(2025, 3, 1), D(2025, 3, 31))


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def _assess(nominal, day: datetime.date, band: str, order: int) -> None:
    run = RankingRun.objects.create(kind="on-demand", run_date=day, status="succeeded")
    RiskAssessment.objects.create(
        run=run, nominal=nominal, model_version=RiskModelVersion.current(), assessed_on=day,
        score=1, band=band, band_order=order, is_member=True,
    )  # fmt: skip


def _recall(started_at, *, breach_on, status="returned", **steps):
    return controls.RecallFactory(
        started_at=started_at, status=status, breach__occurred_on=breach_on, **steps
    )


@pytest.fixture
def world(db):
    a = member(D(2024, 1, 10))
    member(D(2025, 3, 5), stream="ppo")  # B
    c = member(D(2023, 6, 1), exited_on=D(2025, 3, 20), exit_reason="moved", status="exited")
    member(
        D(2024, 11, 15), exited_on=D(2025, 2, 10), exit_reason="risk-reduced", status="exited"
    )  # D
    e = member(D(2022, 1, 1), exited_on=D(2023, 2, 1), exit_reason="deceased", status="exited")
    f = member(D(2022, 5, 1), exited_on=D(2023, 3, 15), exit_reason="deceased", status="exited")

    # A: a year before entry [2023-01-10, 2024-01-10) and after [2024-01-10, 2025-01-09).
    proven(a, D(2023, 5, 1))  # before; its sanction (31 May 2023) is a start, but A was
    proven(a, D(2024, 6, 1))  # not on the cohort then. After.
    custody(a, D(2023, 12, 1), D(2024, 2, 1))  # 40 days before entry, 22 after
    # C: before [2022-06-01, 2023-06-01), after [2023-06-01, 2024-05-31).
    proven(c, D(2024, 1, 1), "robbery-personal")  # after
    custody(c, D(2022, 1, 1), D(2022, 12, 31))  # 213 days before; a release, but C joined later
    custody(c, D(2024, 5, 1))  # still in custody: 30 days of the year after
    # E: after [2022-01-01, 2023-01-01). Released on 15 November 2022: the start.
    custody(e, D(2022, 10, 1), D(2022, 11, 15))  # 45 days after
    proven(e, D(2022, 12, 1))  # after entry; a reoffence, proven 31 December 2022
    proven(e, D(2023, 6, 1))  # a reoffence, proven 1 July 2023
    proven(e, D(2023, 11, 1), sanction_date=D(2024, 9, 1))  # proven too late
    # F: after [2022-05-01, 2023-05-01); starts when sentenced on 1 March 2023.
    proven(f, D(2023, 1, 30), sanction_date=D(2023, 3, 1))

    _assess(a, D(2025, 2, 20), "amber", 2)
    _assess(a, D(2025, 3, 15), "red", 1)

    _recall(
        _at(D(2025, 3, 2), 9), breach_on=D(2025, 3, 1),
        probation_contacted_at=_at(D(2025, 3, 2), 11), returned_to_custody_at=_at(D(2025, 3, 3), 9),
    )  # fmt: skip
    _recall(
        _at(D(2025, 2, 27), 10), breach_on=D(2025, 2, 26),
        probation_contacted_at=_at(D(2025, 2, 27), 14),
        returned_to_custody_at=_at(D(2025, 3, 10), 10),
    )  # fmt: skip
    _recall(
        _at(D(2025, 3, 15), 8), breach_on=D(2025, 3, 14), status="booked",
        probation_contacted_at=_at(D(2025, 3, 15), 9),
    )  # fmt: skip
    _recall(
        _at(D(2025, 3, 20), 12), breach_on=D(2025, 3, 19),
        returned_to_custody_at=_at(D(2025, 3, 21), 18),
    )  # fmt: skip
    controls.DrugTestFactory(tested_on=D(2025, 3, 4), outcome="negative")
    controls.DrugTestFactory(
        tested_on=D(2025, 3, 18), outcome="positive", class_a_substances="Cocaine"
    )
    controls.DrugTestFactory(
        tested_on=D(2025, 2, 28), outcome="positive", class_a_substances="Cocaine"
    )

    return {table["key"]: table for table in measures.build(MARCH)["tables"]}


def _row(table: dict, label: str) -> list:
    return next(row for row in table["rows"] if row[0] == label)


def test_the_cohort_by_month_counts_members_entries_and_exits_by_reason(world):
    months = world["cohort-by-month"]
    # Month, cohort at its end, entries, exits, then exits by reason in ExitReason's order:
    # risk reduced, devolved, long custody, moved, deceased, other.
    assert _row(months, "Apr 2023") == ["Apr 2023", 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert _row(months, "Jun 2023") == ["Jun 2023", 1, 1, 0, 0, 0, 0, 0, 0, 0]
    assert _row(months, "Jan 2024") == ["Jan 2024", 2, 1, 0, 0, 0, 0, 0, 0, 0]
    assert _row(months, "Nov 2024") == ["Nov 2024", 3, 1, 0, 0, 0, 0, 0, 0, 0]
    assert _row(months, "Feb 2025") == ["Feb 2025", 2, 0, 1, 1, 0, 0, 0, 0, 0]
    assert _row(months, "Mar 2025") == ["Mar 2025", 2, 1, 1, 0, 0, 0, 1, 0, 0]
    assert len(months["rows"]) == 24


def test_the_make_up_counts_the_members_at_the_end_of_the_month(world):
    # A and B are the members on 31 March 2025.
    assert world["lead-agency"]["rows"] == [["Demo Police", 2], ["Total", 2]]
    assert _row(world["stream"], "Serious Acquisitive Crime")[1] == 1
    assert _row(world["stream"], "Prolific and Priority Offender")[1] == 1
    assert [row for row in world["rag-band"]["rows"] if row[1]] == [
        ["Red", 1], ["Not ranked", 1], ["Total", 2],
    ]  # fmt: skip
    assert world["area"]["rows"] == [["City", 2], ["County", 0], ["Total", 2]]
    assert _row(world["age-band"], "25–34")[1] == 2  # born 17 May 1990
    assert _row(world["engagement"], "Not recorded")[1] == 2
    assert _row(world["housing-need"], "Not assessed")[1] == 2


def test_rag_movements_compare_the_band_on_the_eve_of_the_month_with_its_end(world):
    movements = world["rag-movements"]
    assert movements["summary"] == {"moved_up": 1, "moved_down": 0}
    # Rows: band before (Red, Amber, Green, Not ranked); columns: now Red, Amber, Green,
    # Not ranked, total.
    assert movements["rows"] == [
        ["Red", 0, 0, 0, 0, 0],
        ["Amber", 1, 0, 0, 0, 1],
        ["Green", 0, 0, 0, 0, 0],
        ["Not ranked", 0, 0, 0, 1, 1],
    ]


def test_before_and_after_counts_offences_and_days_at_liberty_of_each_membership(world):
    table = world["before-after"]
    # Entered by 1 April 2024: A, C, E and F.
    assert table["summary"]["memberships"] == 4
    # Before: (365 - 40) + (365 - 213) + 365 + 365; after: (365 - 22) + (365 - 30) +
    # (365 - 45) + 365.
    assert table["summary"]["liberty_days_before"] == 1207
    assert table["summary"]["liberty_days_after"] == 1363
    before, after = (
        {category: n for category, n in table["summary"][year].items() if n}
        for year in ("before", "after")
    )
    assert before == {"burglary-dwelling": 1}
    assert after == {"burglary-dwelling": 3, "robbery-personal": 1}
    # 1 x 365 / 1207 and 4 x 365 / 1363 per person-year at liberty.
    assert _row(table, "All proven offences")[1:] == [1, 4, 300.0, 0.3, 1.07]


def test_proven_reoffending_counts_the_members_at_their_start_and_their_reoffences(world):
    # Starts in 2 October 2022 to 1 October 2023: E (released 15 November 2022) and F
    # (sentenced 1 March 2023) were members then; A and C were not. E reoffended twice.
    assert dict(world["reoffending"]["rows"]) == {
        "Offenders in the cohort": 2,
        "Reoffenders": 1,
        "Proven reoffences": 2,
        "Binary reoffending rate (%)": 50.0,
        "Reoffences per offender": 1.0,
        "Reoffences per reoffender": 2.0,
    }


def test_control_measures_count_breaches_recalls_and_tests_with_median_times(world):
    values = dict(world["controls"]["rows"])
    assert values["Breaches recorded"] == 3
    assert values["Recalls started"] == 3
    assert values["Recalls completed (returned to custody)"] == 3
    # Returned in March: probation contacted after 2 and 4 hours (the third did not record
    # it), returned after 24, 264 and 30 hours.
    assert values["Median hours from start of recall to: probation contacted"] == 3.0
    assert values["Median hours from start of recall to: arrested and returned to custody"] == 30.0
    assert values["Median hours from start of recall to: recall paperwork completed"] is None
    assert values["Drug tests"] == 2
    assert values["Drug tests: positive for Class A"] == 1
    assert values["Drug tests: negative for Class A"] == 1


def test_recalls_in_progress_at_the_end_of_the_month_are_counted(world):
    assert dict(world["attention"]["rows"])["Recalls in progress"] == 1


def _rows_fetched(monkeypatch) -> list[int]:
    """The number of rows each fetch from the database returns, from now on."""
    fetched: list[int] = []

    def counted(name):
        def fetch(self, *args):
            rows = getattr(self.cursor, name)(*args)
            fetched.append(int(rows is not None) if name == "fetchone" else len(rows))
            return rows

        return fetch

    for name in ("fetchone", "fetchmany", "fetchall"):
        monkeypatch.setattr(CursorWrapper, name, counted(name), raising=False)
    return fetched


def test_the_figures_come_back_in_as_many_rows_for_a_larger_cohort(world, monkeypatch):
    fetched = _rows_fetched(monkeypatch)
    measures.build(MARCH)
    small = sum(fetched)
    for _ in range(10):
        nominal = member(D(2024, 1, 10))
        proven(nominal, D(2023, 5, 1))
        proven(nominal, D(2024, 6, 1))
        custody(nominal, D(2023, 12, 1), D(2024, 2, 1))
        # A quicker and a slower recall than any other: the medians stay where they were.
        started = _at(D(2025, 3, 5), 9)
        for hours in (1, 500):
            later = started + datetime.timedelta(hours=hours)
            _recall(
                started, breach_on=D(2025, 3, 4),
                probation_contacted_at=later, returned_to_custody_at=later,
            )  # fmt: skip
    fetched.clear()
    tables = {table["key"]: table for table in measures.build(MARCH)["tables"]}
    assert sum(fetched) == small
    assert tables["before-after"]["summary"]["memberships"] == 14
    assert dict(tables["controls"]["rows"])["Recalls completed (returned to custody)"] == 23
