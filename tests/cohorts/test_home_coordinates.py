"""A person's home carries British National Grid coordinates, typed by an officer."""

import pytest
from django.core.exceptions import ValidationError

from cohorts.services import update_nominal


def _set(nominal, officer, **changes):
    return update_nominal(nominal.pk, by=officer, version=nominal.version, changes=changes)


def test_an_officer_records_the_home_easting_and_northing(officer, nominal):
    saved = _set(nominal, officer, home_easting=458300, home_northing=304900)
    assert (saved.home_easting, saved.home_northing) == (458300, 304900)


def test_an_easting_outside_great_britain_is_refused_naming_the_field(officer, nominal):
    with pytest.raises(ValidationError) as error:
        _set(nominal, officer, home_easting=750000, home_northing=304900)
    assert "home_easting" in error.value.message_dict
    nominal.refresh_from_db()
    assert nominal.home_easting is None


def test_an_easting_without_a_northing_is_refused(officer, nominal):
    with pytest.raises(ValidationError) as error:
        _set(nominal, officer, home_easting=458300, home_northing=None)
    assert error.value.message_dict["home_northing"] == [
        "Enter both the easting and the northing of the home"
    ]
