import csv
import math
from dataclasses import replace
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db.models import DateField, IntegerField, Value

from cohorts.risk.ogrs3 import (
    OGRS3InputError,
    age_in_whole_years,
    band_of,
    calculate_ogrs3,
    ogrs3_annotations,
)
from cohorts.risk.ogrs3_reference import OGRS3_V3

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

# Records longer than 50 previous sanctions, from the same government test data (the full
# 1000-case fixture of NOMS Digital Studio's rsr-calculator, test/data/ogrs3.json); none of
# the 100 vectors has more than 30. Expected values are the spreadsheet's.
LONG_RECORDS = [
    # case, sex, category, previous, born, convicted, first sanction, 1 year, 2 years
    ("T37", "M", 2, 79, "1970-01-05", "2012-11-13", "1983-06-27", 0.7075436366487633,
     0.8323852423623939),
    ("T344", "M", 16, 51, "1982-08-12", "2013-03-27", "1999-03-30", 0.8439176862315757,
     0.9173454871930659),
    ("T348", "M", 3, 54, "1973-07-18", "2011-10-03", "1989-05-11", 0.7399084270348059,
     0.8537893302829811),
    ("T487", "M", 12, 55, "1979-04-09", "2010-11-19", "1996-02-09", 0.8595668469181983,
     0.9262757567215979),
    ("T678", "M", 16, 71, "1965-01-05", "2013-03-18", "1981-11-05", 0.6929203802514559,
     0.8224377192267873),
    ("T835", "M", 18, 69, "1966-06-16", "2011-08-01", "1981-06-04", 0.6717614076744579,
     0.8077266693233566),
    ("T854", "M", 0, 74, "1970-11-20", "2013-03-26", "1984-04-30", 0.668534851886229,
     0.80544956522296),
]  # fmt: skip


def score_case(case: str, **changes):
    return calculate_ogrs3(**(inputs(BY_CASE[case]) | changes))


def test_the_vectors_file_holds_all_100_published_cases():
    assert len(VECTOR_ROWS) == 100
    assert len(BY_CASE) == 100


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


@pytest.mark.parametrize("case", LONG_RECORDS, ids=[case[0] for case in LONG_RECORDS])
def test_a_record_over_fifty_previous_sanctions_scores_as_fifty(case):
    _, sex, category, previous, born, convicted, first, one_year, two_years = case
    result = calculate_ogrs3(
        sex=sex,
        date_of_birth=date.fromisoformat(born),
        offence_category=category,
        previous_sanctions=previous,
        conviction_date=date.fromisoformat(convicted),
        first_sanction_date=date.fromisoformat(first),
        follow_up_start=SCORED_ON,
        today=SCORED_ON,
    )

    assert result.counted_previous_sanctions == 50
    assert result.one_year == pytest.approx(one_year, abs=TOLERANCE)
    assert result.two_year == pytest.approx(two_years, abs=TOLERANCE)


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
        ({"first_sanction_date": date(1980, 1, 13)}, "first_sanction_date"),  # aged 9
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
    with pytest.raises(OGRS3InputError, match="the person was 9 on 13 January 1980"):
        score_case("T17", first_sanction_date=date(1980, 1, 13))


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


def score_in_the_database(**values):
    """One row's OGRS3 computed by the database from literal inputs."""
    dates = ("date_of_birth", "conviction_date", "first_sanction_date", "follow_up_start")
    expressions = {
        name: Value(value, output_field=DateField()) if name in dates else Value(value)
        for name, value in values.items()
    }
    expressions["previous_sanctions"] = Value(values["previous_sanctions"], IntegerField())
    annotations = ogrs3_annotations(**expressions)
    return Group.objects.annotate(**annotations).values(*annotations).get()


@pytest.fixture
def one_row(db):
    Group.objects.create(name="any single row")


@pytest.mark.parametrize("row", VECTOR_ROWS, ids=[row["case"] for row in VECTOR_ROWS])
def test_the_database_expression_gives_the_same_scores_as_the_function(one_row, row):
    values = inputs(row)
    del values["today"]
    values["offence_category"] = OGRS3_V3.offence_categories[values["offence_category"]].code
    expected = calculate_ogrs3(**inputs(row))

    scored = score_in_the_database(**values)

    assert scored["ogrs3_1yr"] == pytest.approx(expected.one_year, abs=1e-12)
    assert scored["ogrs3_2yr"] == pytest.approx(expected.two_year, abs=1e-12)
    assert band_of(scored["ogrs3_2yr"]) == (expected.two_year_percent, expected.band)


def test_the_database_expression_caps_previous_sanctions_at_fifty(one_row):
    case = LONG_RECORDS[0]
    _, sex, category, previous, born, convicted, first, _, two_years = case

    scored = score_in_the_database(
        sex=sex,
        date_of_birth=date.fromisoformat(born),
        offence_category=OGRS3_V3.offence_categories[category].code,
        previous_sanctions=previous,
        conviction_date=date.fromisoformat(convicted),
        first_sanction_date=date.fromisoformat(first),
        follow_up_start=SCORED_ON,
    )

    assert scored["ogrs3_2yr"] == pytest.approx(two_years, abs=TOLERANCE)


def test_the_database_expression_gives_no_score_for_a_sex_without_terms(one_row):
    values = inputs(BY_CASE["T17"]) | {"sex": "unknown", "offence_category": "violence"}
    del values["today"]

    scored = score_in_the_database(**values)

    assert scored == {"ogrs3_1yr": None, "ogrs3_2yr": None}


@pytest.mark.parametrize(
    ("follow_up_start", "band_term_age"), [(date(2010, 2, 28), 17), (date(2010, 3, 1), 18)]
)
def test_the_database_expression_ages_a_person_on_their_birthday(
    one_row, follow_up_start, band_term_age
):
    # Born 29 February 1992: 17 on 28 February 2010, 18 the next day (bands 16-17 and 18-20).
    values = {
        "sex": "male",
        "date_of_birth": date(1992, 2, 29),
        "offence_category": "violence",
        "previous_sanctions": 2,
        "conviction_date": date(2009, 6, 1),
        "first_sanction_date": date(2003, 3, 1),
        "follow_up_start": follow_up_start,
    }
    expected = calculate_ogrs3(**values, today=SCORED_ON)

    scored = score_in_the_database(**values)

    assert expected.age_at_follow_up == band_term_age
    assert scored["ogrs3_2yr"] == pytest.approx(expected.two_year, abs=1e-12)
