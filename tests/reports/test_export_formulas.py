"""The report's CSV and XLSX files and the named annex write formula-like text as text, and
the annex writes ISO dates."""

import csv
import datetime
import io

from django.utils import timezone
from openpyxl import load_workbook

from reports import exports, monthly
from reports.measures.periods import last_month
from tests import factories

FIGURES = {
    "price_year": "2023/24",
    "generated_at": "2025-01-01",
    "tables": [
        {
            "key": "changes",
            "title": "Change in offending",
            "columns": ["Measure", "Change"],
            "rows": [["=cmd|' /C calc'!A0", -4], ["Reduction", -2.5]],
            "note": "-negative means fewer",
        }
    ],
}


def test_the_report_csv_quotes_formula_text_and_keeps_negative_numbers():
    text = exports.render_csv(FIGURES, title="@Report").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["'@Report"] in rows
    assert ["'=cmd|' /C calc'!A0", "-4"] in rows
    assert ["Reduction", "-2.5"] in rows
    assert ["Note: -negative means fewer"] in rows


def test_the_report_workbook_holds_formula_text_as_text_and_negative_numbers_as_numbers():
    workbook = load_workbook(io.BytesIO(exports.render_xlsx(FIGURES, title="=Report")))
    assert workbook["Report"]["A2"].value == "'=Report"
    sheet = workbook["changes"]
    assert sheet["A4"].value == "'=cmd|' /C calc'!A0"
    assert sheet["A4"].data_type == "s"
    assert sheet["B4"].value == -4 and sheet["B4"].data_type == "n"
    assert sheet["B5"].value == -2.5
    assert sheet["A7"].value == "'-negative means fewer"


def test_the_named_annex_writes_a_formula_name_as_text(db):
    period = last_month(timezone.localdate())
    factories.CohortMembershipFactory(
        nominal__surname='=HYPERLINK("http://example.com")',
        entered_on=period.start,
    )
    rows, _ = monthly.annex_rows(period, factories.ManagerFactory())
    text = exports.render_annex(rows, title="Test").decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    names = [line[0] for line in lines[3:-1]]
    assert names and all(name.startswith("'=") for name in names)


def test_the_named_annex_writes_iso_dates_as_every_csv_does(db):
    period = last_month(timezone.localdate())
    membership = factories.CohortMembershipFactory(
        nominal__date_of_birth=datetime.date(1990, 3, 4), entered_on=period.start
    )
    rows, _ = monthly.annex_rows(period, factories.ManagerFactory())
    text = exports.render_annex(rows, title="Test").decode("utf-8-sig")
    row = next(line for line in csv.reader(io.StringIO(text)) if "1990-03-04" in line)
    assert membership.entered_on.isoformat() in row
    assert "04/03/1990" not in text
