"""Licence and control-measure dates stay inside sane bounds, and a licence keeps covering
the breaches and sanctions recorded on it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cohorts.controls import services
from cohorts.controls.models import ControlMeasure, Licence
from iom.formatting import long_date
from tests.controls.factories import BreachFactory, LicenceFactory

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
YEAR_1 = datetime.date(1, 1, 1)
YEAR_9999 = datetime.date(9999, 12, 31)


@pytest.fixture
def licence(officer):
    return LicenceFactory(created_by=officer)


def _refusal(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as refused:
        call(**kwargs)
    return refused.value.message_dict


def _add_measure(officer, nominal, **dates):
    return services.add_control_measure(nominal, by=officer, kind="report", **dates)


def test_a_measure_starting_in_year_1_is_refused(officer, nominal):
    errors = _refusal(_add_measure, officer=officer, nominal=nominal, starts_on=YEAR_1)
    assert errors == {"starts_on": ["The start date must be after 1900"]}
    assert not ControlMeasure.objects.exists()


def test_a_measure_ending_in_9999_is_refused(officer, nominal):
    errors = _refusal(
        _add_measure, officer=officer, nominal=nominal, starts_on=TODAY, ends_on=YEAR_9999
    )
    assert errors["ends_on"][0].startswith("The end date must be on or before ")
    assert not ControlMeasure.objects.exists()


def test_a_measure_within_the_bounds_is_recorded(officer, nominal):
    measure = _add_measure(
        officer, nominal, starts_on=TODAY, ends_on=TODAY.replace(day=1) + 3650 * DAY
    )
    assert measure.pk


def test_changing_a_measure_to_end_in_9999_is_refused(officer, nominal):
    measure = _add_measure(officer, nominal, starts_on=TODAY)
    with pytest.raises(ValidationError, match="The end date must be on or before"):
        services.change_control_measure(
            measure.pk, by=officer, version=measure.version, status="active", ends_on=YEAR_9999
        )
    assert ControlMeasure.objects.get(pk=measure.pk).ends_on is None


def test_the_measure_page_gives_the_message_on_the_start_date(client, officer, nominal):
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:controls-measure-new", kwargs={"pk": nominal.pk}),
        {
            "kind": "report",
            "starts_on_day": "1",
            "starts_on_month": "1",
            "starts_on_year": "0001",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["starts_on"] == ["The start date must be after 1900"]
    assert not ControlMeasure.objects.exists()


def test_a_licence_released_in_year_1_is_refused(officer, nominal):
    errors = _refusal(
        services.create_licence,
        nominal=nominal,
        by=officer,
        release_date=YEAR_1,
        licence_expiry_date=TODAY,
        sentence_expiry_date=TODAY,
    )
    assert errors == {"release_date": ["The release date must be after 1900"]}
    assert not Licence.objects.exists()


def test_a_licence_expiring_in_9999_is_refused(officer, nominal):
    errors = _refusal(
        services.create_licence,
        nominal=nominal,
        by=officer,
        release_date=TODAY,
        licence_expiry_date=YEAR_9999,
        sentence_expiry_date=YEAR_9999,
    )
    assert set(errors) == {"licence_expiry_date", "sentence_expiry_date"}


def test_a_drug_test_in_year_1_is_refused(officer, nominal):
    errors = _refusal(
        services.record_drug_test, nominal=nominal, by=officer, tested_on=YEAR_1, outcome="negative"
    )
    assert errors == {"tested_on": ["The date of the test must be after 1900"]}


def test_a_licence_edit_that_would_leave_breaches_after_its_expiry_is_refused(officer, licence):
    BreachFactory(licence=licence, occurred_on=TODAY - 3 * DAY)
    BreachFactory(licence=licence, occurred_on=TODAY - 2 * DAY)
    errors = _refusal(
        services.update_licence,
        licence_id=licence.pk,
        by=officer,
        version=licence.version,
        changes={"licence_expiry_date": TODAY - 10 * DAY},
    )
    day1, day2 = (long_date(TODAY - n * DAY) for n in (3, 2))
    assert errors == {
        "licence_expiry_date": [
            f"Breach on {day1} and breach on {day2} would be after the licence expires: the "
            "licence expiry date must be on or after the last breach of this licence"
        ]
    }
    assert Licence.objects.get(pk=licence.pk).licence_expiry_date == licence.licence_expiry_date


def test_a_licence_edit_that_would_leave_a_breach_before_release_is_refused(officer, licence):
    breach = BreachFactory(licence=licence, occurred_on=licence.release_date + DAY)
    errors = _refusal(
        services.update_licence,
        licence_id=licence.pk,
        by=officer,
        version=licence.version,
        changes={"release_date": breach.occurred_on + DAY},
    )
    assert errors["release_date"][0].startswith(f"Breach on {long_date(breach.occurred_on)} would")


def test_a_licence_edit_that_keeps_its_breaches_inside_is_saved(officer, licence):
    breach = BreachFactory(licence=licence, occurred_on=TODAY - 3 * DAY)
    services.update_licence(
        licence.pk,
        by=officer,
        version=licence.version,
        changes={"licence_expiry_date": breach.occurred_on},
    )
    assert Licence.objects.get(pk=licence.pk).licence_expiry_date == breach.occurred_on


def test_a_licence_edit_that_meets_another_licence_is_refused(officer, licence):
    earlier = LicenceFactory(
        nominal=licence.nominal,
        release_date=licence.release_date - 400 * DAY,
        licence_expiry_date=licence.release_date - 100 * DAY,
        sentence_expiry_date=licence.release_date - 100 * DAY,
    )
    errors = _refusal(
        services.update_licence,
        licence_id=earlier.pk,
        by=officer,
        version=earlier.version,
        changes={"licence_expiry_date": licence.release_date + DAY},
    )
    assert "already has a licence for those dates" in errors["release_date"][0]


def test_the_licence_page_names_the_breaches_an_edit_would_leave_out(client, officer, licence):
    breach = BreachFactory(licence=licence, occurred_on=TODAY - 3 * DAY)
    new_expiry = TODAY - 10 * DAY
    client.force_login(officer)
    response = client.post(
        reverse(
            "cohorts:controls-licence", kwargs={"pk": licence.nominal.pk, "licence_id": licence.pk}
        ),
        {
            **{
                f"release_date_{part}": getattr(licence.release_date, part)
                for part in ("day", "month", "year")
            },
            **{
                f"licence_expiry_date_{part}": getattr(new_expiry, part)
                for part in ("day", "month", "year")
            },
            **{
                f"sentence_expiry_date_{part}": getattr(licence.sentence_expiry_date, part)
                for part in ("day", "month", "year")
            },
            "offence": licence.offence,
            "version": licence.version,
        },
    )
    assert response.status_code == 400
    message = response.context["form"].errors["licence_expiry_date"][0]
    assert f"Breach on {long_date(breach.occurred_on)}" in message
    breach_page = reverse("breach-detail", kwargs={"pk": breach.pk})
    assert client.get(breach_page).status_code == 200


def test_a_licence_edit_that_would_leave_a_sanction_before_release_is_refused(officer, licence):
    breach = BreachFactory(licence=licence, occurred_on=TODAY - 3 * DAY)
    sanction = services.record_sanction(
        licence, by=officer, level=1, issued_on=licence.release_date + DAY, breach=breach
    )
    errors = _refusal(
        services.update_licence,
        licence_id=licence.pk,
        by=officer,
        version=licence.version,
        changes={"release_date": sanction.issued_on + DAY},
    )
    assert errors["release_date"][0].startswith(
        f"{sanction.get_level_display()} issued on {long_date(sanction.issued_on)} would be before"
    )


def test_the_api_refuses_a_measure_starting_in_year_1_with_a_400(client, officer, nominal):
    client.force_login(officer)
    response = client.post(
        reverse("control-measure-list"),
        {"nominal": nominal.pk, "kind": "report", "starts_on": "0001-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["starts_on"] == ["The start date must be after 1900"]
    assert not ControlMeasure.objects.exists()
