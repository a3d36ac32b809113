"""Erasing a person's record under a decision: everything about them goes, in one
transaction; the audit trail stays and says so; only the IOM unit's managers can do it."""

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.migrations.loader import MigrationLoader
from django.db.models.query import QuerySet
from django.urls import reverse

from cohorts.models import Alias, CohortMembership, Nominal, RecordShare
from cohorts.services import update_nominal
from cohorts.services.erasure import ErasureGround, erase_person
from iom.locking import StaleEditError
from iom.models import AuditAction, AuditEvent
from pathways.services import ensure_plan
from referrals.models import Referral
from tests import factories
from tests.contacts.factories import ContactFactory
from tests.controls.factories import DrugTestFactory, RecallFactory
from tests.pathways.factories import action_on, drug_service
from tests.reports.factories import ReadyDocumentFactory
from tests.risk.factories import ArrestFactory, CustodyPeriodFactory, DetectedOffenceFactory
from tests.sharing import share_with


def _decision(nominal, **overrides):
    values = {
        "ground": ErasureGround.NOT_NEEDED,
        "decision": "Review board minute 2026/14",
        "confirmation": nominal.surname,
        "version": nominal.version,
    }
    values.update(overrides)
    return values


@pytest.fixture
def full_record(officer, tasks_run_inline):
    """A person with records in every app, a photograph and a document file."""
    nominal = factories.members(1)[0]
    factories.AliasFactory(nominal=nominal)
    factories.ReferralFactory(nominal=nominal)
    DetectedOffenceFactory(nominal=nominal)
    ArrestFactory(nominal=nominal)
    CustodyPeriodFactory(nominal=nominal)
    recall = RecallFactory(breach__nominal=nominal, breach__licence__nominal=nominal)
    DrugTestFactory(nominal=nominal, licence=recall.licence)
    ContactFactory(nominal=nominal)
    ensure_plan(nominal)
    action_on(nominal, "drugs-alcohol", drug_service())
    share_with(nominal, factories.UserFactory(), by=officer)
    document = ReadyDocumentFactory(nominal=nominal)
    name = default_storage.save(f"photographs/{nominal.pk}/face.jpg", _jpeg())
    Nominal.objects.filter(pk=nominal.pk).update(photograph=name)
    nominal.refresh_from_db()
    return nominal, [name, document.file.name]


def _jpeg():
    return ContentFile(b"\xff\xd8\xff\xe0 not really a jpeg", name="face.jpg")


def _rows_about(nominal_pk) -> dict[str, int]:
    """Every row of every model that refers to the person by a foreign key."""
    counts = {}
    for model in apps.get_models():
        for field in model._meta.fields:
            if field.is_relation and field.related_model is Nominal:
                found = model._base_manager.filter(**{field.name: nominal_pk}).count()
                if found:
                    counts[f"{model._meta.label}.{field.name}"] = found
    return counts


def test_a_manager_erases_the_person_and_every_record_about_them(
    manager, full_record, django_capture_on_commit_callbacks
):
    nominal, files = full_record
    other = factories.members(1)[0]
    before = _rows_about(nominal.pk)
    assert len(before) >= 10, before
    trail = AuditEvent.objects.about(nominal).count()

    with django_capture_on_commit_callbacks(execute=True):
        deleted = erase_person(nominal.pk, by=manager, **_decision(nominal))

    assert not Nominal.objects.filter(pk=nominal.pk).exists()
    assert _rows_about(nominal.pk) == {}
    assert deleted["cohorts.Nominal"] == 1 and deleted["controls.Recall"] == 1
    assert not any(default_storage.exists(name) for name in files)
    # Somebody else's record is untouched.
    assert Nominal.objects.filter(pk=other.pk).exists()
    assert CohortMembership.objects.filter(nominal=other).exists()
    # The trail stays, and ends with the erasure and its decision.
    events = AuditEvent.objects.about(nominal.pk)
    assert events.count() >= trail + 1
    erasure = events.get(action=AuditAction.ERASURE)
    assert erasure.user == manager
    assert "Review board minute 2026/14" in erasure.reason
    assert erasure.changes["deleted"]["controls.Recall"] == 1


def test_nothing_is_erased_when_any_deletion_fails(manager, full_record, monkeypatch):
    nominal, files = full_record
    before = _rows_about(nominal.pk)
    real_delete = QuerySet.delete

    def failing_delete(self):
        if self.model is Referral:
            raise RuntimeError("the database went away")
        return real_delete(self)

    monkeypatch.setattr(QuerySet, "delete", failing_delete)
    with pytest.raises(RuntimeError):
        erase_person(nominal.pk, by=manager, **_decision(nominal))
    monkeypatch.undo()
    assert Nominal.objects.filter(pk=nominal.pk).exists()
    assert _rows_about(nominal.pk) == before
    assert all(default_storage.exists(name) for name in files)
    assert not AuditEvent.objects.filter(action=AuditAction.ERASURE).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"confirmation": "Someone Else"}, "confirmation"),
        ({"decision": "  "}, "decision"),
        ({"ground": "because"}, "ground"),
    ],
)
def test_an_erasure_without_a_decision_or_confirmation_is_refused(
    manager, nominal, overrides, field
):
    with pytest.raises(ValidationError) as refused:
        erase_person(nominal.pk, by=manager, **_decision(nominal, **overrides))
    assert field in refused.value.message_dict
    assert Nominal.objects.filter(pk=nominal.pk).exists()


def test_an_erasure_decided_on_a_stale_copy_is_refused(manager, officer, nominal):
    stale = nominal.version
    update_nominal(nominal.pk, by=officer, version=stale, changes={"town": "Elsewhere"})
    with pytest.raises(StaleEditError):
        erase_person(nominal.pk, by=manager, **_decision(nominal, version=stale))
    assert Nominal.objects.filter(pk=nominal.pk).exists()


def test_only_a_manager_of_the_iom_unit_can_erase(officer, outsider, nominal):
    share_with(nominal, outsider, by=officer)
    for user in (officer, outsider):
        with pytest.raises(PermissionDenied):
            erase_person(nominal.pk, by=user, **_decision(nominal))
    assert Nominal.objects.filter(pk=nominal.pk).exists()


def test_the_erasure_page_for_a_manager(client, manager, nominal):
    client.force_login(manager)
    url = reverse("cohorts:erase", kwargs={"pk": nominal.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "It cannot be undone" in page.content.decode()

    refused = client.post(url, _decision(nominal, confirmation="nope"))
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "<title>Error: " in body
    assert "Enter the person&#x27;s surname exactly as it is on the record" in body
    assert Nominal.objects.filter(pk=nominal.pk).exists()

    done = client.post(url, _decision(nominal), follow=True)
    assert done.redirect_chain[-1][0] == reverse("cohorts:list")
    assert f"The record of person {nominal.pk}" in done.content.decode()
    assert not Nominal.objects.filter(pk=nominal.pk).exists()


def test_officers_get_403_and_other_agencies_404_on_the_erasure_page(
    client, officer, outsider, nominal
):
    url = reverse("cohorts:erase", kwargs={"pk": nominal.pk})
    client.force_login(officer)
    assert client.get(url).status_code == 403
    assert client.post(url, _decision(nominal)).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, _decision(nominal)).status_code == 404
    shared_elsewhere = factories.members(1)[0]
    share_with(shared_elsewhere, outsider, by=officer)
    other_url = reverse("cohorts:erase", kwargs={"pk": shared_elsewhere.pk})
    assert client.post(other_url, _decision(shared_elsewhere)).status_code == 403
    assert Nominal.objects.filter(pk__in=[nominal.pk, shared_elsewhere.pk]).count() == 2


def test_the_agreement_page_names_erased_people_as_erased(client, manager, officer, outsider):
    shared = factories.members(1)[0]
    share_with(shared, outsider, by=officer)
    client.force_login(outsider)
    client.get(reverse("cohorts:nominal", kwargs={"pk": shared.pk}))
    event = AuditEvent.objects.about(shared).filter(user=outsider).first()
    client.force_login(manager)
    url = reverse("agreement", kwargs={"pk": event.agreement_id})
    assert shared.full_name in client.get(url).content.decode()
    erase_person(shared.pk, by=manager, **_decision(shared))
    body = client.get(url).content.decode()
    assert shared.full_name not in body and "Erased record" in body


def test_the_core_migrations_depend_on_no_domain_app(db):
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    domain = {"cohorts", "risk", "controls", "contacts", "referrals", "pathways", "reports"}
    for app, name in graph.nodes:
        if app != "iom":
            continue
        parents = {parent[0] for parent in graph.node_map[(app, name)].parents}
        assert not parents & domain, (name, parents)


def test_a_person_has_no_dependant_the_erasure_cannot_reach(db):
    """Every relation to a person either cascades from the erasure or is a nullable link
    that the deletion clears: a new model is erased with the person without a change."""
    assert not [
        field
        for model in apps.get_models()
        for field in model._meta.fields
        if field.is_relation
        and field.related_model is Nominal
        and field.remote_field.on_delete.__name__ == "DO_NOTHING"
    ]
    assert Alias._meta.get_field("nominal").remote_field.on_delete.__name__ == "CASCADE"
    assert RecordShare._meta.get_field("nominal").remote_field.on_delete.__name__ == "CASCADE"
