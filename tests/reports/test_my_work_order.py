"""My work's list is grouped, ordered and paged by the database: with several hundred rows
from every source, the first page and a late page hold exactly the rows the rules of the
page say, in their order (by group; soonest first, undated last; an appointment by its time;
then by kind, person and title)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.contacts.models import Contact
from cohorts.risk import custody
from cohorts.services import set_offender_managers
from cohorts.services import tasks as task_services
from pathways import dates
from pathways import services as pathway_services
from tests import factories
from tests.cohorts.test_page_query_counts import MAX_QUERIES, _queries_for

pytestmark = pytest.mark.django_db

URL = reverse("reports:my-work")
KIND_ORDER = ["recall", "countersign", "release", "appointment", "task", "review", "action"]
ROW = re.compile(
    r'data-kind="(?P<kind>[\w-]+)">.*?<td class="govuk-table__cell">.*?href="(?P<url>[^"]+)"',
    re.DOTALL,
)
DAY = datetime.timedelta(days=1)


def _group(due: datetime.date | None, today: datetime.date) -> int:
    if due is None:
        return 2
    return list(dates.BUCKET_LABELS).index(dates.bucket(due, today))


def _key(kind, due, at, nominal, title, pk, today, now):
    group = 0 if at is not None and at < now else _group(due, today)
    return (
        group,
        due is None,
        due or datetime.date.min,
        at or datetime.datetime.min.replace(tzinfo=datetime.UTC),
        KIND_ORDER.index(kind),
        nominal.surname if nominal else "",
        nominal.first_names if nominal else "",
        nominal.pk if nominal else 0,
        title,
        pk,
    )


def _world(officer) -> list[tuple[tuple, str]]:
    """338 rows of the officer's work across five sources; each as (its sort key by the
    page's rules, its link)."""
    today, now = timezone.localdate(), timezone.now()
    people = factories.members(12)
    for nominal in people:
        set_offender_managers(nominal, users=[officer], by=officer)
        pathway_services.ensure_plan(nominal)
    rows = []
    for n in range(240):
        nominal, due = people[n % 12], today + ((n * 7) % 50 - 25) * DAY
        action = pathway_services.add_action(
            nominal, by=None, pathway="ete", description=f"Action {n:03d}",
            agency=officer.agency, assigned_to=officer, due_on=due,
        )  # fmt: skip
        url = reverse("pathways:action-edit", args=[nominal.pk, action.pk])
        rows.append((_key("action", due, None, nominal, action.description, action.pk,
                          today, now), url))  # fmt: skip
    for n in range(60):
        nominal = None if n % 6 == 0 else people[n % 12]
        due = None if n % 9 == 0 else today + ((n * 5) % 40 - 15) * DAY
        task = task_services.create_task(
            by=officer, title=f"Task {n:03d}", nominal=nominal, owner_agency=officer.agency,
            due_on=due,
        )  # fmt: skip
        url = reverse("cohorts:task", args=[task.pk])
        rows.append((_key("task", due, None, nominal, task.title, task.pk, today, now), url))
    for n in range(20):
        nominal, at = people[n % 12], now + datetime.timedelta(hours=n * 7 - 40)
        contact = Contact.objects.create(
            nominal=nominal, kind="office", planned_at=at, recorded_by=officer
        )
        contact.attendees.add(officer)
        url = reverse("cohorts:contact", args=[nominal.pk, contact.pk])
        key = _key("appointment", timezone.localdate(at), at, nominal, "Record outcome",
                   contact.pk, today, now)  # fmt: skip
        rows.append((key, url))
    for n, nominal in enumerate(people[:6]):
        due = today + (3 * n + 1) * DAY
        period = custody.open_custody_period(
            nominal, kind="sentence", starts_on=today - 100 * DAY, by=officer,
            expected_release_on=due,
        )  # fmt: skip
        url = reverse("cohorts:custody", args=[nominal.pk])
        rows.append((_key("release", due, None, nominal, "Release from custody", period.pk,
                          today, now), url))  # fmt: skip
    for n, nominal in enumerate(people):
        pathway = nominal.plan_pathways.get(pathway="ete")
        pathway.review_date = today + (n * 4 - 20) * DAY
        pathway.save()
        url = reverse("pathways:plan", args=[nominal.pk]) + "#pathway-ete"
        rows.append((_key("review", pathway.review_date, None, nominal,
                          "Review the Education, Training & Employment pathway", pathway.pk,
                          today, now), url))  # fmt: skip
    return sorted(rows)


def _shown(client, query: str = "") -> list[str]:
    body = client.get(URL + query).content.decode()
    return [match["url"].replace("&amp;", "&") for match in ROW.finditer(body)]


def test_the_first_and_a_late_page_hold_exactly_their_rows_in_order(client, officer):
    expected = [url for _, url in _world(officer)]
    assert len(expected) == 338
    client.force_login(officer)
    assert _shown(client) == expected[:50]
    assert _shown(client, "?page=6") == expected[250:300]
    assert _shown(client, "?page=7") == expected[300:]
    # A page past the end shows the last one.
    assert _shown(client, "?page=99") == expected[300:]


def test_the_groups_count_the_whole_list_and_filters_apply_before_paging(client, officer):
    rows = _world(officer)
    client.force_login(officer)
    body = client.get(URL).content.decode()
    for n, key in enumerate(dates.BUCKET_LABELS):
        count = sum(1 for sort_key, _ in rows if sort_key[0] == n)
        heading = re.search(rf'id="{key}">[^<]*<span class="govuk-tag[^"]*">(\d+)</span>', body)
        assert heading is not None and int(heading[1]) == count, key
    tasks = [url for sort_key, url in rows if sort_key[4] == KIND_ORDER.index("task")]
    assert _shown(client, "?kind=task") == tasks[:50]
    assert _shown(client, "?kind=task&page=2") == tasks[50:]


def test_every_page_costs_the_same(client, officer):
    _world(officer)
    client.force_login(officer)
    client.get(URL)  # caches (content types) filled
    first = _queries_for(client, URL)
    assert first <= MAX_QUERIES
    for query in ["?page=6", "?page=7", "?kind=appointment", "?kind=task&page=2"]:
        assert _queries_for(client, URL + query) == first, query
