import datetime

import factory
from django.utils import timezone

from cohorts.contacts.models import Contact, ContactKind
from tests import factories


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    nominal = factory.SubFactory(factories.NominalFactory)
    kind = ContactKind.OFFICE
    planned_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    happened_at = factory.LazyAttribute(lambda contact: contact.planned_at)
    attendance = "attended"
    outcome = "Discussed housing."
    recorded_by = factory.SubFactory(factories.IomOfficerFactory)
