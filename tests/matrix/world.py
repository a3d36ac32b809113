"""The people, records, teams and agreements the matrix walks over, built once per run.

* **The hidden person** has a unique name, identifiers and alias and is shared with no one
  outside the IOM unit. Each of their records carries a marker of its own, so that a row
  leaked without a name (an API list that gives only ``"nominal": 7``) is caught too.
* **The shared person** has the same kinds of records. It is shared (view only) with a drug
  service's team whose agreement covers identity and the pathways in summary, with a housing
  association's team (every section), with a council team whose agreement ended yesterday,
  devolved to a neighbourhood policing team, and managed by a named probation officer.
  Each of its records carries the marker of the section it belongs to.
* **An emerging threat**: a person not on the cohort, ranked Red, with an open referral,
  hidden like the first.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from rest_framework.authtoken.models import Token

from cohorts.controls import services as controls_services
from cohorts.controls.models import Breach, ControlMeasure, Licence, LicenceCondition, Recall
from cohorts.risk import custody, importing
from cohorts.risk import services as risk_services
from cohorts.risk.models import IntelligenceSubmission
from cohorts.services import (
    change_membership_status,
    set_offender_managers,
    set_photograph,
    start_membership,
)
from cohorts.services import tasks as task_services
from iom import sharing
from iom.models import AgencyKind, OffendingCover, PathwaysCover, Role, SharingAgreement, Team
from pathways.services import ensure_plan
from referrals import services as referral_services
from reports import monthly
from reports.measures.periods import last_month
from reports.models import CohortReport, ReportStatus
from tests import factories
from tests.contacts.factories import ContactFactory
from tests.controls.factories import controls_case
from tests.pathways import factories as pathway_factories
from tests.reports.factories import ReadyDocumentFactory
from tests.risk import factories as risk
from tests.sharing import agreement_for, share_with

TODAY = timezone.localdate()
REPORT_FILES = ("figures", "price_year", "pdf", "csv", "xlsx", "page_count", "completed_at")
ENTERED = TODAY - datetime.timedelta(days=90)

HIDDEN = {
    "first_names": "Ottoline",
    "surname": "Quillfeather",
    "pnc_id": "2011/0471938Q",
    "cro_number": "471938/11Q",
    "crn": "Q471938",
    "prison_number": "Q4719QF",
}
HIDDEN_ALIAS = "Marrowgate"
THREAT = {
    "first_names": "Perpetua",
    "surname": "Vexhollow",
    "pnc_id": "2012/0583046T",
    "crn": "T583046",
    "prison_number": "T5830VX",
}
SHARED = {
    "first_names": "Barnaby",
    "surname": "Brightwater",
    "pnc_id": "2010/0360827S",
    "cro_number": "360827/10S",
    "crn": "S360827",
    "prison_number": "S3608SB",
}
SHARED_ALIAS = "Dunnockfield"
# Details of the same shapes that belong to no one: what a search for a person who does not
# exist looks like, to compare with a search for a person the user may not see.
NOBODY = {
    "first_names": "Hildegard",
    "surname": "Ravensmoor",
    "pnc_id": "2013/0694157R",
    "cro_number": "694157/13R",
    "crn": "R694157",
    "prison_number": "R6941RM",
}
# The personas of the drug service, whose worker made every submission of intelligence in
# the world: its people see their agency's submissions, and no other partner does.
SUBMITTERS = frozenset({"partner-worker", "system-account"})
# The drug service owns each person's follow-up task: its people see (and complete) it, and no
# other partner does, whoever may see the person.
TASK_OWNERS = SUBMITTERS
IDENTIFIERS = ("surname", "first_names", "pnc_id", "cro_number", "crn", "prison_number")


def marker(tag: str, what: str) -> str:
    return f"MARK-{what}-{tag}"


# The section of the record each marker belongs to (None: seen by no one outside the IOM
# unit, whatever their agreement covers).
MARKED_SECTIONS = {
    "OFFENCE": sharing.OFFENDING,
    "CUSTODY": sharing.OFFENDING,
    "ARREST": sharing.ARRESTS,
    "INTEL-SHAREABLE": sharing.INTELLIGENCE,
    "INTEL-INFORMANT": None,
    "INTEL-CODE4": None,
    "RISK-FACTOR": sharing.RISK,
    "RESIDENCE": sharing.RISK,
    "LICENCE": sharing.CONTROLS,
    "MEASURE": sharing.CONTROLS,
    "BREACH": sharing.CONTROLS,
    "CONDITION": sharing.CONTROLS,
    "RECALL": sharing.CONTROLS,
    "PATHWAY-ACTION": sharing.PATHWAYS_IN_FULL,
    "REFERRAL": sharing.IDENTITY,
    "CONTACT": sharing.CONTACTS,
    # A partner's submission: for the IOM unit and the submitting agency only
    # (``SUBMITTERS``), whatever the agreement covers.
    "SUBMISSION": sharing.IDENTITY,
    # A follow-up task: for the IOM unit and the owning agency only (``TASK_OWNERS``).
    "TASK": sharing.IDENTITY,
}


@dataclass
class Subject:
    """A person and one of each of their records, by the name the URLs use for it."""

    key: str
    nominal: object
    records: dict = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)
    markers: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name):
        return self.nominal if name == "nominal" else self.records[name]

    @property
    def identity(self) -> list[str]:
        """Name, alias and identifiers: what must not reach anyone the person is hidden from."""
        return self.secrets


@dataclass
class World:
    hidden: Subject
    shared: Subject
    threat: Subject
    users: dict
    teams: dict
    objects: dict

    def subject(self, key: str | None) -> Subject | None:
        if key is None:
            return None
        if key == "mixed":  # the shared person, with the hidden person's records
            return Subject("mixed", self.shared.nominal, self.hidden.records)
        return {"hidden": self.hidden, "shared": self.shared, "threat": self.threat}[key]


def _agencies():
    police = factories.AgencyFactory(name="Demo Police", kind=AgencyKind.POLICE)
    iom_unit = Team.objects.get_or_create(
        agency=police,
        name="IOM unit",
        defaults={
            "is_iom_unit": True,
            "group": Group.objects.get_or_create(name="Team: IOM unit (Demo Police)")[0],
        },
    )[0]
    north = factories.TeamFactory(agency=police, name="North NPT", is_neighbourhood=True)
    south = factories.TeamFactory(agency=police, name="South NPT", is_neighbourhood=True)
    agreement_for(police, name="Demo Police internal")
    drugs = factories.AgencyFactory(name="Clearwater Recovery", kind=AgencyKind.DRUG_ALCOHOL)
    agreement_for(
        drugs,
        name="Clearwater: identity and pathway summaries",
        offending=OffendingCover.NONE,
        covers_intelligence=False,
        covers_risk=False,
        covers_controls=False,
        pathways=PathwaysCover.SUMMARY,
        covers_documents=False,
        covers_contacts=False,
    )
    housing = factories.AgencyFactory(name="Brookvale Homes", kind=AgencyKind.HOUSING)
    agreement_for(housing, name="Brookvale: every section")
    council = factories.AgencyFactory(name="Westmarch Council", kind=AgencyKind.LOCAL_AUTHORITY)
    agreement_for(council, name="Westmarch: ended yesterday", ends_in_days=-1)
    probation = factories.AgencyFactory(name="Probation", kind=AgencyKind.NPS)
    agreement_for(probation, name="Probation: every section")
    return {
        "police": police,
        "iom_unit": iom_unit,
        "north": north,
        "south": south,
        "drugs": drugs,
        "housing": housing,
        "council": council,
        "probation": probation,
    }


def _users(teams) -> dict:
    police = teams["police"]
    officer = factories.IomOfficerFactory(username="matrix.officer")
    system = factories.UserFactory(
        username="matrix.system", agency=teams["drugs"], is_system_account=True
    )
    Token.objects.create(user=system)
    return {
        "iom-officer": officer,
        "iom-manager": factories.ManagerFactory(username="matrix.manager"),
        "partner-worker": factories.UserFactory(username="matrix.partner", agency=teams["drugs"]),
        "partner-manager": factories.UserFactory(
            username="matrix.partner.manager", agency=teams["housing"], role=Role.MANAGER
        ),
        "lapsed-partner": factories.UserFactory(username="matrix.lapsed", agency=teams["council"]),
        "neighbourhood-devolved": factories.UserFactory(
            username="matrix.npt.north", agency=police, team=teams["north"], role=Role.IOM_OFFICER
        ),
        "neighbourhood-other": factories.UserFactory(
            username="matrix.npt.south", agency=police, team=teams["south"], role=Role.IOM_OFFICER
        ),
        "administrator": factories.UserFactory(
            username="matrix.admin",
            agency=police,
            team=teams["iom_unit"],
            role=Role.ADMINISTRATOR,
            is_staff=True,
        ),
        "superuser": factories.UserFactory(
            username="matrix.root", agency=None, is_superuser=True, is_staff=True
        ),
        "system-account": system,
        "offender-manager": factories.UserFactory(
            username="matrix.probation", agency=teams["probation"], job_title="Probation officer"
        ),
    }


def _photograph() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), (120, 80, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile("photo.jpeg", buffer.getvalue())


def _records(nominal, tag: str, officer, police, submitter, alias_surname: str) -> dict:
    """One record of each kind for ``nominal``, each carrying its marker."""
    mark = {what: marker(tag, what) for what in MARKED_SECTIONS}
    membership = start_membership(
        nominal, by=officer, stream="sac", lead_agency=police, entered_on=ENTERED
    )
    referral = factories.ReferralFactory(
        nominal=nominal,
        status="accepted",
        membership=membership,
        referring_agency=police,
        referred_by=officer,
        reasons=mark["REFERRAL"],
    )
    for days in (5, 6, 7):
        detection = risk.DetectedOffenceFactory(
            nominal=nominal,
            committed_on=TODAY - datetime.timedelta(days=days),
            location=mark["OFFENCE"],
            outcome="convicted",
            sanction="conviction",
            sanction_date=TODAY - datetime.timedelta(days=days - 1),
        )
    arrest = risk.ArrestFactory(nominal=nominal, arrested_on=TODAY, location=mark["ARREST"])
    risk.IntelligenceReportFactory(
        nominal=nominal,
        intelligence_source="informant",
        grading="B2",
        handling_code="P",
        location=mark["INTEL-INFORMANT"],
    )
    risk.IntelligenceReportFactory(nominal=nominal, handling_code="4", location=mark["INTEL-CODE4"])
    intelligence = risk.IntelligenceReportFactory(
        nominal=nominal, handling_code="P", location=mark["INTEL-SHAREABLE"]
    )
    risk.CustodyPeriodFactory(
        nominal=nominal,
        started_on=datetime.date(2024, 1, 1),
        ended_on=datetime.date(2024, 6, 1),
        establishment=mark["CUSTODY"],
    )
    risk.ResidencePeriodFactory(nominal=nominal, in_area=True, details=mark["RESIDENCE"])
    factor = risk.DynamicFactorFactory(nominal=nominal, note=mark["RISK-FACTOR"])
    controls = controls_case(nominal, officer)
    Licence.objects.filter(pk=controls["licence"].pk).update(offence=mark["LICENCE"])
    ControlMeasure.objects.filter(pk=controls["measure"].pk).update(details=mark["MEASURE"])
    Breach.objects.filter(pk=controls["breach"].pk).update(evidence=mark["BREACH"])
    LicenceCondition.objects.filter(licence=controls["licence"]).update(text=mark["CONDITION"])
    Recall.objects.filter(pk=controls["recall"].pk).update(reason=mark["RECALL"])
    recall = Recall.objects.get(pk=controls["recall"].pk)
    controls_services.record_recall_decision(
        recall.pk, by=officer, version=recall.version, grounds="both", recall_type="standard",
        rationale=mark["RECALL"], chosen=[],
    )  # fmt: skip
    controls["recall"] = Recall.objects.get(pk=recall.pk)
    # In custody now, due out in three weeks, with a day-of-release plan.
    in_custody = risk.CustodyPeriodFactory(
        nominal=nominal,
        started_on=TODAY - datetime.timedelta(days=60),
        ended_on=None,
        expected_release_on=TODAY + datetime.timedelta(days=21),
        expected_release_basis="automatic",
        establishment=mark["CUSTODY"],
    )
    (plan_item,) = custody.plan_release(
        in_custody.pk,
        by=officer,
        items={"gp": {"owner_agency": police, "due_on": TODAY, "details": mark["CUSTODY"]}},
    )
    task = task_services.create_task(
        by=officer,
        title="Follow up",
        details=mark["TASK"],
        nominal=nominal,
        owner_agency=submitter.agency,
        due_on=TODAY,
    )
    ensure_plan(nominal)
    action = pathway_factories.action_on(
        nominal, "accommodation", police, description=mark["PATHWAY-ACTION"]
    )
    document = ReadyDocumentFactory(nominal=nominal, requested_by=officer)
    # A partner's submission waiting for the IOM unit, by the drug service (whose worker may
    # see it, as their agency's own), and a contact shared with the partners.
    submission = IntelligenceSubmission.objects.create(
        nominal=nominal,
        agency=submitter.agency,
        submitted_by=submitter,
        reported_on=TODAY,
        summary=mark["SUBMISSION"],
    )
    # A missed appointment while on licence, so that it can become a breach.
    contact = ContactFactory(
        nominal=nominal,
        recorded_by=officer,
        is_shared=True,
        attendance="did-not-attend",
        absence="no-reason",
        outcome=mark["CONTACT"],
    )
    alias = factories.AliasFactory(nominal=nominal, surname=alias_surname)
    nominal = set_photograph(nominal.pk, by=officer, upload=_photograph(), version=nominal.version)
    records = {
        "arrest": arrest,
        "detection": detection,
        "intelligence": intelligence,
        "submission": submission,
        "contact": contact,
        "alias": alias,
        "membership": membership,
        "referral": referral,
        "pathway_action": action,
        "dynamic_factor": factor,
        "document": document,
        "custody_period": in_custody,
        "release_plan_item": plan_item,
        "task": task,
        **controls,
    }
    return records, mark


def _secrets(nominal, *aliases: str) -> list[str]:
    return [getattr(nominal, name) for name in IDENTIFIERS if getattr(nominal, name)] + list(
        aliases
    )


def build() -> World:
    teams = _agencies()
    users = _users(teams)
    officer, police = users["iom-officer"], teams["police"]

    hidden = factories.NominalFactory(**HIDDEN, lead_agency=police)
    submitter = users["partner-worker"]
    hidden_records, hidden_marks = _records(
        hidden, "HIDDEN", officer, police, submitter, HIDDEN_ALIAS
    )

    shared = factories.NominalFactory(**SHARED, lead_agency=police)
    shared_records, shared_marks = _records(
        shared, "SHARED", officer, police, submitter, SHARED_ALIAS
    )
    for agency in ("drugs", "housing", "council"):
        share_with(shared, teams[agency], by=officer, agreement=False)
    membership = shared_records["membership"]
    membership.refresh_from_db()
    change_membership_status(
        membership.pk,
        by=officer,
        version=membership.version,
        status="devolved",
        devolved_to=teams["north"],
    )
    set_offender_managers(shared, users=[users["offender-manager"]], by=officer)

    # Not on the cohort, and ranked high enough to be an emerging threat.
    threat = factories.NominalFactory(**THREAT, lead_agency=police)
    for days in (1, 2, 3, 4):
        risk.DetectedOffenceFactory(
            nominal=threat,
            committed_on=TODAY - datetime.timedelta(days=days),
            location=marker("THREAT", "OFFENCE"),
        )
    threat_referral = factories.ReferralFactory(
        nominal=threat, referring_agency=police, referred_by=officer, status="open"
    )
    run = risk_services.rerank(TODAY)

    manager = users["iom-manager"]
    period = last_month(TODAY)
    plain = monthly.request_report(start=period.start, end=period.end, by=manager)
    annexed = monthly.request_report(
        start=period.start, end=period.end, by=manager, with_annex=True
    )
    annexed = monthly.build_report(annexed.pk)
    # The same figures and files without the annex (rendering them again costs seconds).
    CohortReport.objects.filter(pk=plain.pk).update(
        **{name: getattr(annexed, name) for name in REPORT_FILES}, status=ReportStatus.READY
    )
    job = importing.create_job(
        by=manager,
        file_name="offending.csv",
        content="pnc_id,committed_on\n",
        source="police",
    )
    panel = factories.PanelMeetingFactory(chair=manager, created_by=manager)
    # The panel's decision on each person's referral, and an action agreed on it.
    for records in (hidden_records, shared_records):
        decision = factories.PanelDecisionFactory(
            referral=records["referral"], meeting=panel, decided_by=manager
        )
        records["panel_decision"] = decision
        referral_services.add_panel_action(
            panel.pk,
            by=manager,
            action=referral_services.PanelAction(
                title="Check the address", assignee=officer, due_on=TODAY
            ),
            decision=decision,
        )

    hidden_subject = Subject(
        "hidden",
        hidden,
        hidden_records,
        _secrets(hidden, HIDDEN_ALIAS) + list(hidden_marks.values()),
        hidden_marks,
    )
    shared_subject = Subject(
        "shared", shared, shared_records, _secrets(shared, SHARED_ALIAS), shared_marks
    )
    threat_subject = Subject(
        "threat",
        threat,
        {"referral": threat_referral},
        [*_secrets(threat), marker("THREAT", "OFFENCE")],
    )
    return World(
        hidden=hidden_subject,
        shared=shared_subject,
        threat=threat_subject,
        users=users,
        teams=teams,
        objects={
            "run": run,
            "report": plain,
            "annexed_report": annexed,
            "import_job": job,
            "panel": panel,
            "agreement": SharingAgreement.objects.get(
                name="Clearwater: identity and pathway summaries"
            ),
        },
    )
