"""Creating and changing nominals through the services."""

import pytest
from django.core.exceptions import ValidationError

from cohorts.models import Nominal
from cohorts.services import create_nominal, update_nominal
from iom.locking import StaleEditError
from iom.models import AuditAction, AuditEvent


def test_a_stale_edit_is_refused_and_the_newer_data_survives(officer, nominal):
    start = nominal.version
    update_nominal(nominal.pk, by=officer, version=start, changes={"surname": "Firstchange"})
    with pytest.raises(StaleEditError, match="Someone else changed this record"):
        update_nominal(nominal.pk, by=officer, version=start, changes={"surname": "Lateredit"})
    nominal.refresh_from_db()
    assert nominal.surname == "Firstchange"
    assert nominal.version == start + 1


def test_an_invalid_identifier_writes_nothing(officer, nominal):
    with pytest.raises(ValidationError) as error:
        update_nominal(
            nominal.pk,
            by=officer,
            version=nominal.version,
            changes={"surname": "Changed", "crn": "123456X"},
        )
    assert "crn" in error.value.message_dict
    nominal.refresh_from_db()
    assert nominal.surname != "Changed"
    assert not AuditEvent.objects.filter(action=AuditAction.ALTERATION).exists()


def test_identifiers_are_normalised_before_validation(officer):
    nominal = create_nominal(
        by=officer,
        first_names="Testy",
        surname="Person",
        date_of_birth="1990-01-01",
        crn=" x123456 ",
        prison_number="a1234bc",
    )
    assert (nominal.crn, nominal.prison_number) == ("X123456", "A1234BC")


def test_a_duplicate_identifier_is_refused_with_a_field_error(officer, nominal):
    with pytest.raises(ValidationError) as error:
        create_nominal(
            by=officer,
            first_names="Other",
            surname="Person",
            date_of_birth="1990-01-01",
            pnc_id=nominal.pnc_id,
        )
    assert "pnc_id" in error.value.message_dict
    assert Nominal.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pnc_id", "09/123456A"),
        ("pnc_id", "2009/0123456"),
        ("cro_number", "12345609X"),
        ("crn", "XX12345"),
        ("prison_number", "A123BCD"),
    ],
)
def test_bad_identifiers_give_field_errors(officer, field, value):
    with pytest.raises(ValidationError) as error:
        create_nominal(
            by=officer, first_names="A", surname="B", date_of_birth="1990-01-01", **{field: value}
        )
    assert field in error.value.message_dict


def test_unchanged_save_writes_no_alteration(officer, nominal):
    update_nominal(nominal.pk, by=officer, version=nominal.version, changes={})
    assert not AuditEvent.objects.filter(action=AuditAction.ALTERATION).exists()


def test_creating_a_nominal_is_audited_as_a_collection(officer):
    nominal = create_nominal(
        by=officer, first_names="Testy", surname="Person", date_of_birth="1990-01-01"
    )
    assert AuditEvent.objects.about(nominal).filter(action=AuditAction.COLLECTION).exists()
