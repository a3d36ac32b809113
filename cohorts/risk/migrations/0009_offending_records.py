"""Officers record and correct arrests, detections and intelligence: each row gets a version
and who recorded it; intelligence gets its grading as fields (3x5x2 or 5x5x5) and a summary;
partners' submissions wait for the IOM unit to grade them. Gradings already stored as text
are read into the fields where they can be; the rest stay as they were, ungraded."""

import re

import django.db.models.deletion
import django.db.models.functions.datetime
from django.conf import settings
from django.db import migrations, models

_WRITTEN = re.compile(r"^(?:([A-E])([1-5])|([1-5])([A-E]))([PC1-5])?$")


def read_stored_gradings(apps, schema_editor):
    """A copy of cohorts.risk.grading.read, as it was when this migration was written."""
    report_model = apps.get_model("risk", "IntelligenceReport")
    changed = []
    for report in report_model.objects.exclude(grading="").iterator():
        match = _WRITTEN.match(re.sub(r"[\s/.\-]", "", report.grading).upper())
        if match is None:
            continue
        letter = match.group(1) or match.group(4)
        digit = int(match.group(2) or match.group(3))
        code = match.group(5) or report.handling_code
        if match.group(5) and report.handling_code and match.group(5) != report.handling_code:
            continue
        system = "3x5x2" if code in ("P", "C") else "5x5x5"
        if system == "3x5x2" and (
            letter not in "ABC" or code == "C" and not report.handling_conditions
        ):
            continue
        report.grading_system = system
        report.source_evaluation = letter
        report.intelligence_assessment = digit
        report.handling_code = code
        report.grading = f"{letter}{digit}{code}"
        changed.append(report)
    report_model.objects.bulk_update(
        changed,
        [
            "grading_system",
            "source_evaluation",
            "intelligence_assessment",
            "handling_code",
            "grading",
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0007_agency_grants_become_team_shares"),
        ("iom", "0004_audit_refuses_truncate"),
        ("risk", "0008_job_leases"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="IntelligenceSubmission",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("submitted_at", models.DateTimeField(auto_now_add=True)),
                ("reported_on", models.DateField(verbose_name="Date the information was learnt")),
                ("summary", models.TextField(max_length=4000)),
                ("location", models.CharField(blank=True, max_length=200)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("submitted", "Submitted: waiting to be graded"),
                            ("accepted", "Graded and accepted"),
                            ("rejected", "Rejected"),
                        ],
                        default="submitted",
                        max_length=10,
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("decision_note", models.CharField(blank=True, max_length=500)),
                ("version", models.PositiveIntegerField(default=1)),
            ],
            options={
                "ordering": ["-submitted_at", "-id"],
            },
        ),
        migrations.AddField(
            model_name="arrest",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="arrest",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, db_default=django.db.models.functions.datetime.Now()
            ),
        ),
        migrations.AddField(
            model_name="arrest",
            name="version",
            field=models.PositiveIntegerField(default=1, db_default=1),
        ),
        migrations.AddField(
            model_name="detectedoffence",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="detectedoffence",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, db_default=django.db.models.functions.datetime.Now()
            ),
        ),
        migrations.AddField(
            model_name="detectedoffence",
            name="version",
            field=models.PositiveIntegerField(default=1, db_default=1),
        ),
        migrations.AddField(
            model_name="intelligencereport",
            name="grading_system",
            field=models.CharField(
                db_default="",
                blank=True,
                choices=[
                    ("", "Not graded"),
                    ("3x5x2", "3x5x2"),
                    ("5x5x5", "5x5x5 (older reports)"),
                ],
                max_length=5,
            ),
        ),
        migrations.AddField(
            model_name="intelligencereport",
            name="intelligence_assessment",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="intelligencereport",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="intelligencereport",
            name="source_evaluation",
            field=models.CharField(db_default="", blank=True, max_length=1),
        ),
        migrations.AddField(
            model_name="intelligencereport",
            name="summary",
            field=models.TextField(
                db_default="",
                blank=True,
                help_text="What the report says, sanitised of its source.",
                max_length=4000,
            ),
        ),
        migrations.AddField(
            model_name="intelligencereport",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, db_default=django.db.models.functions.datetime.Now()
            ),
        ),
        migrations.AddField(
            model_name="intelligencereport",
            name="version",
            field=models.PositiveIntegerField(default=1, db_default=1),
        ),
        migrations.AlterField(
            model_name="intelligencereport",
            name="grading",
            field=models.CharField(
                blank=True,
                help_text="The grading as it reads, e.g. B2P (3x5x2) or A14 (5x5x5); kept as the feed gave it when it could not be read.",
                max_length=6,
            ),
        ),
        migrations.AddField(
            model_name="intelligencesubmission",
            name="agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="intelligence_submissions",
                to="iom.agency",
            ),
        ),
        migrations.AddField(
            model_name="intelligencesubmission",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="intelligencesubmission",
            name="nominal",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="intelligence_submissions",
                to="cohorts.nominal",
            ),
        ),
        migrations.AddField(
            model_name="intelligencesubmission",
            name="offence_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="risk.offencetype",
            ),
        ),
        migrations.AddField(
            model_name="intelligencesubmission",
            name="report",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="submission",
                to="risk.intelligencereport",
            ),
        ),
        migrations.AddField(
            model_name="intelligencesubmission",
            name="submitted_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="intelligencesubmission",
            index=models.Index(fields=["nominal", "status"], name="submission_by_person"),
        ),
        migrations.AddIndex(
            model_name="intelligencesubmission",
            index=models.Index(fields=["status", "submitted_at"], name="submission_waiting"),
        ),
        migrations.AddConstraint(
            model_name="intelligencesubmission",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("report__isnull", False), ("status", "accepted")),
                    models.Q(
                        models.Q(("status", "accepted"), _negated=True), ("report__isnull", True)
                    ),
                    _connector="OR",
                ),
                name="intelligence_submission_accepted_has_report",
            ),
        ),
        migrations.AddConstraint(
            model_name="intelligencesubmission",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("decided_at__isnull", True), ("status", "submitted")),
                    models.Q(
                        models.Q(("status", "submitted"), _negated=True),
                        ("decided_at__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="intelligence_submission_decided_has_date",
            ),
        ),
        migrations.RunPython(read_stored_gradings, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="intelligencereport",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("grading_system", ""),
                        ("intelligence_assessment__isnull", True),
                        ("source_evaluation", ""),
                    ),
                    models.Q(
                        ("grading_system", "3x5x2"),
                        ("source_evaluation__in", ("A", "B", "C")),
                        ("intelligence_assessment__gte", 1),
                        ("intelligence_assessment__lte", 5),
                        ("handling_code__in", ("P", "C")),
                    ),
                    models.Q(
                        ("grading_system", "5x5x5"),
                        ("source_evaluation__in", ("A", "B", "C", "D", "E")),
                        ("intelligence_assessment__gte", 1),
                        ("intelligence_assessment__lte", 5),
                        models.Q(("handling_code__in", ("P", "C")), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="intelligence_report_grading_consistent",
            ),
        ),
        migrations.AddConstraint(
            model_name="intelligencereport",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("grading_system", "3x5x2"), ("handling_code", "C"), _negated=True),
                    models.Q(("handling_conditions", ""), _negated=True),
                    _connector="OR",
                ),
                name="intelligence_report_code_c_has_conditions",
            ),
        ),
    ]
