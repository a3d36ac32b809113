"""Importing offending feeds: every error by line and column, all or nothing, re-importable."""

import pytest
from django.core.management import CommandError, call_command

from cohorts.risk import importing
from cohorts.risk.models import Arrest, DetectedOffence, IntelligenceReport
from iom.models import AuditEvent
from tests import factories

HEADER = (
    "record_type,external_ref,pnc_id,crn,date,offence_code,outcome,grounds,"
    "intelligence_source,grading,location,sanction,sanction_date"
)


@pytest.fixture
def people(db):
    return (
        factories.NominalFactory(pnc_id="2010/0000001A", crn="X000001"),
        factories.NominalFactory(pnc_id="2010/0000002B", crn="X000002"),
    )


def _good_file() -> str:
    return "\n".join([
        HEADER,
        "detection,D-1,2010/0000001A,,2026-05-01,28A,charged,,,,Castlegate,,",
        "detection,D-2,,X000002,2026-04-01,45,convicted,,,,,conviction,2026-06-01",
        "arrest,A-1,2010/0000002B,,2026-06-01,48,,suspicion,,,,,",
        "intelligence,I-1,2010/0000001A,,2026-06-10,,,,informant,B2,,,",
    ]) + "\n"  # fmt: skip


def _import(content: str):
    return importing.import_file(content, source="police", by=None)


def test_a_good_file_imports_every_row(people):
    result = _import(_good_file())
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    assert DetectedOffence.objects.count() == 2
    assert Arrest.objects.get().nominal == people[1]
    assert IntelligenceReport.objects.get().grading == "B2"
    assert AuditEvent.objects.filter(action="collection").count() == 2


def test_importing_the_same_file_again_adds_nothing(people):
    _import(_good_file())
    result = _import(_good_file())
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert DetectedOffence.objects.count() == 2


def test_a_corrected_row_updates_the_record_it_corrects(people):
    _import(_good_file())
    result = _import(_good_file().replace("28A,charged", "28A,convicted"))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    assert DetectedOffence.objects.get(external_ref="D-1").outcome == "convicted"


@pytest.mark.parametrize(
    ("bad_row", "column", "words"),
    [
        ("detection,D-9,2010/0000001A,,2026-02-30,28A,charged,,,,,,", "date", "not a date"),
        ("detection,D-9,2010/0000001A,,2026-02-01,99Z,charged,,,,,,", "offence_code", "99Z"),
        ("detection,D-9,2010/0000009Z,,2026-02-01,28A,charged,,,,,,", "pnc_id", "No person"),
    ],
    ids=["wrong date", "unknown offence type", "unknown nominal"],
)
def test_a_file_with_one_bad_row_is_rejected_naming_line_and_column(people, bad_row, column, words):
    lines = _good_file().splitlines()
    lines.insert(3, bad_row)
    result = _import("\n".join(lines))
    assert len(result.errors) == 1
    error = result.errors[0]
    assert (error["line"], error["column"]) == (4, column)
    assert words in error["message"]
    assert not DetectedOffence.objects.exists()
    assert not Arrest.objects.exists()
    assert not IntelligenceReport.objects.exists()


def test_every_error_in_a_file_is_reported(people):
    content = "\n".join([
        HEADER,
        "burglary,D-1,2010/0000001A,,2026-05-01,28A,charged,,,,,,",
        "detection,D-2,,,2026-05-01,28A,maybe,,,,,,",
    ])  # fmt: skip
    errors = {(e["line"], e["column"]) for e in _import(content).errors}
    assert errors == {(2, "record_type"), (3, "pnc_id"), (3, "outcome")}


def test_a_missing_column_is_reported_on_the_header_line(people):
    result = _import("record_type,pnc_id,date\n")
    assert result.errors == [
        {"line": 1, "column": "external_ref", "message": "This column is missing."}
    ]


def test_the_command_imports_a_file(people, tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text(_good_file())
    call_command("import_offending", str(path))
    assert DetectedOffence.objects.count() == 2


def test_the_command_refuses_a_bad_file_and_writes_nothing(people, tmp_path, capsys):
    path = tmp_path / "feed.csv"
    path.write_text(_good_file().replace("2026-05-01", "01/05/2026"))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_offending", str(path))
    assert "Line 2, column date" in capsys.readouterr().err
    assert not DetectedOffence.objects.exists()


def test_an_uploaded_job_records_its_progress_and_outcome(people, manager):
    job = importing.create_job(
        by=manager, file_name="feed.csv", content=_good_file(), source="police"
    )
    job = importing.run_import(job.pk)
    assert (job.status, job.total_rows, job.processed_rows, job.created_rows) == (
        "succeeded", 4, 4, 4,
    )  # fmt: skip
