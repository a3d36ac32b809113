"""Control-measure services: what they record, what they refuse, and that a refusal writes
nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cohorts.controls import services
from cohorts.controls.forms import MeasureForm
from cohorts.controls.models import (
    CATEGORY_OF_KIND,
    ControlMeasure,
    ControlsConfiguration,
    MeasureCategory,
    MeasureKind,
    Recall,
    RecallStatus,
    Sanction,
    SanctionLevel,
)
from cohorts.controls.queries import (
    at_recall_threshold,
    controls_of,
    recall_prompts_for,
    with_recall_threshold,
)
from cohorts.models import Nominal
from iom.locking import StaleEditError
from iom.models import AuditEvent
from tests import factories
from tests.controls.factories import (
    BreachFactory,
    DrugTestFactory,
    LicenceFactory,
    RecallFactory,
)

TODAY = datetime.date.today
DAY = datetime.timedelta(days=1)


def _prompt(nominal):
    """The person's recall prompt as their Controls section works it out from the rows it
    has loaded, held to the same answer as the set-based rule that finds everyone at the
    threshold (My work, the cohort)."""
    prompt = controls_of(nominal, TODAY()).prompt
    configuration = ControlsConfiguration.current()
    found = (
        with_recall_threshold(Nominal.objects.filter(pk=nominal.pk), TODAY())
        .filter(at_recall_threshold(configuration))
        .first()
    )
    assert (prompt is None) == (found is None)
    if prompt is not None:
        counted = (found.class_a_positives, found.missed_tests)
        assert (prompt.class_a_positives, prompt.missed_tests) == counted
    return prompt


@pytest.fixture
def licence(officer):
    return LicenceFactory(created_by=officer)


@pytest.fixture
def breach(licence):
    return BreachFactory(licence=licence)


def _positive(nominal, officer, days_ago):
    return services.record_drug_test(
        nominal,
        by=officer,
        tested_on=TODAY() - days_ago * DAY,
        outcome="positive",
        class_a_substances="Opiates",
    )


def test_licence_with_expiry_before_release_is_refused(officer, nominal):
    with pytest.raises(ValidationError) as error:
        services.create_licence(
            nominal,
            by=officer,
            release_date=TODAY(),
            licence_expiry_date=TODAY() - DAY,
            sentence_expiry_date=TODAY(),
        )
    assert "licence_expiry_date" in error.value.message_dict


def test_overlapping_licence_is_refused(officer, licence):
    with pytest.raises(ValidationError, match="already has a licence"):
        services.create_licence(
            licence.nominal,
            by=officer,
            release_date=TODAY(),
            licence_expiry_date=TODAY() + 10 * DAY,
            sentence_expiry_date=TODAY() + 10 * DAY,
        )


def test_licence_is_created_and_audited(officer, nominal):
    licence = services.create_licence(
        nominal,
        by=officer,
        release_date=TODAY() - DAY,
        licence_expiry_date=TODAY() + 100 * DAY,
        sentence_expiry_date=TODAY() + 200 * DAY,
    )
    assert AuditEvent.objects.filter(object_id=str(licence.pk), action="collection").exists()


def test_stale_licence_edit_is_refused(officer, licence):
    services.update_licence(licence.pk, by=officer, version=1, changes={"offence": "Robbery"})
    with pytest.raises(StaleEditError):
        services.update_licence(licence.pk, by=officer, version=1, changes={"offence": "Theft"})
    licence.refresh_from_db()
    assert licence.offence == "Robbery"


def test_breach_outside_the_licence_is_refused(officer, licence):
    with pytest.raises(ValidationError) as error:
        services.record_breach(
            licence, by=officer, occurred_on=licence.release_date - DAY, evidence="Seen out"
        )
    assert "occurred_on" in error.value.message_dict


def test_sanction_skipping_a_step_without_a_reason_is_refused_and_nothing_written(officer, breach):
    with pytest.raises(ValidationError) as error:
        services.record_sanction(
            breach.licence,
            by=officer,
            level=SanctionLevel.DISTRICT_MANAGER_WARNING,
            issued_on=TODAY(),
            breach=breach,
        )
    assert "written warning" in error.value.message_dict["skip_reason"][0]
    assert not Sanction.objects.exists()


def test_sanction_skipping_a_step_with_a_reason_is_recorded(officer, breach):
    sanction = services.record_sanction(
        breach.licence,
        by=officer,
        level=SanctionLevel.DISTRICT_MANAGER_WARNING,
        issued_on=TODAY(),
        skip_reason="Threatened his supervising officer.",
    )
    assert sanction.skip_reason == "Threatened his supervising officer."


def test_sanctions_in_order_need_no_reason(officer, breach):
    for level in (SanctionLevel.WRITTEN_WARNING, SanctionLevel.DISTRICT_MANAGER_WARNING):
        services.record_sanction(breach.licence, by=officer, level=level, issued_on=TODAY())
    assert Sanction.objects.count() == 2


def test_recall_before_the_warnings_without_a_reason_is_refused(officer, breach):
    with pytest.raises(ValidationError) as error:
        services.start_recall(breach, by=officer, reason="Positive tests")
    assert "skip_reason" in error.value.message_dict
    assert not Recall.objects.exists()
    assert not Sanction.objects.exists()


def test_recall_after_the_warnings_is_the_top_step_of_the_ladder(officer, breach):
    for level in (SanctionLevel.WRITTEN_WARNING, SanctionLevel.DISTRICT_MANAGER_WARNING):
        services.record_sanction(breach.licence, by=officer, level=level, issued_on=TODAY())
    recall = services.start_recall(breach, by=officer, reason="Positive tests")
    assert recall.status == RecallStatus.BOOKED
    assert recall.sanction.level == SanctionLevel.RECALL


def test_a_second_recall_in_progress_is_refused(officer, breach):
    services.start_recall(breach, by=officer, reason="Tests", skip_reason="Fast-track")
    with pytest.raises(ValidationError, match="already in progress"):
        services.start_recall(breach, by=officer, reason="Again", skip_reason="Fast-track")


def test_ticking_arrest_completes_the_recall(officer, manager, breach):
    recall = services.start_recall(breach, by=officer, reason="Tests", skip_reason="Fast-track")
    recall = services.record_recall_decision(
        recall.pk, by=officer, version=recall.version, grounds="risk",
        recall_type="standard", rationale="Tests", chosen=[],
    )  # fmt: skip
    recall = services.countersign_recall_decision(
        recall.pk, by=manager, version=recall.version, rationale="Agreed"
    )
    recall = services.complete_recall_step(
        recall.pk, by=officer, version=recall.version, step="probation_contacted_at"
    )
    recall = services.complete_recall_step(
        recall.pk, by=officer, version=recall.version, step="returned_to_custody_at"
    )
    assert recall.status == RecallStatus.RETURNED
    assert recall.checklist()[0]["since_start"] is not None


def test_a_stale_checklist_tick_is_refused(officer, breach):
    recall = services.start_recall(breach, by=officer, reason="Tests", skip_reason="Fast-track")
    services.complete_recall_step(
        recall.pk, by=officer, version=recall.version, step="probation_contacted_at"
    )
    with pytest.raises(StaleEditError):
        services.complete_recall_step(
            recall.pk, by=officer, version=recall.version, step="ppcs_contacted_at"
        )


def test_a_step_before_the_recall_started_is_refused(officer, breach):
    recall = services.start_recall(breach, by=officer, reason="Tests", skip_reason="Fast-track")
    with pytest.raises(ValidationError) as error:
        services.complete_recall_step(
            recall.pk,
            by=officer,
            version=recall.version,
            step="probation_contacted_at",
            at=recall.started_at - datetime.timedelta(hours=1),
        )
    assert "at" in error.value.message_dict


def test_positive_test_must_name_the_drug(officer, licence):
    with pytest.raises(ValidationError) as error:
        services.record_drug_test(
            licence.nominal, by=officer, tested_on=TODAY(), outcome="positive"
        )
    assert "class_a_substances" in error.value.message_dict


def test_a_test_is_linked_to_the_licence_of_its_day(officer, licence):
    test = _positive(licence.nominal, officer, 1)
    assert test.licence == licence


def test_the_third_positive_class_a_test_reaches_the_threshold(officer, licence):
    _positive(licence.nominal, officer, 10)
    _positive(licence.nominal, officer, 6)
    assert _prompt(licence.nominal) is None
    _positive(licence.nominal, officer, 2)
    prompt = _prompt(licence.nominal)
    assert prompt is not None
    assert "3 positive Class A tests" in prompt.message


def test_missed_tests_count_as_a_failure_to_engage(officer, licence):
    for days_ago in (4, 2):
        services.record_drug_test(
            licence.nominal, by=officer, tested_on=TODAY() - days_ago * DAY,
            outcome="failed-to-attend",
        )  # fmt: skip
    prompt = _prompt(licence.nominal)
    assert "failure to engage" in prompt.message


def test_the_threshold_comes_from_the_stored_configuration(officer, licence):
    services.update_configuration(by=officer, class_a_positive_threshold=1, missed_test_threshold=5)
    _positive(licence.nominal, officer, 1)
    assert _prompt(licence.nominal) is not None


def test_no_prompt_while_a_recall_is_in_progress(officer, licence):
    for days_ago in (9, 6, 3):
        _positive(licence.nominal, officer, days_ago)
    RecallFactory(breach=BreachFactory(licence=licence))
    assert _prompt(licence.nominal) is None


def test_tests_before_an_earlier_recall_are_not_counted_again(officer, licence):
    for days_ago in (9, 8, 7):
        DrugTestFactory(
            licence=licence, outcome="positive", class_a_substances="Cocaine",
            tested_on=TODAY() - days_ago * DAY,
        )  # fmt: skip
    RecallFactory(
        breach=BreachFactory(licence=licence),
        status="returned",
        started_at=timezone.now() - 5 * DAY,
        returned_to_custody_at=timezone.now() - 4 * DAY,
    )
    assert _prompt(licence.nominal) is None


def test_tests_of_an_expired_licence_do_not_prompt(officer):
    old = LicenceFactory(
        release_date=TODAY() - 400 * DAY,
        licence_expiry_date=TODAY() - 30 * DAY,
        sentence_expiry_date=TODAY() - 30 * DAY,
    )
    for days_ago in (100, 90, 80):
        DrugTestFactory(
            licence=old, outcome="positive", class_a_substances="Heroin",
            tested_on=TODAY() - days_ago * DAY,
        )  # fmt: skip
    assert _prompt(old.nominal) is None


def test_recall_prompts_cost_the_same_queries_for_many_people(officer, django_assert_num_queries):
    def at_threshold(count):
        for _ in range(count):
            licence = LicenceFactory()
            for days_ago in (3, 2, 1):
                DrugTestFactory(
                    licence=licence, outcome="positive", class_a_substances="Heroin",
                    tested_on=TODAY() - days_ago * DAY,
                )  # fmt: skip

    at_threshold(2)
    ControlsConfiguration.current()
    with django_assert_num_queries(2):
        assert len(recall_prompts_for(officer, TODAY())) == 2
    at_threshold(10)
    with django_assert_num_queries(2):
        assert len(recall_prompts_for(officer, TODAY())) == 12


def test_recall_prompts_leave_out_people_the_user_cannot_see(outsider, officer, licence):
    for days_ago in (3, 2, 1):
        _positive(licence.nominal, officer, days_ago)
    assert recall_prompts_for(outsider, TODAY()) == []
    assert [p.nominal for p in recall_prompts_for(officer, TODAY())] == [licence.nominal]


def test_curfew_needs_its_hours(officer, nominal):
    with pytest.raises(ValidationError) as error:
        services.add_control_measure(nominal, by=officer, kind="curfew", starts_on=TODAY())
    assert {"curfew_from", "curfew_until"} <= set(error.value.message_dict)
    assert not ControlMeasure.objects.exists()


def test_ending_a_measure_needs_an_end_date_and_a_fresh_version(officer, nominal):
    measure = services.add_control_measure(
        nominal, by=officer, kind="gps-tag", starts_on=TODAY() - DAY, imposed_by="Crown Court"
    )
    assert measure.category == "bail"
    with pytest.raises(ValidationError):
        services.change_control_measure(
            measure.pk, by=officer, version=measure.version, status="ended", ends_on=None
        )
    services.change_control_measure(
        measure.pk, by=officer, version=measure.version, status="ended", ends_on=TODAY()
    )
    with pytest.raises(StaleEditError):
        services.change_control_measure(
            measure.pk, by=officer, version=measure.version, status="active", ends_on=None
        )


def test_a_user_who_cannot_change_the_record_is_refused(outsider, nominal):
    with pytest.raises(PermissionDenied):
        services.add_control_measure(nominal, by=outsider, kind="sector-target", starts_on=TODAY())


def test_partner_with_view_only_cannot_record_a_test(licence):
    partner = factories.UserFactory()
    from tests.sharing import share_with

    share_with(licence.nominal, partner, by=None)
    with pytest.raises(PermissionDenied):
        _positive(licence.nominal, partner, 1)


def test_every_kind_of_measure_has_one_category_and_a_place_in_the_form():
    assert set(CATEGORY_OF_KIND) == set(MeasureKind)
    offered = [
        (group, value)
        for group, kinds in MeasureForm().fields["kind"].choices
        for value, _ in kinds
    ]
    assert sorted(value for _, value in offered) == sorted(MeasureKind.values)
    assert ("Civil orders", "cbo") in offered
    assert CATEGORY_OF_KIND[MeasureKind.DISRUPTION] == MeasureCategory.ENFORCEMENT
