"""Factories for offending history and the ranking."""

import datetime

import factory

from cohorts.risk.models import (
    Arrest,
    CustodyPeriod,
    DetectedOffence,
    DynamicFactor,
    IntelligenceReport,
    OffenceType,
    ResidencePeriod,
    RiskOverride,
)
from tests import factories


def offence_type(code: str) -> OffenceType:
    """One of the offence types the data migration seeds (28A burglary, 45 theft from...)."""
    return OffenceType.objects.get(code=code)


class DetectedOffenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DetectedOffence

    nominal = factory.SubFactory(factories.NominalFactory)
    source = "police"
    external_ref = factory.Sequence(lambda n: f"DET-{n:06d}")
    committed_on = datetime.date(2026, 1, 1)
    offence_type = factory.LazyFunction(lambda: offence_type("28A"))
    outcome = "charged"


class ArrestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Arrest

    nominal = factory.SubFactory(factories.NominalFactory)
    source = "police"
    external_ref = factory.Sequence(lambda n: f"ARR-{n:06d}")
    arrested_on = datetime.date(2026, 1, 1)
    offence_type = factory.LazyFunction(lambda: offence_type("28A"))
    grounds = "suspicion"


class IntelligenceReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntelligenceReport

    nominal = factory.SubFactory(factories.NominalFactory)
    source = "police"
    external_ref = factory.Sequence(lambda n: f"INT-{n:06d}")
    reported_on = datetime.date(2026, 1, 1)
    intelligence_source = "police"
    grading = "1A"


class CustodyPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustodyPeriod

    nominal = factory.SubFactory(factories.NominalFactory)
    source = "officer"
    external_ref = factory.Sequence(lambda n: f"CUS-{n:06d}")
    started_on = datetime.date(2026, 1, 1)


class ResidencePeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidencePeriod

    nominal = factory.SubFactory(factories.NominalFactory)
    source = "officer"
    external_ref = factory.Sequence(lambda n: f"RES-{n:06d}")
    started_on = datetime.date(2026, 1, 1)
    in_area = False


class DynamicFactorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DynamicFactor

    nominal = factory.SubFactory(factories.NominalFactory)
    source = "officer"
    external_ref = factory.Sequence(lambda n: f"DYN-{n:06d}")
    started_on = datetime.date(2026, 1, 1)
    factor = "class-a-use"


class RiskOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskOverride

    nominal = factory.SubFactory(factories.NominalFactory)
    band = "red"
    reason = "Intelligence of planned burglaries"
    expires_on = datetime.date(2099, 1, 1)
    set_by = factory.SubFactory(factories.IomOfficerFactory)
