"""The panel's decision keeps what was proposed beside what was decided; minutes of the meeting
and of each decision; a withdrawn referral keeps its reason.

Decisions already taken record the referral's proposal, and an acceptance the stream and lead
agency its membership started with."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def record_proposals(apps, schema_editor):
    PanelDecision = apps.get_model("referrals", "PanelDecision")
    decisions = PanelDecision.objects.select_related("referral__membership")
    for decision in decisions.iterator(chunk_size=500):
        referral = decision.referral
        decision.proposed_stream = referral.stream
        decision.proposed_lead_agency_id = referral.proposed_lead_agency_id
        if decision.decision == "accept":
            membership = referral.membership
            decision.stream = membership.stream if membership else referral.stream
            decision.lead_agency_id = (
                membership.lead_agency_id
                if membership and membership.lead_agency_id
                else referral.proposed_lead_agency_id
            )
        decision.save(
            update_fields=["proposed_stream", "proposed_lead_agency", "stream", "lead_agency"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("iom", "0005_agreement_covers_contacts"),
        ("referrals", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="paneldecision",
            name="amendment_reason",
            field=models.TextField(
                blank=True, help_text="Why the panel changed the proposed stream or lead agency."
            ),
        ),
        migrations.AddField(
            model_name="paneldecision",
            name="lead_agency",
            field=models.ForeignKey(
                blank=True,
                limit_choices_to={"kind__in": ("police", "nps", "crc")},
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="iom.agency",
                verbose_name="Decided lead agency",
            ),
        ),
        migrations.AddField(
            model_name="paneldecision",
            name="minutes",
            field=models.TextField(
                blank=True, help_text="What the panel said about this referral."
            ),
        ),
        migrations.AddField(
            model_name="paneldecision",
            name="proposed_lead_agency",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="iom.agency",
            ),
        ),
        migrations.AddField(
            model_name="paneldecision",
            name="proposed_stream",
            field=models.CharField(
                choices=[
                    ("sac", "Serious Acquisitive Crime"),
                    ("ppo", "Prolific and Priority Offender"),
                    ("ocg", "Organised Crime Group"),
                    ("da", "Domestic Abuse"),
                    ("violence", "Violence"),
                ],
                default="",
                max_length=10,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="paneldecision",
            name="stream",
            field=models.CharField(
                blank=True,
                choices=[
                    ("sac", "Serious Acquisitive Crime"),
                    ("ppo", "Prolific and Priority Offender"),
                    ("ocg", "Organised Crime Group"),
                    ("da", "Domestic Abuse"),
                    ("violence", "Violence"),
                ],
                max_length=10,
                verbose_name="Decided cohort stream",
            ),
        ),
        migrations.AddField(
            model_name="panelmeeting",
            name="minutes",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="panelmeeting",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="referral",
            name="withdrawal_reason",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.RunPython(record_proposals, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="paneldecision",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("decision", "accept"), _negated=True),
                    models.Q(
                        models.Q(("stream", ""), _negated=True), ("lead_agency__isnull", False)
                    ),
                    _connector="OR",
                ),
                name="decision_accept_has_stream_and_lead",
            ),
        ),
    ]
