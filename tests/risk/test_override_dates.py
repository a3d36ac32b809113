"""An override's expiry: today or later, and within a year, never 9999."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cohorts.dates import years_after
from cohorts.risk import services
from cohorts.risk.forms import OverrideForm
from cohorts.risk.models import RiskOverride

TODAY = datetime.date.today()


def _set(officer, nominal, expires_on):
    return services.set_override(
        nominal, by=officer, band="green", reason="Engaging well", expires_on=expires_on
    )


@pytest.mark.parametrize(
    "expires_on",
    [datetime.date(9999, 12, 31), years_after(TODAY, 1) + datetime.timedelta(days=1)],
    ids=["9999", "a year and a day"],
)
def test_an_override_expiring_more_than_a_year_ahead_is_refused(officer, nominal, expires_on):
    with pytest.raises(ValidationError) as refused:
        _set(officer, nominal, expires_on)
    (message,) = refused.value.message_dict["expires_on"]
    assert message.startswith("The expiry date must be on or before ")
    assert not RiskOverride.objects.exists()


def test_an_override_expiring_in_a_year_is_set(officer, nominal):
    assert _set(officer, nominal, years_after(TODAY, 1)).expires_on == years_after(TODAY, 1)


def test_the_override_page_gives_the_message_on_the_expiry(client, officer, nominal):
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:risk-override", kwargs={"pk": nominal.pk}),
        {
            "action": "set",
            "band": "green",
            "reason": "Engaging well",
            "expires_on_day": "31",
            "expires_on_month": "12",
            "expires_on_year": "9999",
        },
    )
    assert response.status_code == 400
    assert "The expiry date must be on or before" in response.content.decode()
    assert not RiskOverride.objects.exists()


def _form(expires_on: datetime.date) -> OverrideForm:
    return OverrideForm(
        {
            "band": "green",
            "reason": "Engaging well",
            "expires_on_day": str(expires_on.day),
            "expires_on_month": str(expires_on.month),
            "expires_on_year": str(expires_on.year),
        }
    )


def test_the_form_refuses_an_expiry_more_than_a_year_ahead_with_the_date_allowed(db):
    furthest = years_after(TODAY, 1)
    form = _form(furthest + datetime.timedelta(days=1))

    assert not form.is_valid()
    assert form.errors["expires_on"] == [
        f"The expiry date must be on or before {furthest.day} {furthest:%B %Y}: "
        "an override is looked at again within a year"
    ]


def test_the_form_accepts_an_expiry_exactly_a_year_ahead(db):
    assert _form(years_after(TODAY, 1)).is_valid()


def test_an_override_expiring_yesterday_is_refused(officer, nominal):
    with pytest.raises(ValidationError) as refused:
        _set(officer, nominal, TODAY - datetime.timedelta(days=1))
    assert refused.value.message_dict["expires_on"] == [
        "The expiry date must be today or in the future"
    ]
