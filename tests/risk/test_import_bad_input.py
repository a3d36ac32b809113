"""Offending feeds that are not what they should be: each problem is reported by line and
column, nothing is written, and the upload page and the command never fail with a 500."""

import csv

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from cohorts.risk import importing
from cohorts.risk.models import DetectedOffence, ImportJob
from tests import factories

HEADER = "record_type,external_ref,pnc_id,date,offence_code,outcome,location"
GOOD_ROW = "detection,D-1,2010/0000001A,2026-05-01,28A,charged,Castlegate"
OTHER_ROW = "detection,D-2,2010/0000001A,2026-05-02,28A,charged,Market Street"


@pytest.fixture
def person(db):
    return factories.NominalFactory(pnc_id="2010/0000001A")


def _file(*rows: str, newline: str = "\n") -> str:
    return newline.join([HEADER, *rows]) + newline


def _errors(content: str) -> set[tuple[int, str]]:
    result = importing.import_file(content, source="police", by=None)
    assert not DetectedOffence.objects.exists()
    return {(error["line"], error["column"]) for error in result.errors}


def _upload(client, manager, data: bytes, django_capture_on_commit_callbacks):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("cohorts:offending-imports"),
            {"file": SimpleUploadedFile("feed.csv", data), "source": "police"},
        )


def _run_command(tmp_path, data: bytes, capsys) -> str:
    path = tmp_path / "feed.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_offending", str(path))
    assert not DetectedOffence.objects.exists()
    return capsys.readouterr().err


def test_a_nul_byte_in_a_value_names_its_line_and_column(person):
    assert _errors(_file(GOOD_ROW, OTHER_ROW.replace("Market", "Mar\0ket"))) == {(3, "location")}


def test_an_uploaded_file_with_a_nul_byte_is_refused_on_the_form(
    client, manager, person, django_capture_on_commit_callbacks
):
    data = _file(GOOD_ROW.replace("D-1", "D\0-1")).encode()
    response = _upload(client, manager, data, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "Line 2, column external_ref: Contains a NUL character" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_command_refuses_a_file_with_a_nul_byte(person, tmp_path, capsys):
    data = _file(GOOD_ROW, OTHER_ROW.replace("28A", "2\x008A")).encode()
    assert "Line 3, column offence_code: Contains a NUL" in _run_command(tmp_path, data, capsys)


def test_a_value_longer_than_the_csv_limit_names_its_line_and_column(person):
    long_location = "x" * (csv.field_size_limit() + 1)
    content = _file(GOOD_ROW, OTHER_ROW.replace("Market Street", long_location))
    result = importing.import_file(content, source="police", by=None)
    assert [(e["line"], e["column"]) for e in result.errors] == [(3, "location")]
    assert "Longer than 131,072 characters" in result.errors[0]["message"]
    assert not DetectedOffence.objects.exists()


def test_an_uploaded_file_with_a_value_over_the_limit_is_rejected_not_a_500(
    client, manager, person, django_capture_on_commit_callbacks
):
    long_ref = "R" * (csv.field_size_limit() + 10)
    data = _file(GOOD_ROW.replace("D-1", long_ref)).encode()
    response = _upload(client, manager, data, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert response.url == reverse("cohorts:offending-import", kwargs={"job_id": job.pk})
    assert job.status == "rejected"
    assert [(e["line"], e["column"]) for e in job.errors] == [(2, "external_ref")]
    assert not DetectedOffence.objects.exists()


def test_a_row_with_more_values_than_the_header_is_refused(person):
    assert _errors(_file(GOOD_ROW, OTHER_ROW + ",extra")) == {(3, "8")}


def test_a_row_with_fewer_values_than_the_header_is_refused(person):
    short = OTHER_ROW.rsplit(",", 2)[0]
    result = importing.import_file(_file(GOOD_ROW, short), source="police", by=None)
    assert [(e["line"], e["column"]) for e in result.errors] == [(3, "outcome")]
    assert result.errors[0]["message"] == "This row has 5 values; the header names 7 columns."
    assert not DetectedOffence.objects.exists()


def test_every_row_of_the_wrong_length_and_every_bad_value_are_reported_together(person):
    rows = [GOOD_ROW + ",x", OTHER_ROW.replace("28A", "99Z"), "detection,D-3"]
    assert _errors(_file(*rows)) == {(2, "8"), (3, "offence_code"), (4, "pnc_id")}


def test_a_repeated_column_is_refused_on_the_header_line(person):
    content = "record_type,external_ref,pnc_id,date,location,location\n"
    assert _errors(content) == {(1, "location")}


def test_an_uploaded_latin_1_file_is_refused_with_the_line_and_column(
    client, manager, person, django_capture_on_commit_callbacks
):
    data = _file(GOOD_ROW, OTHER_ROW.replace("Market Street", "Café Street")).encode("latin-1")
    response = _upload(client, manager, data, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Line 3, column location: Not UTF-8 text (byte 0xE9)" in body
    assert not ImportJob.objects.exists()


def test_the_command_refuses_a_latin_1_file_with_the_line_and_column(person, tmp_path, capsys):
    data = _file(GOOD_ROW.replace("Castlegate", "Château"), OTHER_ROW).encode("latin-1")
    assert "Line 2, column location: Not UTF-8" in _run_command(tmp_path, data, capsys)


def test_a_file_with_a_byte_order_mark_and_crlf_line_ends_imports(
    client, manager, person, django_capture_on_commit_callbacks
):
    data = _file(GOOD_ROW, OTHER_ROW, newline="\r\n").encode("utf-8-sig")
    response = _upload(client, manager, data, django_capture_on_commit_callbacks)
    assert ImportJob.objects.get().status == "succeeded", response
    assert set(DetectedOffence.objects.values_list("location", flat=True)) == {
        "Castlegate",
        "Market Street",
    }


def test_the_command_imports_a_file_with_a_byte_order_mark_and_crlf(person, tmp_path):
    path = tmp_path / "feed.csv"
    path.write_bytes(_file(GOOD_ROW, OTHER_ROW, newline="\r\n").encode("utf-8-sig"))
    call_command("import_offending", str(path))
    assert DetectedOffence.objects.count() == 2


def test_crlf_line_ends_keep_the_line_numbers_right(person):
    content = _file(GOOD_ROW, OTHER_ROW.replace("2026-05-02", "2026-13-02"), newline="\r\n")
    assert _errors(content) == {(3, "date")}


def test_an_empty_file_is_refused_on_its_first_line(person):
    result = importing.import_file("", source="police", by=None)
    assert result.errors == [
        {
            "line": 1,
            "column": "",
            "message": "The file is empty: its first line must name the columns.",
        }
    ]


def test_the_command_refuses_an_empty_file(person, tmp_path, capsys):
    assert "Line 1, column : The file is empty" in _run_command(tmp_path, b"", capsys)


def test_an_empty_upload_is_refused_on_the_form(
    client, manager, django_capture_on_commit_callbacks
):
    response = _upload(client, manager, b"", django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "The selected file is empty" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (OTHER_ROW.replace("Market Street", '"=HYPERLINK(""http://x"",""y"")"'), "location"),
        (OTHER_ROW.replace("Market Street", "@SUM(A1)"), "location"),
        (OTHER_ROW.replace("Market Street", "-2+3"), "location"),
        (OTHER_ROW.replace("D-2", "+D2"), "external_ref"),
    ],
    ids=["equals", "at", "minus", "plus"],
)
def test_a_value_a_spreadsheet_would_run_as_a_formula_is_refused(person, row, column):
    result = importing.import_file(_file(GOOD_ROW, row), source="police", by=None)
    assert [(e["line"], e["column"]) for e in result.errors] == [(3, column)]
    assert "formula" in result.errors[0]["message"]
    assert not DetectedOffence.objects.exists()
