"""The service navigation links the intelligence queue for those who grade intelligence, with
the number waiting, in one query whatever that number, kept for the pages that follow until a
submission changes; nobody else sees the link."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.risk import recording
from cohorts.risk.models import IntelligenceSubmission
from tests import factories
from tests.risk.partners import partner

YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)
QUEUE = reverse("cohorts:intelligence-submissions")


def _submit(count: int) -> None:
    for _ in range(count):
        nominal = factories.NominalFactory()
        submitter = partner(f"Agency of {nominal.pk}", nominal)
        recording.submit_intelligence(nominal, by=submitter, reported_on=YESTERDAY, summary="Seen.")


def _page(client) -> tuple[str, int]:
    """The password page (the layout and little else): its body, and how many of its queries
    read the submissions."""
    with CaptureQueriesContext(connection) as captured:
        body = client.get(reverse("password-change")).content.decode()
    reads = [q for q in captured.captured_queries if "intelligencesubmission" in q["sql"]]
    return body, len(reads)


def test_an_officer_sees_the_queue_linked_with_the_number_waiting(client, officer):
    _submit(2)
    client.force_login(officer)
    body, reads = _page(client)
    assert f'href="{QUEUE}"' in body
    assert "(2 waiting)" in body
    assert reads == 1


def test_the_count_is_one_query_whatever_the_number_waiting(client, officer):
    client.force_login(officer)
    _submit(1)
    _body, few = _page(client)
    _submit(6)
    body, many = _page(client)
    assert few == many == 1
    assert "(7 waiting)" in body


def test_the_next_pages_reuse_the_count_until_a_submission_changes(client, officer, settings):
    settings.IOM_QUEUE_COUNT_SECONDS = 30
    _submit(2)
    client.force_login(officer)
    _page(client)
    body, reads = _page(client)
    assert ("(2 waiting)" in body, reads) == (True, 0)
    submission = IntelligenceSubmission.objects.order_by("id").first()
    recording.reject_submission(
        submission.pk, by=officer, version=submission.version, note="Not about this person."
    )
    body, reads = _page(client)
    assert ("(1 waiting)" in body, reads) == (True, 1)


def test_an_empty_queue_is_linked_without_a_badge(client, officer):
    client.force_login(officer)
    body, _reads = _page(client)
    assert f'href="{QUEUE}"' in body
    assert "moj-notification-badge" not in body


def test_a_partner_sees_no_link_and_costs_no_query(client, nominal):
    _submit(1)
    client.force_login(partner("Housing", nominal))
    body, reads = _page(client)
    assert f'href="{QUEUE}"' not in body
    assert reads == 0


def test_the_queue_page_is_the_current_item_of_the_navigation(client, officer):
    client.force_login(officer)
    body = client.get(QUEUE).content.decode()
    assert f'href="{QUEUE}" aria-current="page"' in body
    assert body.count('aria-current="page"') == 1
