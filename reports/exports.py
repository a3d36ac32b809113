"""The cohort report's files: PDF (A4, marked OFFICIAL-SENSITIVE, page X of Y, charts as inline
SVG), CSV of every table and an XLSX workbook with one sheet per table. All three are written
from the same figures (reports.measures.build)."""

from __future__ import annotations

import csv
import io
import re

from django.template.loader import render_to_string

from iom.exports import safe_cell, safe_row
from iom.formatting import long_datetime

from .charts import PDF_FONT, chart_for, in_font
from .documents.render import MARKING, _no_network


def with_charts(figures: dict, *, font: str = "") -> list[dict]:
    """Each table with its chart; in ``font`` (the PDF's) rather than the pages' font."""
    sections = [{"table": table, "svg": chart_for(table)} for table in figures["tables"]]
    if font:
        for section in sections:
            if section["svg"]:
                section["svg"] = in_font(section["svg"], font)
    return sections


def render_pdf(figures: dict, *, title: str) -> tuple[bytes, int]:
    from weasyprint import HTML

    html = render_to_string(
        "reports/pdf/cohort_report.html",
        {
            "figures": figures,
            "sections": with_charts(figures, font=PDF_FONT),
            "marking": MARKING,
            "title": title,
        },
    )
    document = HTML(string=html, url_fetcher=_no_network).render()
    buffer = io.BytesIO()
    document.write_pdf(buffer)
    return buffer.getvalue(), len(document.pages)


def _cell(value):
    return "" if value is None else safe_cell(value)


def render_csv(figures: dict, *, title: str) -> bytes:
    """Every table one after another: a line naming the table, its header, its rows and a
    blank line. The marking opens and closes the file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([MARKING])
    writer.writerow([safe_cell(title)])
    for table in figures["tables"]:
        writer.writerow([])
        writer.writerow([f"Table: {table['title']}"])
        writer.writerow(safe_row(table["columns"]))
        for row in table["rows"]:
            writer.writerow([_cell(value) for value in row])
        if table.get("note"):
            writer.writerow([safe_cell(f"Note: {table['note']}")])
    writer.writerow([])
    writer.writerow([MARKING])
    return buffer.getvalue().encode("utf-8-sig")


def sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip()
    base, number = name, 2
    while name in used:
        suffix = f" {number}"
        name = base[: 31 - len(suffix)] + suffix
        number += 1
    used.add(name)
    return name


def render_xlsx(figures: dict, *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    cover = workbook.active
    cover.title = "Report"
    cover.append([MARKING])
    cover.append([safe_cell(title)])
    cover.append(["Unit costs price year", figures.get("price_year", "")])
    cover.append(["Generated", long_datetime(figures.get("generated_at"))])
    cover["A1"].font = Font(bold=True)
    used = {"Report"}
    for table in figures["tables"]:
        sheet = workbook.create_sheet(sheet_name(table["key"], used))
        sheet.append([MARKING])
        sheet.append([safe_cell(table["title"])])
        sheet.append(safe_row(table["columns"]))
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for row in table["rows"]:
            sheet.append(safe_row(row))
        if table.get("note"):
            sheet.append([])
            sheet.append([safe_cell(table["note"])])
        sheet.column_dimensions["A"].width = 48
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ANNEX_COLUMNS = ["Name", "Date of birth", "PNC ID", "Stream", "Lead agency", "Entered", "Exited"]


def render_annex(rows: list[list], *, title: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([MARKING])
    writer.writerow([f"Named annex: {title}"])
    writer.writerow(ANNEX_COLUMNS)
    writer.writerows(safe_row(row) for row in rows)
    writer.writerow([MARKING])
    return buffer.getvalue().encode("utf-8-sig")
