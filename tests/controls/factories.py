"""Factories for control measures. Records that the services validate are built through them
in tests of behaviour; these are for setting the scene."""

import datetime

import factory

from tests import factories


def _today():
    return datetime.date.today()


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "controls.Licence"

    nominal = factory.SubFactory(factories.NominalFactory)
    release_date = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=60))
    licence_expiry_date = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=300))
    sentence_expiry_date = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=300))
    offence = "Burglary dwelling"
    created_by = factory.SubFactory(factories.IomOfficerFactory)


class LicenceConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "controls.LicenceCondition"

    licence = factory.SubFactory(LicenceFactory)
    condition_type = "additional"
    text = "Attend drug testing as directed by the supervising officer."
    is_drug_testing = True


class BreachFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "controls.Breach"

    licence = factory.SubFactory(LicenceFactory)
    nominal = factory.SelfAttribute("licence.nominal")
    occurred_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=3))
    evidence = "Missed a supervision appointment without explanation."
    recorded_by = factory.SelfAttribute("licence.created_by")


class DrugTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "controls.DrugTest"

    licence = factory.SubFactory(LicenceFactory)
    nominal = factory.SelfAttribute("licence.nominal")
    tested_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=5))
    outcome = "negative"
    recorded_by = factory.SelfAttribute("licence.created_by")


class RecallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "controls.Recall"

    breach = factory.SubFactory(BreachFactory)
    licence = factory.SelfAttribute("breach.licence")
    nominal = factory.SelfAttribute("breach.nominal")
    reason = "Three positive tests for Class A drugs."
    started_at = factory.LazyFunction(
        lambda: datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=5)
    )
    started_by = factory.SelfAttribute("breach.recorded_by")


class ControlMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "controls.ControlMeasure"

    nominal = factory.SubFactory(factories.NominalFactory)
    category = "bail"
    kind = "report"
    details = "Report to Demoford Central police station daily at 10:00."
    imposed_by = "Demoford Magistrates' Court"
    starts_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=10))
    created_by = factory.SubFactory(factories.IomOfficerFactory)


def controls_case(nominal, user) -> dict:
    """A licence, a condition, a breach, a recall in progress and a bail condition for the
    permission matrix's ``case``."""
    licence = LicenceFactory(nominal=nominal, created_by=user)
    condition = LicenceConditionFactory(licence=licence)
    breach = BreachFactory(licence=licence, condition=condition)
    recall = RecallFactory(breach=breach)
    measure = ControlMeasureFactory(nominal=nominal, created_by=user)
    drug_test = DrugTestFactory(licence=licence)
    return {
        "licence": licence,
        "breach": breach,
        "recall": recall,
        "measure": measure,
        "drug_test": drug_test,
    }
