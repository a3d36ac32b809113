"""The demo seed gives the cohort offending history with a spread of bands, once."""

import random

from cohorts import demo as cohort_demo
from cohorts.risk import demo
from cohorts.risk.models import DetectedOffence, RiskAssessment
from iom import demo as core


def _seed(stdout):
    core.seed(random.Random("core"), stdout)
    cohort_demo.seed(random.Random("cohorts"), stdout)
    return demo.seed(random.Random("risk"), stdout)


def test_the_demo_has_red_amber_and_green_people(db, capsys):
    _seed(None)
    bands = set(RiskAssessment.objects.values_list("band", flat=True))
    assert bands == {"red", "amber", "green"}


def test_seeding_the_demo_twice_adds_nothing(db):
    _seed(None)
    offences = DetectedOffence.objects.count()
    assessments = RiskAssessment.objects.count()
    result = demo.seed(random.Random("risk"), None)
    assert result.created == {}
    assert (DetectedOffence.objects.count(), RiskAssessment.objects.count()) == (
        offences, assessments,
    )  # fmt: skip
