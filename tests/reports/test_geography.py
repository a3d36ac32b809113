"""Geography: offences against where their offenders live (the Birstall proposal)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from iom.models import AuditEvent
from reports.geography import offences_in
from tests import factories
from tests.controls import factories as controls

from .cohort_factories import proven

D = datetime.date


@pytest.fixture
def scene(db):
    city = factories.NeighbourhoodFactory(area="city")
    nominal = factories.NominalFactory(
        neighbourhood=city, home_easting=430000, home_northing=310000
    )
    offence = proven(nominal, D(2026, 9, 10))
    offence.scene_easting, offence.scene_northing = 433000, 314000
    offence.save()
    return offence


def test_distance_travelled_is_the_straight_line_from_home_to_the_scene(scene, manager):
    found = offences_in(manager, D(2026, 9, 1), D(2026, 9, 30)).get()
    assert found.distance == pytest.approx(5000.0)
    assert found.residence == "City"


def test_an_offence_on_licence_counts_as_under_supervision(scene, manager):
    controls.LicenceFactory(
        nominal=scene.nominal,
        release_date=D(2026, 8, 1),
        licence_expiry_date=D(2027, 1, 1),
        sentence_expiry_date=D(2027, 6, 1),
    )
    found = offences_in(manager, D(2026, 9, 1), D(2026, 9, 30)).get()
    assert (found.on_licence, found.under_order) == (True, False)


def test_an_area_leaves_out_offences_outside_it(scene, manager):
    assert not offences_in(
        manager, D(2026, 9, 1), D(2026, 9, 30), box=(434000, None, None, None)
    ).exists()


def test_coordinates_outside_great_britain_are_refused(db):
    nominal = factories.NominalFactory()
    nominal.home_easting, nominal.home_northing = 800000, 310000
    with pytest.raises(ValidationError, match="easting must be between"):
        nominal.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        nominal.save()


def test_manager_sees_the_map_and_the_distances_and_each_person_is_disclosed(
    client, manager, scene
):
    client.force_login(manager)
    response = client.get(
        reverse("reports:geography"), {"start": "2026-09-01", "end": "2026-09-30"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<circle" in page and "5000" in page
    assert AuditEvent.objects.about(scene.nominal).filter(action="disclosure").exists()


def test_officers_are_refused_the_geography(client, officer, scene):
    client.force_login(officer)
    assert client.get(reverse("reports:geography")).status_code == 403


def test_the_median_distance_of_an_even_count_is_the_mean_of_the_middle_two():
    from types import SimpleNamespace

    from reports.geography import distance_table

    offences = [SimpleNamespace(distance=d) for d in (1000.0, 2000.0, 4000.0, 9000.0)]
    assert distance_table(offences).as_dict()["note"] == "Median distance: 3,000 m."
