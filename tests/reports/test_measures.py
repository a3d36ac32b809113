"""The worked examples of docs/measures.md, reproduced to the digit."""

import datetime

import pytest
from django.urls import reverse

from reports.measures import offending
from reports.models import (
    DEFAULT_PRICE_YEAR,
    SERIOUS_ACQUISITIVE,
    ReportConfiguration,
    UnitCost,
    unpriced_acquisitive,
)
from tests import factories

from .cohort_factories import charged, custody, member, proven

D = datetime.date


@pytest.fixture
def before_after_example(db):
    a = member(D(2023, 7, 1))
    b = member(D(2023, 7, 1))
    proven(a, D(2022, 8, 10))
    proven(a, D(2023, 1, 20))
    proven(a, D(2023, 3, 5))
    proven(a, D(2023, 5, 2), "theft-from-vehicle")
    proven(a, D(2024, 2, 12))
    charged(a, D(2024, 1, 3))
    custody(a, D(2022, 10, 1), D(2022, 12, 30))
    custody(a, D(2024, 3, 1))
    proven(b, D(2022, 9, 1), "robbery-personal")
    proven(b, D(2023, 2, 1), "robbery-personal")
    return offending.before_and_after(D(2024, 6, 30))


def test_before_and_after_counts_proven_offences_in_each_year(before_after_example):
    total = before_after_example.row("All proven offences")
    assert total[1:4] == [6, 1, -83.3]


def test_before_and_after_takes_custody_inside_each_window_out_of_time_at_liberty(
    before_after_example,
):
    summary = before_after_example.summary
    assert (summary["liberty_days_before"], summary["liberty_days_after"]) == (640, 609)


def test_before_and_after_gives_offences_per_person_year_at_liberty(before_after_example):
    assert before_after_example.row("All proven offences")[4:] == [3.42, 0.6]
    assert before_after_example.row("Burglary (dwelling)")[1:] == [3, 1, -66.7, 1.71, 0.6]


def test_before_and_after_leaves_out_members_whose_year_after_has_not_ended(db):
    member(D(2023, 7, 3))
    assert offending.before_and_after(D(2024, 6, 30)).summary["memberships"] == 0


def test_cost_avoided_in_2003_04_prices_matches_the_worked_example(before_after_example):
    table = offending.cost_avoided(before_after_example, "2003/04")
    assert table.row("Total")[-1] == 21958
    assert table.row("Burglary (dwelling)")[1:] == [3268, 3, 1, 2, 6536]


def test_cost_avoided_in_2015_16_prices_matches_the_worked_example(before_after_example):
    table = offending.cost_avoided(before_after_example, "2015/16")
    assert table.row("Total")[-1] == 23510
    assert "Research Report 99" in table.note


def test_cost_avoided_shows_an_offence_type_the_price_year_does_not_price(
    before_after_example,
):
    table = offending.cost_avoided(before_after_example, "2015/16")
    assert table.row("Burglary (dwelling)") == [
        "Burglary (dwelling)", offending.NOT_PRICED, 3, 1, 2, None,
    ]  # fmt: skip
    assert table.summary["not_priced"] == ["Burglary (dwelling)"]
    assert "Not priced in 2015/16, so not in the total: Burglary (dwelling)" in table.note
    # The total counts only what is priced: robbery and theft from a vehicle.
    assert table.row("Total")[4:] == [3, 23510]


def test_the_default_price_year_prices_every_serious_acquisitive_crime(db):
    """The migrations load the 2003/04 table, and the configuration uses it."""
    configuration = ReportConfiguration.current()
    assert configuration.unit_cost_price_year == DEFAULT_PRICE_YEAR == "2003/04"
    assert unpriced_acquisitive(DEFAULT_PRICE_YEAR) == []
    assert unpriced_acquisitive("2015/16") == ["Burglary (dwelling)"]
    priced = dict(UnitCost.objects.filter(price_year="2003/04").values_list("category", "cost"))
    assert {category: int(priced[category]) for category in SERIOUS_ACQUISITIVE} == {
        "burglary-dwelling": 3268,
        "robbery-personal": 7282,
        "theft-from-vehicle": 858,
        "theft-of-vehicle": 4138,
    }


@pytest.fixture
def superuser_client(client, db):
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    return client


def _change_configuration(client, price_year):
    configuration = ReportConfiguration.current()
    url = reverse("admin:reports_reportconfiguration_change", args=[configuration.pk])
    return client.post(
        url, {"unit_cost_price_year": price_year, "age_bands": "[18, 25, 35, 45]"}, follow=True
    )


def test_choosing_a_price_year_without_burglary_warns(superuser_client):
    page = _change_configuration(superuser_client, "2015/16").content.decode()
    assert ReportConfiguration.current().unit_cost_price_year == "2015/16"
    assert "2015/16 has no unit cost for Burglary (dwelling)" in page


def test_choosing_a_price_year_that_prices_all_does_not_warn(superuser_client):
    page = _change_configuration(superuser_client, "2003/04").content.decode()
    assert "has no unit cost for" not in page


def test_a_price_year_with_no_unit_costs_is_refused(superuser_client):
    page = _change_configuration(superuser_client, "1999/00").content.decode()
    assert "No unit cost prices an offence category in 1999/00" in page
    assert ReportConfiguration.current().unit_cost_price_year == "2003/04"


@pytest.fixture
def reoffending_example(db):
    joined = D(2023, 6, 1)
    c, d, e, f = (member(joined) for _ in range(4))
    custody(c, D(2023, 5, 1), D(2023, 10, 1))
    proven(c, D(2024, 3, 1), sanction_date=D(2024, 5, 1))
    proven(c, D(2024, 8, 1), sanction_date=D(2024, 9, 1))
    proven(d, D(2023, 11, 1), sanction="caution", sanction_date=D(2023, 11, 15))
    proven(e, D(2023, 12, 1), sanction_date=D(2024, 1, 10))
    proven(e, D(2024, 12, 1), sanction_date=D(2025, 9, 1))
    custody(f, D(2023, 12, 1), D(2024, 2, 1))
    proven(f, D(2024, 4, 1), sanction_date=D(2024, 6, 1))
    return offending.proven_reoffending(D(2025, 12, 31))


def test_reoffending_window_is_the_year_ending_547_days_before_the_period_end(
    reoffending_example,
):
    assert reoffending_example.summary == {
        "window_start": "2023-07-04",
        "window_end": "2024-07-02",
    }


def test_reoffending_rate_and_frequency_match_the_worked_example(reoffending_example):
    values = dict(reoffending_example.rows)
    assert values == {
        "Offenders in the cohort": 4,
        "Reoffenders": 2,
        "Proven reoffences": 3,
        "Binary reoffending rate (%)": 50.0,
        "Reoffences per offender": 0.75,
        "Reoffences per reoffender": 1.5,
    }


def test_reoffending_ignores_people_not_on_the_cohort_at_their_start(db):
    outsider = member(D(2024, 6, 1))
    custody(outsider, D(2023, 5, 1), D(2023, 10, 1))
    proven(outsider, D(2024, 3, 1), sanction_date=D(2024, 5, 1))
    assert dict(offending.proven_reoffending(D(2025, 12, 31)).rows)["Offenders in the cohort"] == 0


def test_an_offence_on_the_first_day_of_the_year_before_counts_and_one_a_year_after_does_not(db):
    nominal = member(D(2023, 7, 1))
    proven(nominal, D(2022, 7, 1))
    proven(nominal, D(2023, 6, 30))
    proven(nominal, D(2023, 7, 1), "robbery-personal")
    proven(nominal, D(2024, 6, 29), "robbery-personal")
    proven(nominal, D(2024, 6, 30), "robbery-personal")
    total = offending.before_and_after(D(2024, 6, 30)).row("All proven offences")
    assert total[1:3] == [2, 2]


def test_an_administrator_changes_the_unit_costs_in_the_admin_site(client, db):
    from tests import factories

    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    costs = client.get("/admin/reports/unitcost/")
    assert costs.status_code == 200
    assert "unit cost" in costs.content.decode().lower()
    configuration = client.get("/admin/reports/reportconfiguration/")
    assert configuration.status_code == 200
    assert "report configuration" in configuration.content.decode().lower()
