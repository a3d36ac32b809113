"""An override's expiry: today or later, and within a year, never 9999."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cohorts.dates import years_after
from cohorts.risk import services
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
