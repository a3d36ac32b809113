"""Recording and correcting arrests, detections and intelligence: one transaction each, the
same rules for officers and feeds, the old values kept in the audit trail."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cohorts.risk import importing, recording
from cohorts.risk.models import (
    Arrest,
    DetectedOffence,
    IntelligenceReport,
    IntelligenceSubmission,
    SubmissionStatus,
)
from iom.locking import StaleEditError
from iom.models import AuditEvent
from tests.risk import factories as risk
from tests.risk.partners import offender_manager, partner

TODAY = datetime.date.today()
YESTERDAY = TODAY - datetime.timedelta(days=1)
GRADED = {
    "grading_system": "3x5x2", "source_evaluation": "B", "intelligence_assessment": 2,
    "handling_code": "P",
}  # fmt: skip


@pytest.fixture
def burglary(db):
    return risk.offence_type("28A")


def _arrest(nominal, by, burglary, **changes):
    values = {"arrested_on": YESTERDAY, "offence_type": burglary, "grounds": "evidence",
              "location": "High Street", **changes}  # fmt: skip
    return recording.record_arrest(nominal, by=by, **values)


def test_an_officer_records_an_arrest_with_its_collection_event(officer, nominal, burglary):
    arrest = _arrest(nominal, officer, burglary)
    assert (arrest.version, arrest.recorded_by, arrest.source) == (1, officer, "officer")
    event = AuditEvent.objects.get(action="collection", object_id=str(arrest.pk))
    assert event.person_id == nominal.pk
    assert event.changes["grounds"] == [None, "evidence"]


def test_a_correction_keeps_the_old_values_in_the_audit_trail(officer, nominal, burglary):
    arrest = _arrest(nominal, officer, burglary)
    theft = risk.offence_type("45")
    corrected = recording.correct_arrest(
        arrest.pk, by=officer, version=1, offence_type=theft, location="Market Street"
    )
    assert corrected.version == 2
    event = AuditEvent.objects.get(action="alteration", object_id=str(arrest.pk))
    assert event.changes == {
        "location": ["High Street", "Market Street"],
        "offence_type": ["28A", "45"],
    }


def test_a_correction_based_on_a_stale_version_changes_nothing(officer, nominal, burglary):
    arrest = _arrest(nominal, officer, burglary)
    recording.correct_arrest(arrest.pk, by=officer, version=1, location="Market Street")
    with pytest.raises(StaleEditError):
        recording.correct_arrest(arrest.pk, by=officer, version=1, location="Station Road")
    arrest.refresh_from_db()
    assert (arrest.location, arrest.version) == ("Market Street", 2)
    assert AuditEvent.objects.filter(action="alteration").count() == 1


def test_a_refused_arrest_writes_nothing(officer, nominal, burglary):
    with pytest.raises(ValidationError) as refused:
        _arrest(nominal, officer, burglary, arrested_on=TODAY + datetime.timedelta(days=1),
                grounds="hunch", location="=HYPERLINK()")  # fmt: skip
    assert set(refused.value.message_dict) == {"arrested_on", "grounds", "location"}
    assert not Arrest.objects.exists()
    assert not AuditEvent.objects.filter(action="collection").exists()


def test_a_partner_with_a_view_only_share_cannot_record_arrests_or_detections(nominal, burglary):
    viewer = partner("Housing", nominal)
    with pytest.raises(PermissionDenied):
        _arrest(nominal, viewer, burglary)
    with pytest.raises(PermissionDenied):
        recording.record_detection(nominal, by=viewer, committed_on=YESTERDAY,
                                   offence_type=burglary, outcome="charged")  # fmt: skip
    assert not Arrest.objects.exists() and not DetectedOffence.objects.exists()


def test_a_named_offender_manager_records_an_arrest(nominal, burglary):
    manager = offender_manager(nominal)
    assert _arrest(nominal, manager, burglary).recorded_by == manager


def test_only_the_iom_unit_records_intelligence(nominal):
    with pytest.raises(PermissionDenied):
        recording.record_intelligence(
            nominal, by=offender_manager(nominal), reported_on=YESTERDAY,
            intelligence_source="police", **GRADED,
        )  # fmt: skip


def test_a_detection_keeps_its_sanction_and_scene(officer, nominal, burglary):
    detection = recording.record_detection(
        nominal, by=officer, committed_on=YESTERDAY - datetime.timedelta(days=30),
        offence_type=burglary, outcome="convicted", sanction="conviction",
        sanction_date=YESTERDAY, scene_easting=458300, scene_northing=304900,
    )  # fmt: skip
    assert (detection.sanction, detection.scene_easting) == ("conviction", 458300)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sanction": "conviction"}, "sanction_date"),
        ({"sanction_date": YESTERDAY}, "sanction"),
        ({"sanction": "caution", "sanction_date": YESTERDAY - datetime.timedelta(days=9)},
         "sanction_date"),
        ({"scene_easting": 458300}, "scene_northing"),
        ({"scene_easting": 958300, "scene_northing": 304900}, "scene_easting"),
    ],
    ids=["sanction without date", "date without sanction", "sanction before offence",
         "easting alone", "easting outside Great Britain"],
)  # fmt: skip
def test_a_detection_the_rules_refuse_names_the_field(officer, nominal, burglary, changes, field):
    with pytest.raises(ValidationError) as refused:
        recording.record_detection(
            nominal, by=officer, committed_on=YESTERDAY - datetime.timedelta(days=1),
            offence_type=burglary, outcome="charged", **changes,
        )  # fmt: skip
    assert field in refused.value.message_dict
    assert not DetectedOffence.objects.exists()


def _intelligence(nominal, by, **grading):
    return recording.record_intelligence(
        nominal, by=by, reported_on=YESTERDAY, intelligence_source="police",
        summary="Seen with stolen goods.", **grading,
    )  # fmt: skip


def test_intelligence_is_graded_3x5x2_in_fields_and_reads_as_its_grading(officer, nominal):
    report = _intelligence(nominal, officer, **GRADED)
    assert (report.source_evaluation, report.intelligence_assessment) == ("B", 2)
    assert report.grading == "B2P"


@pytest.mark.parametrize(
    ("grading", "field"),
    [
        ({**GRADED, "handling_code": "C"}, "handling_conditions"),
        ({**GRADED, "handling_code": "4"}, "handling_code"),
        ({**GRADED, "source_evaluation": "D"}, "source_evaluation"),
        ({**GRADED, "grading_system": "5x5x5", "handling_code": "4"}, "grading_system"),
        ({**GRADED, "handling_conditions": "Police only"}, "handling_conditions"),
    ],
    ids=["C without conditions", "5x5x5 code", "source D", "new 5x5x5 report",
         "conditions without C"],
)  # fmt: skip
def test_a_grading_the_rules_refuse_names_the_field(officer, nominal, grading, field):
    with pytest.raises(ValidationError) as refused:
        _intelligence(nominal, officer, **grading)
    assert field in refused.value.message_dict
    assert not IntelligenceReport.objects.exists()


def test_code_c_is_accepted_with_its_conditions(officer, nominal):
    report = _intelligence(
        nominal, officer, **{**GRADED, "handling_code": "C"},
        handling_conditions="Probation only, not to be shown to the person.",
    )  # fmt: skip
    assert report.grading == "B2C"


def test_an_imported_5x5x5_report_can_be_corrected_and_keep_its_grading(officer, nominal):
    report = risk.IntelligenceReportFactory(
        nominal=nominal, grading="E44", grading_system="5x5x5", source_evaluation="E",
        intelligence_assessment=4, handling_code="4",
    )  # fmt: skip
    corrected = recording.correct_intelligence(
        report.pk, by=officer, version=1, summary="Corrected summary."
    )
    assert (corrected.grading, corrected.version) == ("E44", 2)


# --- The feed goes through the same rules and the same writer ---------------------------------

HEADER = (
    "record_type,external_ref,pnc_id,date,offence_code,grounds,intelligence_source,grading,"
    "handling_code,handling_conditions"
)


def _feed(*rows):
    return "\n".join([HEADER, *rows])


def test_the_feed_maps_3x5x2_and_5x5x5_gradings(nominal):
    pnc = nominal.pnc_id
    result = importing.import_file(
        _feed(
            f"intelligence,I-1,{pnc},{YESTERDAY},,,police,B2P,,",
            f"intelligence,I-2,{pnc},{YESTERDAY},,,police,E4,4,",
            f"intelligence,I-3,{pnc},{YESTERDAY},,,partner,A/1/C,,Police only",
        ),
        source="police", by=None,
    )  # fmt: skip
    assert result.errors == []
    gradings = dict(IntelligenceReport.objects.values_list("external_ref", "grading_system"))
    assert gradings == {"I-1": "3x5x2", "I-2": "5x5x5", "I-3": "3x5x2"}
    assert IntelligenceReport.objects.get(external_ref="I-2").handling_code == "4"


def test_the_feed_refuses_what_the_forms_refuse_by_line_and_column(nominal):
    pnc = nominal.pnc_id
    result = importing.import_file(
        _feed(
            f"intelligence,I-1,{pnc},{YESTERDAY},,,police,B2C,,",
            f"intelligence,I-2,{pnc},{YESTERDAY},,,police,D2P,,",
            f"intelligence,I-3,{pnc},{YESTERDAY},,,police,B2P,4,",
        ),
        source="police", by=None,
    )  # fmt: skip
    assert {(e["line"], e["column"]) for e in result.errors} == {
        (2, "handling_conditions"), (3, "grading"), (4, "handling_code"),
    }  # fmt: skip
    assert not IntelligenceReport.objects.exists()


def test_a_feed_correcting_an_arrest_moves_its_version_and_keeps_the_old_values(
    officer, nominal, burglary
):
    pnc = nominal.pnc_id
    feed = _feed(f"arrest,A-1,{pnc},{YESTERDAY},28A,suspicion,,,,")
    importing.import_file(feed, source="police", by=None)
    importing.import_file(feed.replace("suspicion", "evidence"), source="police", by=officer)
    arrest = Arrest.objects.get()
    assert (arrest.grounds, arrest.version) == ("evidence", 2)
    event = AuditEvent.objects.get(action="alteration", object_id=str(arrest.pk))
    assert event.changes == {"grounds": ["suspicion", "evidence"]}


# --- Partners' submissions -------------------------------------------------------------------


def _submit(nominal, by):
    return recording.submit_intelligence(
        nominal, by=by, reported_on=YESTERDAY, summary="He is dealing from the flat."
    )


def test_a_partner_submits_intelligence_about_a_person_shared_with_them(nominal):
    worker = partner("Housing", nominal, covers_intelligence=False)
    submission = _submit(nominal, worker)
    assert (submission.status, submission.agency) == ("submitted", worker.agency)


def test_a_partner_cannot_submit_about_a_person_not_shared_with_them(nominal, outsider):
    with pytest.raises(PermissionDenied):
        _submit(nominal, outsider)
    assert not IntelligenceSubmission.objects.exists()


def test_accepting_a_submission_makes_a_graded_partner_report(officer, nominal):
    submission = _submit(nominal, partner("Housing", nominal))
    recording.accept_submission(submission.pk, by=officer, version=1, **GRADED)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED
    report = submission.report
    assert (report.intelligence_source, report.grading) == ("partner", "B2P")
    assert report.summary == "He is dealing from the flat."


def test_a_refused_grading_leaves_the_submission_waiting_and_no_report(officer, nominal):
    submission = _submit(nominal, partner("Housing", nominal))
    with pytest.raises(ValidationError):
        recording.accept_submission(
            submission.pk, by=officer, version=1, **{**GRADED, "handling_code": "C"}
        )
    submission.refresh_from_db()
    assert (submission.status, submission.version) == ("submitted", 1)
    assert not IntelligenceReport.objects.exists()
    assert not AuditEvent.objects.filter(action="alteration").exists()


def test_a_rejection_needs_a_reason_and_only_the_iom_unit_decides(officer, nominal):
    worker = partner("Housing", nominal)
    submission = _submit(nominal, worker)
    with pytest.raises(ValidationError):
        recording.reject_submission(submission.pk, by=officer, version=1, note=" ")
    with pytest.raises(PermissionDenied):
        recording.reject_submission(submission.pk, by=worker, version=1, note="No.")
    recording.reject_submission(submission.pk, by=officer, version=1, note="Already known.")
    submission.refresh_from_db()
    assert (submission.status, submission.decision_note) == ("rejected", "Already known.")


def test_a_decided_submission_cannot_be_decided_again(officer, nominal):
    submission = _submit(nominal, partner("Housing", nominal))
    recording.reject_submission(submission.pk, by=officer, version=1, note="Already known.")
    with pytest.raises(ValidationError):
        recording.accept_submission(submission.pk, by=officer, version=2, **GRADED)
    submission.refresh_from_db()
    assert (submission.status, submission.report) == ("rejected", None)
