"""Considering a recall: the decision prefilled from the record, the manager's
countersignature, the checklist in order at the time each step was done, and the dossier
check. Services (one transaction, audit, nothing half-done, optimistic locking), pages and
API, and another agency's user who sees none of it."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cohorts.controls import services
from cohorts.controls.models import (
    ConditionType,
    Recall,
    RecallAlternative,
    RecallStatus,
    Sanction,
    SanctionLevel,
)
from iom import audit
from iom.formatting import long_date
from iom.locking import StaleEditError
from iom.models import AuditEvent
from tests import factories
from tests.contacts.factories import ContactFactory
from tests.controls.factories import (
    BreachFactory,
    ControlMeasureFactory,
    LicenceFactory,
    RecallFactory,
)
from tests.pathways.factories import action_on, drug_service, member_shared_with
from tests.risk.factories import DetectedOffenceFactory

TODAY = datetime.date.today
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def case(officer):
    """A member on licence after both warnings, with an additional condition, extra
    reporting, three positive tests, a contact and a pathway action: a recall booked."""
    agency = drug_service()
    nominal = member_shared_with(agency)
    licence = LicenceFactory(nominal=nominal, created_by=officer)
    services.add_condition(
        licence, by=officer, condition_type=ConditionType.ADDITIONAL, text="Curfew 19:00 to 07:00."
    )
    breach = BreachFactory(licence=licence, evidence="Third positive test for heroin.")
    services.record_sanction(
        licence, by=officer, level=SanctionLevel.WRITTEN_WARNING,
        issued_on=TODAY() - 20 * DAY, notes="Warned about missed appointments.",
    )  # fmt: skip
    services.record_sanction(
        licence, by=officer, level=SanctionLevel.DISTRICT_MANAGER_WARNING,
        issued_on=TODAY() - 10 * DAY,
    )  # fmt: skip
    ControlMeasureFactory(
        nominal=nominal, kind="report", details="Report to Demoford Central daily.",
        starts_on=TODAY() - 15 * DAY, created_by=officer,
    )  # fmt: skip
    for days_ago in (9, 6, 3):
        services.record_drug_test(
            nominal, by=officer, tested_on=TODAY() - days_ago * DAY, outcome="positive",
            class_a_substances="Heroin",
        )  # fmt: skip
    ContactFactory(nominal=nominal, outcome="Discussed his drug use.", recorded_by=officer)
    action_on(
        nominal, "drugs-alcohol", agency, description="Start a script", due_on=TODAY() - 5 * DAY
    )
    recall = services.start_recall(breach, by=officer, reason="Three positive tests.")
    return recall


def _decide(recall, by, recall_type="standard", chosen=None, **extra):
    recall.refresh_from_db()
    if chosen is None:
        chosen = [c.source for c in services.alternative_candidates(recall, by)]
    return services.record_recall_decision(
        recall.pk, by=by, version=recall.version, grounds="both", recall_type=recall_type,
        rationale="Risk has risen and he has stopped engaging.", chosen=chosen, **extra,
    )  # fmt: skip


def _countersign(recall, by, rationale="Agreed: recall is proportionate."):
    recall.refresh_from_db()
    return services.countersign_recall_decision(
        recall.pk, by=by, version=recall.version, rationale=rationale
    )


def _step(recall, by, step, **kwargs):
    recall.refresh_from_db()
    return services.complete_recall_step(
        recall.pk, by=by, version=recall.version, step=step, **kwargs
    )


# --- The decision ----------------------------------------------------------------------------


def test_the_decision_is_prefilled_with_what_was_tried_on_the_record(officer, case):
    candidates = services.alternative_candidates(case, officer)
    labels = [c.label for c in candidates]
    kinds = [c.kind for c in candidates]
    warning_day = long_date(TODAY() - 20 * DAY)
    assert f"Written warning on {warning_day}: Warned about missed appointments." in labels
    assert "dm-warning" in kinds
    assert "extra-reporting" in kinds
    assert any("Curfew 19:00 to 07:00." in label for label in labels)
    assert sum("Positive for Class A (Heroin)" in label for label in labels) == 3
    assert any("Discussed his drug use." in label for label in labels)
    assert any("Start a script" in label and "Not done" in label for label in labels)


def test_a_decision_keeps_the_ticked_items_and_the_officers_additions(officer, case):
    candidates = services.alternative_candidates(case, officer)
    kept = [c.source for c in candidates if c.kind in ("written-warning", "drug-test")]
    recall = _decide(
        case, officer, chosen=kept,
        additions=[{"kind": "other", "description": "Referral to a hostel", "on": TODAY()}],
    )  # fmt: skip
    assert recall.status == RecallStatus.BEING_ASSESSED
    rows = list(recall.alternatives.all())
    assert len(rows) == 5
    assert sorted(r.source for r in rows if r.source) == sorted(kept)
    assert [r.description for r in rows if not r.from_record] == ["Referral to a hostel"]
    assert all(r.result.startswith("Positive") for r in rows if r.kind == "drug-test")
    event = AuditEvent.objects.filter(object_id=str(recall.pk)).latest("id")
    assert "Recall decision: Standard recall" in event.description


def test_a_decision_naming_an_item_not_on_the_record_writes_nothing(officer, case):
    version = case.version
    with pytest.raises(ValidationError) as error:
        _decide(case, officer, chosen=["sanction:99999"])
    assert "chosen" in error.value.message_dict
    case.refresh_from_db()
    assert case.version == version
    assert case.status == RecallStatus.BOOKED
    assert not RecallAlternative.objects.exists()


def test_a_stale_decision_is_refused(officer, case):
    stale = case.version
    _decide(case, officer)
    with pytest.raises(StaleEditError):
        services.record_recall_decision(
            case.pk, by=officer, version=stale, grounds="risk", recall_type="standard",
            rationale="Again", chosen=[],
        )  # fmt: skip


def test_the_decision_is_re_recorded_before_the_countersignature_only(officer, manager, case):
    _decide(case, officer)
    recall = _decide(case, officer, chosen=[])
    assert recall.alternatives.count() == 0
    _countersign(recall, manager)
    with pytest.raises(ValidationError, match="no longer be changed"):
        _decide(case, officer)


# --- The countersignature -------------------------------------------------------------------


def test_an_officer_cannot_countersign(officer, case):
    _decide(case, officer)
    with pytest.raises(PermissionDenied):
        _countersign(case, officer)


def test_the_manager_who_decided_cannot_countersign(manager, case):
    _decide(case, manager)
    with pytest.raises(ValidationError, match="another manager"):
        _countersign(case, manager)


def test_a_countersignature_needs_a_rationale_and_a_decision(officer, manager, case):
    with pytest.raises(ValidationError, match="no decision"):
        _countersign(case, manager)
    _decide(case, officer)
    with pytest.raises(ValidationError):
        _countersign(case, manager, rationale="  ")
    case.refresh_from_db()
    assert case.countersigned_at is None


def test_countersigning_a_recall_lets_it_go_on(officer, manager, case):
    _decide(case, officer)
    recall = _countersign(case, manager)
    assert recall.status == RecallStatus.AWAITING_RETURN
    assert recall.countersigned_by == manager
    assert recall.sanction.level == SanctionLevel.RECALL


def test_countersigning_no_recall_ends_it_and_withdraws_the_ladder_step(officer, manager, case):
    sanction_id = case.sanction_id
    _decide(case, officer, recall_type="no-recall")
    recall = _countersign(case, manager)
    assert recall.status == RecallStatus.NOT_RECALLED
    assert recall.sanction is None
    assert not Sanction.objects.filter(pk=sanction_id).exists()
    assert AuditEvent.objects.filter(description__startswith="Recall step withdrawn").exists()


def test_a_failure_while_countersigning_no_recall_leaves_everything_as_it_was(
    officer, manager, case, monkeypatch
):
    _decide(case, officer, recall_type="no-recall")
    case.refresh_from_db()
    before = (case.status, case.version, case.sanction_id)
    events = AuditEvent.objects.count()
    real = audit.record

    def fail_on_the_recall(who, action, obj=None, **kwargs):
        if isinstance(obj, Recall):
            raise RuntimeError("The audit log is unavailable.")
        return real(who, action, obj, **kwargs)

    monkeypatch.setattr(audit, "record", fail_on_the_recall)
    with pytest.raises(RuntimeError):
        _countersign(case, manager)
    case.refresh_from_db()
    assert (case.status, case.version, case.sanction_id) == before
    assert Sanction.objects.filter(pk=case.sanction_id).exists()
    assert AuditEvent.objects.count() == events


# --- The checklist --------------------------------------------------------------------------


def test_steps_past_the_decision_wait_for_the_countersignature(officer, manager, case):
    _step(case, officer, "probation_contacted_at")
    with pytest.raises(ValidationError, match="countersigned"):
        _step(case, officer, "paperwork_completed_at")
    _decide(case, officer)
    with pytest.raises(ValidationError, match="countersigned"):
        _step(case, officer, "paperwork_completed_at")
    _countersign(case, manager)
    recall = _step(case, officer, "paperwork_completed_at")
    assert recall.paperwork_completed_at is not None


def test_a_step_takes_the_time_it_was_done(officer, case):
    case.started_at = timezone.now() - 5 * HOUR
    case.save()
    at = timezone.now() - 2 * HOUR
    recall = _step(case, officer, "probation_contacted_at", at=at)
    assert recall.probation_contacted_at == at
    with pytest.raises(ValidationError) as error:
        _step(case, officer, "probation_contacted_at", at=timezone.now() + HOUR)
    assert "step" in error.value.message_dict  # already ticked


def test_a_step_in_the_future_is_refused(officer, case):
    with pytest.raises(ValidationError) as error:
        _step(case, officer, "probation_contacted_at", at=timezone.now() + HOUR)
    assert "at" in error.value.message_dict


def test_an_earlier_step_after_a_later_one_needs_a_reason(officer, manager, case):
    case.started_at = timezone.now() - 5 * HOUR
    case.save()
    _decide(case, officer)
    _countersign(case, manager)
    _step(case, officer, "teams_tasked_at", at=timezone.now() - 3 * HOUR)
    version = Recall.objects.get(pk=case.pk).version
    with pytest.raises(ValidationError) as error:
        _step(case, officer, "ppcs_contacted_at", at=timezone.now() - 2 * HOUR)
    assert "out_of_order_reason" in error.value.message_dict
    assert Recall.objects.get(pk=case.pk).version == version
    recall = _step(
        case, officer, "ppcs_contacted_at", at=timezone.now() - 4 * HOUR,
        out_of_order_reason="Phoned before tasking; ticked late.",
    )  # fmt: skip
    assert recall.out_of_order_reasons == {
        "ppcs_contacted_at": "Phoned before tasking; ticked late."
    }
    assert AuditEvent.objects.filter(description__contains="out of order").exists()


def test_a_later_step_dated_before_an_earlier_one_needs_a_reason(officer, manager, case):
    case.started_at = timezone.now() - 5 * HOUR
    case.save()
    _decide(case, officer)
    _countersign(case, manager)
    _step(case, officer, "ppcs_contacted_at", at=timezone.now() - HOUR)
    with pytest.raises(ValidationError) as error:
        _step(case, officer, "paperwork_received_at", at=timezone.now() - 2 * HOUR)
    assert "out_of_order_reason" in error.value.message_dict


# --- The dossier ----------------------------------------------------------------------------


def test_the_dossier_check_names_what_is_missing_before_it_is_issued(officer, manager, case):
    _decide(case, officer)
    _countersign(case, manager)
    check = {item["part"]: item for item in services.dossier_check(case)}
    assert check["licence"]["present"] and check["licence"]["from_record"]
    assert not check["charge_sheet"]["present"]
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="Previous convictions, Risk assessment, Charge"):
        services.issue_dossier(case.pk, by=officer, version=case.version)
    case.refresh_from_db()
    assert case.status == RecallStatus.AWAITING_RETURN
    DetectedOffenceFactory(
        nominal=case.nominal, outcome="convicted", sanction="conviction",
        sanction_date=datetime.date(2025, 3, 1), committed_on=datetime.date(2025, 1, 1),
    )  # fmt: skip
    for part in ("risk_assessment", "charge_sheet", "police_report"):
        case.refresh_from_db()
        confirmed = services.confirm_dossier_part(
            case.pk, by=officer, version=case.version, part=part, note="On the shared drive"
        )
        assert confirmed.confirmed_by == officer
    case.refresh_from_db()
    assert services.missing_dossier_parts(case) == []
    recall = services.issue_dossier(case.pk, by=officer, version=case.version)
    assert recall.status == RecallStatus.DOSSIER_ISSUED
    assert recall.dossier_issued_by == officer
    recall = _step(recall, officer, "returned_to_custody_at")
    assert recall.status == RecallStatus.RETURNED


def test_a_dossier_part_is_confirmed_once_and_a_stale_one_is_refused(officer, case):
    stale = case.version
    services.confirm_dossier_part(case.pk, by=officer, version=stale, part="charge_sheet")
    with pytest.raises(StaleEditError):
        services.confirm_dossier_part(case.pk, by=officer, version=stale, part="police_report")
    case.refresh_from_db()
    with pytest.raises(ValidationError):
        services.confirm_dossier_part(
            case.pk, by=officer, version=case.version, part="charge_sheet"
        )


def test_the_dossier_is_not_issued_before_a_countersigned_decision(officer, case):
    with pytest.raises(ValidationError, match="countersigned"):
        services.issue_dossier(case.pk, by=officer, version=case.version)


# --- Statuses of recalls begun before decisions were recorded ------------------------------


def test_recalls_in_progress_are_migrated_to_the_new_statuses(officer):
    migration = import_module("cohorts.controls.migrations.0004_recall_decision_and_dossier")
    booked = RecallFactory(status="in-progress")
    under_way = RecallFactory(status="in-progress", paperwork_completed_at=timezone.now())
    returned = RecallFactory(status="returned", returned_to_custody_at=timezone.now())
    migration.forwards(apps, None)
    statuses = {r.pk: r.status for r in Recall.objects.all()}
    assert statuses == {
        booked.pk: "booked",
        under_way.pk: "awaiting-return",
        returned.pk: "returned",
    }
    migration.backwards(apps, None)
    assert set(Recall.objects.values_list("status", flat=True)) == {"in-progress", "returned"}


# --- Pages ----------------------------------------------------------------------------------


def _url(name, recall):
    return reverse(f"cohorts:{name}", args=[recall.nominal_id, recall.pk])


def test_the_decision_page_offers_the_record_ticked_and_records_the_choice(
    client, officer, manager, case
):
    client.force_login(officer)
    page = client.get(_url("controls-recall-decision", case)).content.decode()
    assert page.count('type="checkbox" value="drug-test:') == 3
    assert page.count(" checked") >= 7
    assert "Written warning on" in page
    candidates = services.alternative_candidates(case, officer)
    response = client.post(
        _url("controls-recall-decision", case),
        {
            "grounds": "contact",
            "chosen": [candidates[0].source],
            "recall_type": "fixed-term",
            "rationale": "Contact has broken down.",
            "add_0_kind": "other",
            "add_0_description": "Three-way meeting with his mother",
            "version": case.version,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.recall_type == "fixed-term"
    assert case.alternatives.count() == 2
    page = client.get(_url("controls-recall", case)).content.decode()
    assert "Awaiting a manager's countersignature" in page
    assert "Countersign the decision" not in page

    client.force_login(manager)
    response = client.post(
        _url("controls-recall", case),
        {"action": "countersign", "rationale": "Agreed.", "version": case.version},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == RecallStatus.AWAITING_RETURN


def test_a_step_is_recorded_at_the_date_and_time_typed(client, officer, case):
    case.started_at = timezone.now() - 3 * DAY
    case.save()
    client.force_login(officer)
    day = TODAY() - DAY
    response = client.post(
        _url("controls-recall", case),
        {
            "action": "step",
            "step": "probation_contacted_at",
            "version": case.version,
            "done_on_day": day.day,
            "done_on_month": day.month,
            "done_on_year": day.year,
            "done_time": "09:15",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    at = timezone.localtime(case.probation_contacted_at)
    assert (at.date(), at.hour, at.minute) == (day, 9, 15)


def test_a_step_typed_in_the_future_is_refused_on_the_page(client, officer, case):
    client.force_login(officer)
    day = TODAY() + DAY
    response = client.post(
        _url("controls-recall", case),
        {
            "action": "step",
            "step": "probation_contacted_at",
            "version": case.version,
            "done_on_day": day.day,
            "done_on_month": day.month,
            "done_on_year": day.year,
            "done_time": "09:15",
        },
    )
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    case.refresh_from_db()
    assert case.probation_contacted_at is None


def test_the_recall_page_shows_the_dossier_check(client, officer, case):
    client.force_login(officer)
    page = client.get(_url("controls-recall", case)).content.decode()
    assert "Dossier check" in page
    assert page.count("Missing") == 4  # all but the licence
    client.post(
        _url("controls-recall", case),
        {"action": "dossier-part", "part": "charge_sheet", "version": case.version},
    )
    page = client.get(_url("controls-recall", case)).content.decode()
    assert page.count("Missing") == 3
    assert f"Confirmed by {officer}" in page


# --- Another agency's user ------------------------------------------------------------------


def test_another_agencys_user_gets_404_on_every_new_page_and_action(client, outsider, case):
    client.force_login(outsider)
    assert client.get(_url("controls-recall-decision", case)).status_code == 404
    assert client.post(_url("controls-recall-decision", case), {}).status_code == 404
    for action in ("countersign", "step", "dossier-part", "issue-dossier"):
        response = client.post(
            _url("controls-recall", case), {"action": action, "version": case.version}
        )
        assert response.status_code == 404, action
    assert client.get(_url("controls-recall", case)).status_code == 404


def test_another_agencys_user_gets_404_on_every_new_endpoint(client, outsider, case):
    client.force_login(outsider)
    base = f"/api/recalls/{case.pk}/"
    for path in ("alternatives/", "dossier/"):
        assert client.get(base + path).status_code == 404, path
    for path in ("decision/", "countersign/", "steps/", "dossier/parts/", "dossier/issue/"):
        response = client.post(
            base + path, {"version": case.version}, content_type="application/json"
        )
        assert response.status_code == 404, path
    case.refresh_from_db()
    assert case.status == RecallStatus.BOOKED


# --- API ------------------------------------------------------------------------------------


def test_the_api_walks_the_decision_countersignature_steps_and_dossier(
    client, officer, manager, case
):
    base = f"/api/recalls/{case.pk}/"
    client.force_login(officer)
    candidates = client.get(base + "alternatives/").json()["candidates"]
    sources = [c["source"] for c in candidates if c["kind"] == "drug-test"]
    assert len(sources) == 3
    response = client.post(
        base + "decision/",
        {
            "version": case.version, "grounds": "risk", "recall_type": "standard",
            "rationale": "Three positive tests.", "chosen": sources,
            "additions": [{"kind": "other", "description": "Hostel referral"}],
        },
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "being-assessed"
    assert len(body["alternatives"]) == 4

    stale = client.post(
        base + "countersign/",
        {"version": case.version, "rationale": "Agreed"},
        content_type="application/json",
    )
    assert stale.status_code in (403, 409)
    client.force_login(manager)
    stale = client.post(
        base + "countersign/",
        {"version": case.version, "rationale": "Agreed"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == body["version"]
    response = client.post(
        base + "countersign/",
        {"version": body["version"], "rationale": "Agreed"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "awaiting-return"
    assert body["countersigned_by"] == str(manager)

    client.force_login(officer)
    at = timezone.localtime().replace(microsecond=0).isoformat()
    response = client.post(
        base + "steps/",
        {"version": body["version"], "step": "ppcs_contacted", "at": at},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    step = next(s for s in body["checklist"] if s["step"] == "ppcs_contacted")
    assert step["at"] is not None
    response = client.post(
        base + "steps/",
        {"version": body["version"], "step": "paperwork_completed"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "out_of_order_reason" in response.json()

    dossier = client.get(base + "dossier/").json()
    assert "Charge sheet" in dossier["missing"]
    response = client.post(
        base + "dossier/issue/", {"version": body["version"]}, content_type="application/json"
    )
    assert response.status_code == 400
    response = client.post(
        base + "dossier/parts/",
        {"version": body["version"], "part": "charge_sheet", "note": "Scanned"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert "Charge sheet" not in response.json()["missing"]


def test_an_officer_countersigning_through_the_api_is_refused(client, officer, case):
    _decide(case, officer)
    case.refresh_from_db()
    client.force_login(factories.IomOfficerFactory())
    response = client.post(
        f"/api/recalls/{case.pk}/countersign/",
        {"version": case.version, "rationale": "Agreed"},
        content_type="application/json",
    )
    assert response.status_code == 403
