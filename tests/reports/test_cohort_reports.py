"""A manager requests last month's cohort report, watches it build and downloads the PDF, CSV
and XLSX, whose figures agree with each other and with the dashboard."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from iom.models import AuditEvent
from reports import monthly, tasks
from reports.measures.offending import NOT_PRICED
from reports.measures.periods import last_month
from reports.models import CohortReport, ReportConfiguration, ReportStatus
from tests import factories

from .cohort_factories import member, proven

MARKING = "OFFICIAL-SENSITIVE"


@pytest.fixture
def period():
    return last_month(timezone.localdate())


@pytest.fixture
def cohort(db, period):
    people = [member(period.start - datetime.timedelta(days=400 + i)) for i in range(5)]
    for index, nominal in enumerate(people):
        proven(nominal, period.start - datetime.timedelta(days=500 + index))
        proven(nominal, period.start - datetime.timedelta(days=300), "robbery-personal")
    member(period.start + datetime.timedelta(days=3))
    return people


def _request(client, period, **extra):
    data = {
        "start_day": period.start.day,
        "start_month": period.start.month,
        "start_year": period.start.year,
        "end_day": period.end.day,
        "end_month": period.end.month,
        "end_year": period.end.year,
        **extra,
    }
    return client.post(reverse("reports:cohort-reports"), data)


def _download(client, report, file_format) -> bytes:
    response = client.get(reverse("reports:cohort-report-download", args=[report.pk, file_format]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def built(client, manager, cohort, period, django_capture_on_commit_callbacks):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(client, period)
    report = CohortReport.objects.get()
    assert response.url == reverse("reports:cohort-report", args=[report.pk])
    return report


def test_manager_requests_last_months_report_and_it_is_built(client, built):
    page = client.get(reverse("reports:cohort-report", args=[built.pk])).content.decode()
    assert "Download the PDF" in page
    assert "data-app-refresh" not in page


def _csv_tables(data: bytes) -> dict:
    tables, current = {}, None
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
        if row and row[0].startswith("Table: "):
            current = tables.setdefault(row[0][7:], [])
        elif current is not None and row:
            current.append(row)
    return tables


def test_pdf_csv_xlsx_and_dashboard_agree(client, built, period):
    size = built.figures["tables"][0]["rows"][-1][1]
    title = built.figures["tables"][0]["title"]
    csv_rows = _csv_tables(_download(client, built, "csv"))[title]
    assert csv_rows[-1][1] == str(size) == "6"
    workbook = load_workbook(io.BytesIO(_download(client, built, "xlsx")))
    assert workbook["cohort-by-month"].cell(row=3 + 24, column=2).value == size
    before_after = workbook["before-after"]
    totals = [
        row for row in before_after.iter_rows(values_only=True) if row[0] == "All proven offences"
    ]
    pdf_text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(_download(client, built, "pdf"))).pages
    )
    assert re.search(rf"All\s+proven\s+offences\s+{totals[0][1]}\s+{totals[0][2]}", pdf_text)
    assert re.search(rf"{period.start:%b}\s+{period.start:%Y}\s+{size}\b", pdf_text)
    dashboard = client.get(reverse("reports:index"), {"month": f"{period.start:%Y-%m}"})
    assert dashboard.context["figures"]["tables"] == built.figures["tables"]


def test_every_page_of_the_pdf_carries_the_marking_and_its_number(client, built):
    reader = PdfReader(io.BytesIO(_download(client, built, "pdf")))
    assert len(reader.pages) == built.page_count > 1
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert MARKING in text
        assert f"Page {number} of {len(reader.pages)}" in text


def test_every_download_is_an_audited_disclosure(client, manager, built):
    for file_format in ("pdf", "csv", "xlsx"):
        _download(client, built, file_format)
    formats = set(
        AuditEvent.objects.filter(action="disclosure", user=manager).values_list(
            "disclosure_format", flat=True
        )
    )
    assert formats == {"pdf", "csv", "xlsx"}


def test_asking_twice_for_the_same_period_returns_the_stored_report(client, built, period):
    response = _request(client, period)
    assert response.url == reverse("reports:cohort-report", args=[built.pk])
    assert CohortReport.objects.count() == 1


def test_a_change_in_the_data_builds_the_report_again(client, built, period, cohort):
    proven(cohort[0], period.start - datetime.timedelta(days=10))
    _request(client, period)
    assert CohortReport.objects.count() == 2


def test_the_named_annex_discloses_each_listed_person(
    client, manager, cohort, period, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, period, with_annex="on")
    report = CohortReport.objects.get()
    annex = _download(client, report, "annex").decode("utf-8-sig")
    assert cohort[0].surname.upper() in annex
    disclosed = set(
        AuditEvent.objects.filter(action="disclosure", disclosure_format="csv").values_list(
            "subject_id", flat=True
        )
    )
    assert disclosed == set(report.annex_nominal_ids) and len(disclosed) == 6


def test_the_aggregate_report_names_nobody(client, built, cohort):
    text = _download(client, built, "csv").decode("utf-8-sig")
    assert all(nominal.surname not in text for nominal in cohort)


def test_the_status_page_refreshes_itself_while_the_report_is_not_ready(client, manager, period):
    client.force_login(manager)
    report = CohortReport.objects.create(
        period_start=period.start, period_end=period.end, trigger="on-request", fingerprint="x"
    )
    page = client.get(reverse("reports:cohort-report", args=[report.pk])).content.decode()
    assert 'data-app-refresh="2"' in page


def test_the_monthly_task_builds_last_months_report(db, period, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.monthly_cohort_report()
    report = CohortReport.objects.get()
    assert (report.period_start, report.period_end, report.status) == (
        period.start,
        period.end,
        ReportStatus.READY,
    )
    assert report.requested_by is None


def test_the_monthly_task_is_scheduled_on_the_first_of_each_month(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["reports-monthly-cohort-report"]
    assert schedule["task"] == "reports.tasks.monthly_cohort_report"
    assert schedule["schedule"].day_of_month == {1}


def test_a_period_ending_before_it_starts_is_refused_naming_the_field(client, manager, period):
    client.force_login(manager)
    response = _request(client, period, end_year=period.start.year - 1)
    assert response.status_code == 400
    assert "The end of the period must be on or after its start" in response.content.decode()
    assert not CohortReport.objects.exists()


def test_building_twice_leaves_the_report_as_it_was(built):
    assert monthly.build_report(built.pk).completed_at == built.completed_at


@pytest.mark.parametrize("role", ["officer", "partner"])
def test_officers_and_partner_workers_are_refused_the_reports(client, role, built):
    user = factories.IomOfficerFactory() if role == "officer" else factories.UserFactory()
    client.force_login(user)
    for url in (
        reverse("reports:index"),
        reverse("reports:cohort-reports"),
        reverse("reports:cohort-report", args=[built.pk]),
        reverse("reports:cohort-report-download", args=[built.pk, "pdf"]),
    ):
        assert client.get(url).status_code == 403
    assert _request(client, last_month(timezone.localdate())).status_code == 403


def _pdf_text(client, report) -> str:
    reader = PdfReader(io.BytesIO(_download(client, report, "pdf")))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_every_offence_counted_shows_its_unit_cost_in_every_format(client, built):
    """The cohort's burglaries and robberies, in the default 2003/04 prices."""
    table = next(t for t in built.figures["tables"] if t["key"] == "cost-avoided")
    labels = [row[0] for row in table["rows"]]
    assert labels[:2] == ["Burglary (dwelling)", "Robbery (personal)"]
    assert labels[-1] == "Total"
    assert NOT_PRICED not in str(table["rows"])
    assert table["rows"][0][1] == 3268
    csv_rows = _csv_tables(_download(client, built, "csv"))[table["title"]]
    assert csv_rows[1][:2] == ["Burglary (dwelling)", "3268"]
    pdf = _pdf_text(client, built)
    assert "Burglary (dwelling) 3,268" in pdf
    assert "Robbery (personal) 7,282" in pdf
    dashboard = client.get(reverse("reports:index")).content.decode()
    assert "3,268" in dashboard


def test_a_price_year_without_burglary_says_so_on_the_dashboard_pdf_and_csv(
    client, manager, cohort, period, django_capture_on_commit_callbacks
):
    configuration = ReportConfiguration.current()
    configuration.unit_cost_price_year = "2015/16"
    configuration.save()
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, period)
    report = CohortReport.objects.get()
    table = next(t for t in report.figures["tables"] if t["key"] == "cost-avoided")
    burglary = table["rows"][0]
    assert burglary == ["Burglary (dwelling)", NOT_PRICED, 5, 0, 5, None]
    assert "Not priced in 2015/16, so not in the total: Burglary (dwelling)" in table["note"]
    csv_rows = _csv_tables(_download(client, report, "csv"))[table["title"]]
    assert csv_rows[1][:2] == ["Burglary (dwelling)", NOT_PRICED]
    assert "not priced: add it under Unit costs" in _pdf_text(client, report)
    dashboard = client.get(reverse("reports:index")).content.decode()
    assert "not priced: add it under Unit costs" in dashboard
    assert "Not priced in 2015/16" in dashboard


def test_the_cohort_report_pdf_says_when_it_was_generated_in_words(client, built):
    text = _pdf_text(client, built)
    generated = re.search(r"Generated (\d{1,2} [A-Z][a-z]+ \d{4} at \d{1,2}(:\d\d)?(am|pm))", text)
    assert generated, text[:500]
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:", text)
