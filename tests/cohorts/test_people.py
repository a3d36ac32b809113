"""Adding a person directly, aliases, the photograph and changing offender managers."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cohorts import services
from cohorts.models import Alias, Nominal
from cohorts.services.duplicates import NewPerson, PossibleDuplicates
from iom.locking import StaleEditError
from iom.models import AuditAction, AuditEvent
from tests import factories
from tests.sharing import share_with

BORN = datetime.date(1990, 3, 27)


def _person(**overrides) -> NewPerson:
    return NewPerson(**{"first_names": "Dale", "surname": "Ferncastle", "date_of_birth": BORN,
                        **overrides})  # fmt: skip


def _image(kind: str = "JPEG", size=(300, 400), **save) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 80, 40)).save(buffer, format=kind, **save)
    return SimpleUploadedFile(f"photo.{kind.lower()}", buffer.getvalue())


# --- Adding a person -------------------------------------------------------------------------


def test_an_officer_adds_a_person_without_a_referral(officer):
    nominal = services.add_person(_person(pnc_id="2009/0123456A"), by=officer)
    assert nominal.surname == "Ferncastle"
    assert AuditEvent.objects.about(nominal).filter(action=AuditAction.COLLECTION).exists()


def test_a_person_like_an_alias_of_a_record_is_a_possible_duplicate(officer):
    existing = factories.NominalFactory(date_of_birth=BORN)
    factories.AliasFactory(nominal=existing, surname="Ferncastle", date_of_birth=None)
    with pytest.raises(PossibleDuplicates) as raised:
        services.add_person(_person(), by=officer)
    assert list(raised.value.matches) == [existing]
    assert Nominal.objects.count() == 1
    services.add_person(_person(), by=officer, confirmed_new_person=True)
    assert Nominal.objects.count() == 2


def test_a_partner_cannot_add_a_person_directly(outsider):
    with pytest.raises(PermissionDenied):
        services.add_person(_person(), by=outsider)
    assert not Nominal.objects.exists()


def test_the_add_page_is_forbidden_to_a_partner(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("cohorts:person-new")).status_code == 403


def test_the_add_page_shows_look_alikes_before_adding(client, officer):
    factories.NominalFactory(surname="Ferncastle", date_of_birth=BORN)
    client.force_login(officer)
    data = {"first_names": "Dale", "surname": "Ferncastle", "date_of_birth_day": 27,
            "date_of_birth_month": 3, "date_of_birth_year": 1990, "gender": "male"}  # fmt: skip
    response = client.post(reverse("cohorts:person-new"), data)
    assert response.status_code == 409
    assert Nominal.objects.count() == 1
    response = client.post(reverse("cohorts:person-new"), {**data, "confirmed_new_person": "on"})
    assert response.status_code == 302
    assert Nominal.objects.count() == 2


# --- Aliases --------------------------------------------------------------------------------


def test_aliases_are_added_changed_and_removed_with_old_and_new_values(officer, nominal):
    alias = services.add_alias(nominal, by=officer, surname="Smyth", first_names="Jon")
    services.update_alias(alias.pk, by=officer, version=1, changes={"surname": "Smythe"})
    changed = AuditEvent.objects.get(action=AuditAction.ALTERATION, object_id=str(alias.pk))
    assert changed.changes["surname"] == ["Smyth", "Smythe"]
    with pytest.raises(StaleEditError):
        services.update_alias(alias.pk, by=officer, version=1, changes={"surname": "Smith"})
    services.remove_alias(alias.pk, by=officer, version=2)
    assert not Alias.objects.exists()
    removed = AuditEvent.objects.get(action=AuditAction.ERASURE, object_id=str(alias.pk))
    assert removed.changes["surname"] == ["Smythe", None]


def test_an_alias_without_a_surname_is_refused(officer, nominal):
    with pytest.raises(ValidationError):
        services.add_alias(nominal, by=officer, surname="  ")
    assert not Alias.objects.exists()


def test_aliases_pages_are_not_found_for_another_agency(client, outsider, nominal):
    alias = factories.AliasFactory(nominal=nominal)
    client.force_login(outsider)
    for url in (
        reverse("cohorts:aliases", args=[nominal.pk]),
        reverse("cohorts:alias", args=[nominal.pk, alias.pk]),
        reverse("cohorts:photograph-change", args=[nominal.pk]),
        reverse("cohorts:photograph", args=[nominal.pk]),
        reverse("cohorts:offender-managers", args=[nominal.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code in (404, 405), url


def test_the_alias_page_adds_and_removes_an_alias(client, officer, nominal):
    client.force_login(officer)
    response = client.post(reverse("cohorts:aliases", args=[nominal.pk]), {"surname": "Greaves"})
    assert response.status_code == 302
    alias = Alias.objects.get()
    response = client.post(
        reverse("cohorts:alias", args=[nominal.pk, alias.pk]),
        {"surname": "Greaves", "version": 1, "remove": "1"},
    )
    assert response.status_code == 302
    assert not Alias.objects.exists()


# --- Offender managers ----------------------------------------------------------------------


def test_changing_offender_managers_needs_a_reason_and_is_audited(officer, nominal):
    manager = factories.UserFactory()
    with pytest.raises(ValidationError):
        services.change_offender_managers(nominal, by=officer, users=[manager], reason=" ")
    assert not nominal.offender_managers.exists()
    services.change_offender_managers(nominal, by=officer, users=[manager], reason="Moved team")
    event = AuditEvent.objects.get(description="Changed the offender managers")
    assert event.reason == "Moved team"
    assert list(nominal.offender_managers.all()) == [manager]


def test_a_partner_cannot_change_offender_managers(client, nominal):
    partner = factories.UserFactory()
    share_with(nominal, partner)
    client.force_login(partner)
    assert client.get(reverse("cohorts:offender-managers", args=[nominal.pk])).status_code == 403


# --- Photograph -----------------------------------------------------------------------------


def test_a_photograph_is_stored_re_encoded_without_metadata(officer, nominal):
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    upload = _image("JPEG", (2000, 1000), exif=exif.tobytes())
    saved = services.set_photograph(nominal.pk, by=officer, upload=upload, version=1)
    with default_storage.open(saved.photograph) as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert max(image.size) == services.people.PHOTOGRAPH_STORED_SIDE
        assert not image.getexif()


def test_a_file_that_is_not_a_jpeg_or_png_is_refused_by_its_content(officer, nominal):
    fake = SimpleUploadedFile("photo.jpg", b"GIF89a" + b"\0" * 200)
    with pytest.raises(ValidationError):
        services.set_photograph(nominal.pk, by=officer, upload=fake, version=1)
    with pytest.raises(ValidationError):
        services.set_photograph(nominal.pk, by=officer, upload=_image("GIF"), version=1)
    with pytest.raises(ValidationError):
        services.set_photograph(nominal.pk, by=officer, upload=_image(size=(20, 20)), version=1)
    nominal.refresh_from_db()
    assert nominal.photograph == "" and nominal.version == 1


def test_a_photograph_over_the_size_limit_is_refused(officer, nominal, monkeypatch):
    monkeypatch.setattr(services.people, "PHOTOGRAPH_MAX_BYTES", 100)
    with pytest.raises(ValidationError):
        services.set_photograph(nominal.pk, by=officer, upload=_image(), version=1)


def test_the_photograph_is_served_only_to_those_who_see_the_person(client, officer, outsider):
    nominal = factories.NominalFactory()
    client.force_login(officer)
    url = reverse("cohorts:photograph-change", args=[nominal.pk])
    response = client.post(url, {"photograph": _image("PNG"), "version": 1})
    assert response.status_code == 302
    photo = client.get(reverse("cohorts:photograph", args=[nominal.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert "no-store" in photo["Cache-Control"]
    assert AuditEvent.objects.filter(description="Viewed the photograph").exists()
    summary = client.get(reverse("cohorts:nominal", args=[nominal.pk]))
    assert b'src="/cohort/%d/photograph/"' % nominal.pk in summary.content
    client.force_login(outsider)
    assert client.get(reverse("cohorts:photograph", args=[nominal.pk])).status_code == 404
