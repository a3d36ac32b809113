"""My work tells an offender manager who has reached the recall threshold."""

import datetime

from django.urls import reverse

from cohorts.services import set_offender_managers
from iom.models import AuditAction, AuditEvent
from tests import factories
from tests.controls.factories import DrugTestFactory, LicenceFactory

TODAY = datetime.date.today()


def _three_positive_tests(nominal) -> None:
    licence = LicenceFactory(nominal=nominal)
    for days_ago in (20, 10, 2):
        DrugTestFactory(
            licence=licence,
            tested_on=TODAY - datetime.timedelta(days=days_ago),
            outcome="positive",
            class_a_substances="Heroin",
        )


def test_my_work_shows_the_recall_prompt_to_the_offender_manager(client, officer):
    nominal = factories.members(1)[0]
    set_offender_managers(nominal, users=[officer], by=officer)
    _three_positive_tests(nominal)
    client.force_login(officer)
    body = client.get(reverse("reports:my-work")).content.decode()
    assert "Recall threshold reached" in body
    assert nominal.surname in body
    assert (
        AuditEvent.objects.about(nominal)
        .filter(action=AuditAction.CONSULTATION, description="Listed on My work")
        .exists()
    )


def test_my_work_leaves_out_people_the_user_does_not_manage(client, officer):
    nominal = factories.members(1)[0]
    _three_positive_tests(nominal)
    client.force_login(officer)
    body = client.get(reverse("reports:my-work")).content.decode()
    assert nominal.surname not in body
