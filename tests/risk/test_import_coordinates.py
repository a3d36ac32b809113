"""Offending feeds may give the scene of a detection as a British National Grid reference."""

import pytest

from cohorts.risk import importing
from cohorts.risk.models import DetectedOffence
from tests import factories

HEADER = "record_type,external_ref,pnc_id,date,offence_code,outcome,easting,northing"


@pytest.fixture
def person(db):
    return factories.NominalFactory(pnc_id="2010/0000001A")


def _import(*lines):
    return importing.import_file("\n".join([HEADER, *lines]) + "\n", source="police", by=None)


def test_a_detection_keeps_the_scene_easting_and_northing(person):
    result = _import("detection,D-1,2010/0000001A,2026-05-01,28A,charged,458300,304900")
    assert result.errors == []
    offence = DetectedOffence.objects.get()
    assert (offence.scene_easting, offence.scene_northing) == (458300, 304900)


def test_the_coordinates_are_optional(person):
    assert _import("detection,D-1,2010/0000001A,2026-05-01,28A,charged,,").errors == []
    assert DetectedOffence.objects.get().scene_easting is None


def test_an_easting_outside_great_britain_is_reported_by_line_and_column(person):
    result = _import("detection,D-1,2010/0000001A,2026-05-01,28A,charged,958300,304900")
    assert [(error["line"], error["column"]) for error in result.errors] == [(2, "easting")]
    assert not DetectedOffence.objects.exists()


def test_an_easting_without_a_northing_is_reported(person):
    result = _import("detection,D-1,2010/0000001A,2026-05-01,28A,charged,458300,")
    assert [(error["line"], error["column"]) for error in result.errors] == [(2, "northing")]
