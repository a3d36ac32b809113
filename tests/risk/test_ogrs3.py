import csv
import math
from dataclasses import replace
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from django.db import connection

from cohorts.risk.ogrs3 import (
    OGRS3InputError,
    age_in_whole_years,
    calculate_ogrs3,
)
from cohorts.risk.ogrs3.reference import OGRS3_V3
from cohorts.risk.ogrs3.sql import calculation_ctes

VECTORS = Path(__file__).parent / "data" / "ogrs3_vectors.csv"
TOLERANCE = 1e-6
# The day the government's test data were scored (their follow-up starts on it).
SCORED_ON = date(2013, 3, 31)


def load_vectors() -> list[dict[str, str]]:
    with VECTORS.open(newline="") as handle:
        return list(csv.DictReader(handle))


def inputs(row: dict[str, str]) -> dict:
    return {
        "sex": row["sex"],
        "date_of_birth": date.fromisoformat(row["date_of_birth"]),
        "offence_category": int(row["offence_category_index"]),
        "previous_sanctions": int(row["previous_sanctions"]),
        "conviction_date": date.fromisoformat(row["conviction_date"]),
        "first_sanction_date": date.fromisoformat(row["first_sanction_date"]),
        "follow_up_start": date.fromisoformat(row["follow_up_start_date"]),
        "today": SCORED_ON,
    }


VECTOR_ROWS = load_vectors()
BY_CASE = {row["case"]: row for row in VECTOR_ROWS}
# The one published case to check (docs/ogrs3.md): a first sanction at 9, which no one in
# England and Wales can receive. It is scored as published, and flagged.
TO_CHECK = {"T677"}
T677_CHECK = (
    "the first sanction (5 February 2005) is dated when the person was 9, under the age of "
    "criminal responsibility (10): check the date of birth and the date of the first sanction"
)
# Records longer than 50 previous sanctions: the published figures need the count capped.
LONG_RECORDS = [row for row in VECTOR_ROWS if int(row["previous_sanctions"]) > 50]


def score_case(case: str, **changes):
    return calculate_ogrs3(**(inputs(BY_CASE[case]) | changes))


def test_the_vectors_file_holds_all_1000_published_cases():
    assert len(VECTOR_ROWS) == 1000
    assert len(BY_CASE) == 1000
    assert len(LONG_RECORDS) == 7


@pytest.mark.parametrize("row", VECTOR_ROWS, ids=[row["case"] for row in VECTOR_ROWS])
def test_reproduces_the_published_probabilities(row):
    result = calculate_ogrs3(**inputs(row))

    assert result.one_year == pytest.approx(float(row["expected_1yr"]), abs=TOLERANCE)
    assert result.two_year == pytest.approx(float(row["expected_2yr"]), abs=TOLERANCE)


def test_the_worked_example_in_the_documentation_is_reproduced_step_by_step():
    result = score_case("T17")

    assert (result.age_at_conviction, result.age_at_first_sanction) == (43, 38)
    assert result.age_at_follow_up == 43
    assert result.copas == pytest.approx(math.log(5 / 15))
    assert (result.one_year_percent, result.two_year_percent) == (36, 53)
    assert result.band.label == "Medium"


@pytest.mark.parametrize("row", LONG_RECORDS, ids=[row["case"] for row in LONG_RECORDS])
def test_a_record_over_fifty_previous_sanctions_scores_as_fifty(row):
    result = calculate_ogrs3(**inputs(row))

    assert result.counted_previous_sanctions == 50
    assert result.one_year == pytest.approx(float(row["expected_1yr"]), abs=TOLERANCE)
    assert result.two_year == pytest.approx(float(row["expected_2yr"]), abs=TOLERANCE)


def test_the_published_case_with_a_first_sanction_at_nine_is_scored_as_published():
    result = score_case("T677")

    assert result.age_at_first_sanction == 9
    assert result.one_year == pytest.approx(float(BY_CASE["T677"]["expected_1yr"]), abs=TOLERANCE)
    assert result.two_year == pytest.approx(float(BY_CASE["T677"]["expected_2yr"]), abs=TOLERANCE)


def test_a_first_sanction_before_ten_is_flagged_for_an_officer_to_check():
    assert score_case("T677").check_reason == T677_CHECK


@pytest.mark.parametrize("row", VECTOR_ROWS, ids=[row["case"] for row in VECTOR_ROWS])
def test_only_the_case_with_a_first_sanction_before_ten_is_flagged(row):
    assert bool(calculate_ogrs3(**inputs(row)).check_reason) == (row["case"] in TO_CHECK)


def test_a_follow_up_starting_before_ten_is_refused_as_the_scale_has_no_figures_for_it():
    # T17 born in 2004: first sanction at 4, convicted and followed up at 9.
    with pytest.raises(OGRS3InputError, match="OGRS3 has figures from the age of 10") as refused:
        score_case("T17", date_of_birth=date(2004, 1, 1))

    assert refused.value.field == "follow_up_start"


def test_fifty_one_previous_sanctions_score_the_same_as_fifty():
    fifty = score_case("T832", previous_sanctions=50)
    fifty_one = score_case("T832", previous_sanctions=51)

    assert fifty_one.two_year == fifty.two_year


def test_the_age_band_is_the_age_at_the_start_of_follow_up_not_at_conviction():
    # T64 was 27 at conviction (band 25-29) and 32 at the start of follow-up (band 30-34).
    result = score_case("T64")

    assert (result.age_at_conviction, result.age_at_follow_up) == (27, 32)
    assert result.two_year == pytest.approx(float(BY_CASE["T64"]["expected_2yr"]), abs=TOLERANCE)


def test_the_criminal_career_is_the_difference_of_ages_in_whole_years():
    # T66: first sanction 22 April 1987 at 14, conviction 23 March 2007 at 34; the dates are
    # 19 whole years apart, the ages 20. The published figure needs the 20.
    result = score_case("T66")

    assert result.age_at_conviction - result.age_at_first_sanction == 20
    assert result.two_year == pytest.approx(float(BY_CASE["T66"]["expected_2yr"]), abs=TOLERANCE)


def test_a_first_sanction_at_exactly_ten_is_accepted():
    result = score_case("T194")

    assert result.age_at_first_sanction == 10


def test_age_counts_a_year_only_on_the_birthday():
    born = date(1990, 6, 15)

    assert age_in_whole_years(born, date(2013, 6, 14)) == 22
    assert age_in_whole_years(born, date(2013, 6, 15)) == 23


def test_someone_born_on_29_february_ages_on_1_march_in_other_years():
    born = date(1992, 2, 29)

    assert age_in_whole_years(born, date(2013, 2, 28)) == 20
    assert age_in_whole_years(born, date(2013, 3, 1)) == 21


def test_the_category_can_be_given_by_its_code():
    by_index = score_case("T17")
    by_code = score_case("T17", offence_category="theft_from_vehicle")

    assert by_code == by_index


def test_sex_can_be_given_as_the_project_gender_value():
    assert score_case("T106", sex="female") == score_case("T106")


def test_the_result_records_the_model_version():
    assert score_case("T17").model_version == OGRS3_V3.version


def test_the_result_gives_whole_percentages_rounded_half_up():
    result = score_case("T17")  # 35.86% and 53.44%

    assert (result.one_year_percent, result.two_year_percent) == (36, 53)


@pytest.mark.parametrize(
    ("case", "band"),
    [
        ("T625", "low"),  # 4.1%
        ("T541", "medium"),  # 49.62%, which is 50% in whole percent
        ("T296", "medium"),  # 74.06%
        ("T792", "high"),  # 74.73%, 75% in whole percent
        ("T703", "high"),  # 75.27%
        ("T749", "very_high"),  # 89.59%, 90% in whole percent
        ("T700", "very_high"),  # 91.67%
    ],
)
def test_the_band_is_read_from_the_whole_two_year_percentage(case, band):
    assert score_case(case).band.code == band


def test_a_different_reference_version_is_used_and_recorded():
    reference = replace(OGRS3_V3, version="test version", copas_weight=0.0)

    result = score_case("T17", reference=reference)

    assert result.model_version == "test version"
    assert result.two_year != score_case("T17").two_year


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sex": "unknown"}, "sex"),
        ({"sex": "X"}, "sex"),
        ({"offence_category": 20}, "offence_category"),
        ({"offence_category": "arson"}, "offence_category"),
        ({"offence_category": True}, "offence_category"),
        ({"previous_sanctions": -1}, "previous_sanctions"),
        ({"previous_sanctions": 2.0}, "previous_sanctions"),
        ({"date_of_birth": date(2004, 1, 1)}, "follow_up_start"),  # followed up at 9
        ({"first_sanction_date": date(2013, 3, 22)}, "first_sanction_date"),  # after conviction
        ({"follow_up_start": date(2013, 3, 20)}, "follow_up_start"),  # before conviction
        ({"date_of_birth": date(2008, 3, 13)}, "date_of_birth"),  # born after first sanction
        ({"date_of_birth": date(2014, 1, 1)}, "date_of_birth"),  # in the future
        ({"follow_up_start": date(2013, 4, 1)}, "follow_up_start"),  # in the future
        ({"conviction_date": date(2013, 4, 1)}, "conviction_date"),  # in the future
        ({"previous_sanctions": 0}, "previous_sanctions"),  # yet an earlier first sanction
    ],
)
def test_an_impossible_input_is_refused_naming_the_input(changes, field):
    # T17: born 14 January 1970, first sanction 12 March 2008, convicted 21 March 2013.
    with pytest.raises(OGRS3InputError) as refused:
        score_case("T17", **changes)

    assert refused.value.field == field
    assert str(refused.value).startswith(f"{field}: ")


def test_an_impossible_input_error_is_a_value_error():
    assert issubclass(OGRS3InputError, ValueError)


def test_the_error_says_why_the_input_is_impossible():
    with pytest.raises(OGRS3InputError, match="the person was 9 on 31 March 2013"):
        score_case("T17", date_of_birth=date(2004, 1, 1))


def test_a_future_date_error_names_today():
    with pytest.raises(OGRS3InputError, match="today is 31 March 2013"):
        score_case("T17", follow_up_start=date(2013, 4, 1))


def test_the_reference_holds_20_categories_indexed_0_to_19_with_distinct_codes():
    categories = OGRS3_V3.offence_categories

    assert [category.index for category in categories] == list(range(20))
    assert len({category.code for category in categories}) == 20


def test_the_reference_age_bands_run_from_ten_without_gaps():
    bands = OGRS3_V3.age_bands

    assert bands[0].lowest == OGRS3_V3.minimum_age == 10
    assert all(later.lowest == earlier.highest + 1 for earlier, later in pairwise(bands))
    assert bands[-1].highest is None


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the set-based form runs on PostgreSQL; elsewhere the run calls calculate_ogrs3",
)
SQL_INPUTS = (
    "nominal_id, sex, date_of_birth, offence_category, previous_sanctions, conviction_date,"
    " first_sanction_date, follow_up_start"
)


def score_in_sql(rows: list[dict], today: date = SCORED_ON) -> dict[str, dict]:
    """Each row's inputs scored by the nightly run's SQL (``ogrs3.sql.calculation_ctes``)."""
    values, args = [], []
    for row in rows:
        given = inputs(row)
        values.append("(%s, %s, %s::date, %s, %s::int, %s::date, %s::date, %s::date)")
        args += [row["case"], given["sex"], given["date_of_birth"],
                 OGRS3_V3.offence_categories[given["offence_category"]].code,
                 given["previous_sanctions"], given["conviction_date"],
                 given["first_sanction_date"], given["follow_up_start"]]  # fmt: skip
    sql = f"""
        WITH corrected AS (
            SELECT v.*, ''::text AS offence_name, NULL::date AS in_custody_since
              FROM (VALUES {", ".join(values)}) AS v({SQL_INPUTS})
        ),
        {calculation_ctes(f"DATE '{today.isoformat()}'")}
        SELECT nominal_id, one_year, two_year, one_year_percent, two_year_percent, band,
               stop_input, stop_reason, check_reason
          FROM banded"""
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        names = [column[0] for column in cursor.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


@on_postgresql
@pytest.mark.django_db
def test_the_nightly_sql_scores_every_published_case_as_the_python_reference():
    scored = score_in_sql(VECTOR_ROWS)

    assert len(scored) == len(VECTOR_ROWS)
    differing = []
    for row in VECTOR_ROWS:
        expected, got = calculate_ogrs3(**inputs(row)), scored[row["case"]]
        same = (
            got["stop_input"] is None
            and got["one_year"] == expected.one_year
            and got["two_year"] == expected.two_year
            and (got["one_year_percent"], got["two_year_percent"])
            == (expected.one_year_percent, expected.two_year_percent)
            and got["band"] == expected.band.code
            and got["check_reason"] == expected.check_reason
            and abs(got["one_year"] - float(row["expected_1yr"])) <= TOLERANCE
            and abs(got["two_year"] - float(row["expected_2yr"])) <= TOLERANCE
        )
        if not same:
            differing.append(row["case"])
    assert differing == []
    assert scored["T677"]["check_reason"] == T677_CHECK


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        {"first_sanction_date": date(1980, 1, 13)},  # a first sanction at 9: scored, flagged
        {"date_of_birth": date(2004, 1, 1)},  # followed up at 9: refused
        {"follow_up_start": date(2013, 3, 20)},  # before the conviction: refused
        {"previous_sanctions": 0},  # yet an earlier first sanction: refused
    ],
)
def test_the_nightly_sql_flags_and_refuses_as_the_python_reference(changes):
    row = {**BY_CASE["T17"], "case": "changed"}
    for name, value in changes.items():
        column = "follow_up_start_date" if name == "follow_up_start" else name
        row[column] = str(value)
    try:
        expected = calculate_ogrs3(**inputs(row))
    except OGRS3InputError as error:
        expected_stop, expected_check, why = error.field, "", error.reason
    else:
        expected_stop, expected_check, why = None, expected.check_reason, ""

    scored = score_in_sql([row])["changed"]

    assert (scored["stop_input"], scored["check_reason"]) == (expected_stop, expected_check)
    assert (scored["stop_reason"] or "").endswith(why)


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("follow_up_start", "band_term_age"), [(date(2010, 2, 28), 17), (date(2010, 3, 1), 18)]
)
def test_the_nightly_sql_ages_a_person_on_their_birthday(follow_up_start, band_term_age):
    # Born 29 February 1992: 17 on 28 February 2010, 18 the next day (bands 16-17 and 18-20).
    row = {
        "case": "leap", "sex": "M", "offence_category_index": "0", "previous_sanctions": "2",
        "date_of_birth": "1992-02-29", "conviction_date": "2009-06-01",
        "first_sanction_date": "2003-03-01", "follow_up_start_date": follow_up_start.isoformat(),
    }  # fmt: skip
    expected = calculate_ogrs3(**inputs(row))

    scored = score_in_sql([row])["leap"]

    assert expected.age_at_follow_up == band_term_age
    assert scored["two_year"] == expected.two_year
