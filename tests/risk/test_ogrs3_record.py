"""OGRS3 from a person's record: the inputs the nightly run derives, corrections, and results."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cohorts.risk import services
from cohorts.risk.models import OffenceType, Ogrs3Correction, Ogrs3Result
from cohorts.risk.ogrs3 import calculate_ogrs3
from cohorts.risk.ogrs3 import services as ogrs3_services
from iom.models import AuditEvent
from tests import factories
from tests.risk import factories as risk
from tests.risk.ogrs3_factories import sanction

TODAY = datetime.date.today()
DAYS = datetime.timedelta(days=1)


def _result(nominal) -> Ogrs3Result:
    return Ogrs3Result.objects.filter(nominal=nominal).order_by("-assessed_on", "-id").first()


@pytest.fixture
def convicted(db):
    """A man born in 1990 with three sanction occasions, the latest a theft from a vehicle."""
    nominal = factories.members(1, nominal__date_of_birth=datetime.date(1990, 5, 17))[0]
    sanction(nominal, TODAY - 2000 * DAYS, code="46")
    sanction(nominal, TODAY - 900 * DAYS, code="28A", kind="caution")
    sanction(nominal, TODAY - 30 * DAYS, code="45")
    return nominal


def test_the_nightly_run_scores_a_member_from_the_record(convicted):
    services.rerank(TODAY)
    result = _result(convicted)
    expected = calculate_ogrs3(
        sex="male", date_of_birth=datetime.date(1990, 5, 17),
        offence_category="theft_from_vehicle", previous_sanctions=2,
        conviction_date=TODAY - 30 * DAYS, first_sanction_date=TODAY - 2000 * DAYS,
        follow_up_start=TODAY - 30 * DAYS, today=TODAY,
    )  # fmt: skip
    assert (result.previous_sanctions, result.offence_category) == (2, "theft_from_vehicle")
    assert result.first_sanction_date == TODAY - 2000 * DAYS
    assert result.two_year == pytest.approx(expected.two_year, abs=1e-12)
    assert result.band == expected.band.code
    assert result.model_version == "OGRS3 (Howard et al. 2009)"


def test_offences_dealt_with_on_one_day_are_one_sanction_occasion(convicted):
    sanction(convicted, TODAY - 900 * DAYS, code="49", kind="caution")
    services.rerank(TODAY)
    assert _result(convicted).previous_sanctions == 2


def test_the_current_offence_is_the_most_serious_of_the_latest_sanction(convicted):
    sanction(convicted, TODAY - 30 * DAYS, code="34B")  # robbery, gravity 4, same day
    services.rerank(TODAY)
    assert _result(convicted).offence_category == "robbery"


def test_a_very_long_record_is_capped_at_50_previous_sanctions_as_the_calculator_is(db):
    nominal = factories.members(1, nominal__date_of_birth=datetime.date(1960, 1, 1))[0]
    for n in range(79):
        sanction(nominal, datetime.date(1980, 1, 1) + n * 60 * DAYS, code="46")
    sanction(nominal, TODAY - 10 * DAYS, code="46")
    services.rerank(TODAY)
    result = _result(nominal)
    capped = calculate_ogrs3(
        sex="male", date_of_birth=datetime.date(1960, 1, 1), offence_category="theft_non_motor",
        previous_sanctions=50, conviction_date=TODAY - 10 * DAYS,
        first_sanction_date=datetime.date(1980, 1, 1), follow_up_start=TODAY - 10 * DAYS,
        today=TODAY,
    )  # fmt: skip
    assert result.previous_sanctions == 79
    assert result.one_year == pytest.approx(capped.one_year, abs=1e-12)


def test_follow_up_starts_at_the_release_from_the_custody_that_followed_the_conviction(convicted):
    risk.CustodyPeriodFactory(
        nominal=convicted, started_on=TODAY - 30 * DAYS, ended_on=TODAY - 5 * DAYS
    )
    services.rerank(TODAY)
    result = _result(convicted)
    assert (result.follow_up_start, result.released) == (TODAY - 5 * DAYS, True)


def test_a_person_still_in_custody_after_the_conviction_is_not_scored_and_says_why(convicted):
    risk.CustodyPeriodFactory(nominal=convicted, started_on=TODAY - 30 * DAYS)
    services.rerank(TODAY)
    result = _result(convicted)
    assert result.band == "" and result.two_year is None
    assert result.unscored_input == "follow_up_start"
    assert "missing start of follow-up (the release date)" in result.unscored_reason


def test_a_person_with_no_sanction_is_not_scored_and_says_which_input_is_missing(db):
    nominal = factories.members(1)[0]
    risk.DetectedOffenceFactory(nominal=nominal, committed_on=TODAY)  # charged, no sanction
    services.rerank(TODAY)
    result = _result(nominal)
    assert result.unscored_input == "conviction_date"
    assert result.unscored_reason.startswith("missing date of the current conviction or caution")


@pytest.mark.parametrize("gender", ["other", "unknown"])
def test_sex_other_or_not_known_cannot_be_scored(convicted, gender):
    convicted.gender = gender
    convicted.save()
    services.rerank(TODAY)
    result = _result(convicted)
    assert result.unscored_input == "sex"
    assert "OGRS3 has figures for men and women only" in result.unscored_reason


def test_an_offence_type_without_an_ogrs3_category_stops_the_score(convicted):
    OffenceType.objects.filter(code="45").update(ogrs3_category="")
    services.rerank(TODAY)
    result = _result(convicted)
    assert result.unscored_input == "offence_category"
    assert "Theft from a vehicle" in result.unscored_reason


def test_every_seeded_offence_type_has_an_ogrs3_category(db):
    assert not OffenceType.objects.filter(ogrs3_category="").exists()


def test_a_corrected_input_is_audited_with_the_old_and_new_value(convicted, officer):
    ogrs3_services.correct_input(
        convicted, by=officer, field="previous_sanctions", value=7,
        reason="PNC shows five sanctions from another force",
    )  # fmt: skip
    event = AuditEvent.objects.about(convicted).get(action="alteration")
    assert event.changes == {"previous_sanctions": ["2", "7"]}
    assert event.reason == "PNC shows five sanctions from another force"


def test_the_next_run_uses_a_corrected_input_and_says_who_corrected_it(convicted, officer):
    ogrs3_services.correct_input(
        convicted, by=officer, field="previous_sanctions", value=7, reason="PNC"
    )
    services.rerank(TODAY)
    result = _result(convicted)
    assert result.previous_sanctions == 7
    assert result.corrections["previous_sanctions"]["by"] == str(officer)
    assert result.corrections["previous_sanctions"]["record"] == "2"


def test_a_recorded_release_date_lets_a_person_in_custody_be_scored(convicted, officer):
    risk.CustodyPeriodFactory(nominal=convicted, started_on=TODAY - 30 * DAYS)
    ogrs3_services.correct_input(
        convicted, by=officer, field="follow_up_start",
        value=TODAY - 2 * DAYS, reason="Released on licence; custody end not yet recorded",
    )  # fmt: skip
    services.rerank(TODAY)
    assert _result(convicted).band != ""


def test_a_withdrawn_correction_is_no_longer_used(convicted, officer):
    correction = ogrs3_services.correct_input(
        convicted, by=officer, field="previous_sanctions", value=7, reason="PNC"
    )
    ogrs3_services.withdraw_correction(correction.pk, by=officer, version=correction.version)
    services.rerank(TODAY)
    assert _result(convicted).previous_sanctions == 2
    assert _result(convicted).corrections == {}


def test_a_correction_without_a_reason_is_refused_and_nothing_is_written(convicted, officer):
    with pytest.raises(ValidationError) as error:
        ogrs3_services.correct_input(
            convicted, by=officer, field="previous_sanctions", value=3, reason=" "
        )
    assert "reason" in error.value.error_dict
    assert not Ogrs3Correction.objects.exists()


@pytest.mark.parametrize(
    "field, value, named",
    [
        ("previous_sanctions", -1, "value"),
        ("conviction_date", TODAY + DAYS, "value"),
        ("offence_category", "shoplifting", "value"),
        ("sex", "male", "field"),
    ],
)
def test_an_impossible_correction_is_refused_naming_the_field(
    convicted, officer, field, value, named
):
    with pytest.raises(ValidationError) as error:
        ogrs3_services.correct_input(
            convicted, by=officer, field=field, value=value, reason="Because"
        )
    assert named in error.value.error_dict
    assert not Ogrs3Correction.objects.exists()


def test_someone_who_may_not_change_the_person_cannot_correct_an_input(convicted, outsider):
    with pytest.raises(PermissionDenied):
        ogrs3_services.correct_input(
            convicted, by=outsider, field="previous_sanctions", value=3, reason="Because"
        )
    assert not Ogrs3Correction.objects.exists()


def test_a_second_run_of_a_date_keeps_one_ogrs3_result_per_person(convicted):
    services.rerank(TODAY)
    services.rerank(TODAY)
    assert Ogrs3Result.objects.filter(nominal=convicted).count() == 1


def test_the_demo_shows_every_ogrs3_band_and_a_red_person_with_both_scores(db):
    import random

    from cohorts import demo as cohort_demo
    from cohorts.risk import demo
    from cohorts.risk.models import RiskAssessment
    from iom import demo as core

    core.seed(random.Random("core"), None)
    cohort_demo.seed(random.Random("cohorts"), None)
    demo.seed(random.Random("risk"), None)
    bands = set(Ogrs3Result.objects.exclude(band="").values_list("band", flat=True))
    assert bands == {"low", "medium", "high", "very_high"}
    red = RiskAssessment.objects.filter(band="red").values_list("nominal_id", flat=True)
    assert Ogrs3Result.objects.filter(nominal_id__in=red).exclude(band="").exists()
