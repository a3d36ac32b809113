"""What the matrix knows of each URL of the service: what its arguments name, what of a
person's record it shows, who may use it and, for a form, what to send (``forms.py``).

A URL pattern whose name is not in ``PAGES`` (or whose router basename is not in ``API``),
or an OpenAPI operation with a path parameter the matrix cannot fill, fails
``test_coverage.py`` with its name: a new URL is never walked by nobody.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from iom import sharing

from .forms import (
    _action_change_form,
    _action_form,
    _api_action,
    _api_action_change,
    _api_arrest,
    _api_arrest_change,
    _api_breach,
    _api_contact,
    _api_contact_change,
    _api_custody,
    _api_decision,
    _api_detection,
    _api_detection_change,
    _api_document,
    _api_dossier_issue,
    _api_dossier_part,
    _api_drug_test,
    _api_expected_release,
    _api_intelligence,
    _api_intelligence_change,
    _api_measure,
    _api_minutes,
    _api_nominal_change,
    _api_panel_action,
    _api_panel_decision,
    _api_recall_countersign,
    _api_recall_decision,
    _api_recall_step,
    _api_referral,
    _api_release,
    _api_release_plan,
    _api_release_plan_item,
    _api_submission,
    _api_task,
    _api_task_complete,
    _api_withdrawal,
    _breach_form,
    _condition_form,
    _custody_form,
    _documents_form,
    _drug_test_form,
    _engagement_form,
    _expected_release_form,
    _factor_end_form,
    _factor_form,
    _licence_change_form,
    _licence_form,
    _measure_change_form,
    _measure_form,
    _membership_form,
    _minutes_form,
    _nominal_form,
    _ogrs3_form,
    _open_custody_form,
    _override_form,
    _panel_action_form,
    _panel_decision_form,
    _panel_form,
    _pathway_form,
    _plan_item_form,
    _recall_decision_form,
    _recall_form,
    _recall_step_form,
    _referral_of_existing_form,
    _report_request_form,
    _residence_form,
    _review_form,
    _sanction_form,
    _sharing_form,
    _task_form,
)
from .world import SUBMITTERS, TASK_OWNERS

# Who may use a URL at all, before any question of whose record it shows.
SIGNED_IN = "signed-in"
IOM_UNIT = "iom-unit"  # officers and managers of the IOM unit
IOM_MANAGER = "iom-manager"  # managers of the IOM unit
STATUS_PAGE = "staff-or-iom-manager"
ACCOUNT = "account"  # the user's own sign-in: walked separately (tests/matrix/test_account.py)
OPEN = "open"  # served to anyone, signed in or not (the schema outside production)
PARTNER = "partner"  # anyone outside the IOM unit (submitting intelligence to it)

IDENTITY_ONLY = None


@dataclass(frozen=True)
class Page:
    """A page (GET and POST).

    ``about``: the record of a person the URL's ``pk`` names ("nominal", "referral"...): the
    page is walked for the hidden and the shared person (and, with ``ids``, for the shared
    person with the *hidden* person's record in the other argument). ``needs`` is the
    permission on the person; ``section`` the part of the record the agreement must cover.
    ``objects``: for a URL that is about no one person, the world's objects its arguments
    name. ``post``: the form a user who may would send (None: a read-only page, where POST
    must change nothing either).
    """

    about: str | None = None
    needs: str = "view"
    section: str | None = IDENTITY_ONLY
    audience: str = SIGNED_IN
    ids: dict = field(default_factory=dict)
    objects: tuple = ()
    extra: dict = field(default_factory=dict)
    post: Callable | None = None
    # What a POST by someone allowed answers (a redirect after a successful form).
    post_ok: tuple = (302,)
    post_needs: str | None = None
    get: bool = True
    # What a GET by someone allowed answers.
    ok: tuple = (200,)
    # A DRF view (the API's root, schema and docs): an API token signs in to it.
    api_view: bool = False
    # The page also takes ``?nominal=<pk>`` (the referral form of a person on the system).
    query_about: str | None = None
    # What the page answers to someone who may see the person but not ``needs``: 404 where
    # the page looks the person up for the change, 403 where it refuses after showing them.
    change_refused: int = 404
    # What a POST answers to someone who may see the page but not ``post_needs``.
    post_refused: int | None = None
    # False: the page answers GET only (a POST is 405 for anyone signed in).
    takes_post: bool = True
    # A write that users outside the IOM unit may make (submitting intelligence): the walk
    # sends it in a savepoint of its own, rolled back, so that the rest of the walk still
    # shows that no other write of theirs changed a row.
    partners_write: bool = False
    # A POST looks the person up for the change (``post_needs``) before it asks about the
    # section: someone who may only see them gets a 404, whatever their agreement covers.
    post_looks_up_for_change: bool = False
    # The URL argument that names the ``about`` record (``pk`` but for a task's own page).
    about_kwarg: str = "pk"
    # Who outside the IOM unit sees the record at all, whoever may see the person (None:
    # whoever may see the person): anyone else gets a 404.
    seen_by: frozenset | None = None

    def fills(self) -> set:
        """The URL arguments this definition knows how to fill."""
        named = {kwarg for kwarg, _ in self.objects}
        about = {self.about_kwarg} if self.about else set()
        return about | set(self.ids) | set(self.extra) | named


def _changes(section: str | None, post: Callable | None = None, **more) -> Page:
    """A form that changes a section of a person's record: for whoever may change the record
    and whose agreement covers ``section``. ``post``: what to send (None: the form is sent
    empty)."""
    return Page(about="nominal", needs="change", section=section, post=post, **more)


def _acts_on_plan(post: Callable, **more) -> Page:
    """A form that acts on the person's pathway plan: for whoever may act on it."""
    return Page(about="nominal", needs="act", section=sharing.PATHWAYS, post=post, **more)


def _acts_on_accommodation(post: Callable) -> Page:
    """A form of the plan's accommodation pathway (the pathway the walk's URLs name)."""
    return _acts_on_plan(post, extra={"pathway": "accommodation"})


PAGES: dict[str, Page] = {
    "home": Page(audience=OPEN, ok=(302,), post_ok=(302,)),
    "login": Page(audience=ACCOUNT),
    "mfa-verify": Page(audience=ACCOUNT),
    "logout": Page(audience=ACCOUNT),
    "mfa-setup": Page(audience=ACCOUNT),
    "password-change": Page(audience=ACCOUNT),
    "password-set": Page(audience=ACCOUNT, extra={"uidb64": "MQ", "token": "set-password"}),
    "status": Page(audience=STATUS_PAGE),
    # The health check: open to anyone, and it says nothing but "ok".
    "healthz": Page(audience=OPEN, post_ok=(200,)),
    # Information-sharing agreements: the IOM unit's managers.
    "agreements": Page(audience=IOM_MANAGER),
    "agreement": Page(audience=IOM_MANAGER, objects=(("pk", "agreement"),)),
    # The cohort, and a person's record.
    "cohorts:list": Page(),
    "cohorts:export": Page(),
    "cohorts:nominal": Page(about="nominal"),
    # Forms the matrix sends empty: refused field by field (400) for a user allowed, and
    # refused whole (403, 404) for anyone else, with no row changed.
    "cohorts:person-new": Page(audience=IOM_UNIT, post_ok=(400,)),
    "cohorts:aliases": _changes(IDENTITY_ONLY, post_ok=(400,)),
    "cohorts:alias": _changes(IDENTITY_ONLY, ids={"alias_id": "alias"}, post_ok=(400,)),
    "cohorts:offender-managers": Page(about="nominal", audience=IOM_UNIT, post_ok=(400,)),
    "cohorts:photograph": Page(about="nominal", takes_post=False),
    "cohorts:photograph-change": _changes(IDENTITY_ONLY, post_ok=(400,)),
    "cohorts:edit": _changes(IDENTITY_ONLY, _nominal_form),
    "cohorts:audit": Page(about="nominal", audience=IOM_MANAGER),
    "cohorts:sharing": Page(about="nominal", audience=IOM_UNIT, post=_sharing_form),
    "cohorts:engagement": _changes(IDENTITY_ONLY, _engagement_form),
    "cohorts:membership": _changes(IDENTITY_ONLY, _membership_form),
    "cohorts:risk": Page(about="nominal", section=sharing.RISK),
    "cohorts:risk-override": _changes(sharing.RISK, _override_form),
    "cohorts:risk-ogrs3": _changes(sharing.RISK, _ogrs3_form),
    "cohorts:offending": Page(about="nominal", section=sharing.OFFENDING),
    "cohorts:factor-new": _changes(sharing.OFFENDING, _factor_form),
    "cohorts:factor-end": _changes(sharing.OFFENDING, _factor_end_form),
    "cohorts:custody-new": _changes(sharing.OFFENDING, _custody_form),
    "cohorts:residence-new": _changes(sharing.OFFENDING, _residence_form),
    # Recording offending: whoever may change the record and whose agreement covers the part
    # (the IOM unit, a named offender manager); intelligence, the IOM unit only. Everyone
    # else who may see the person submits intelligence for the IOM unit to grade. An empty
    # form is shown again (200).
    "cohorts:arrest-new": _changes(sharing.ARRESTS, change_refused=403),
    "cohorts:arrest-edit": _changes(sharing.ARRESTS, change_refused=403, ids={"row_id": "arrest"}),
    "cohorts:detection-new": _changes(sharing.OFFENDING, change_refused=403),
    "cohorts:detection-edit": _changes(
        sharing.OFFENDING, change_refused=403, ids={"row_id": "detection"}
    ),
    "cohorts:intelligence-new": Page(
        about="nominal", section=sharing.INTELLIGENCE, audience=IOM_UNIT
    ),
    "cohorts:intelligence-edit": Page(
        about="nominal",
        section=sharing.INTELLIGENCE,
        audience=IOM_UNIT,
        ids={"row_id": "intelligence"},
    ),
    "cohorts:intelligence-submit": Page(about="nominal", audience=PARTNER, partners_write=True),
    "cohorts:submission-decide": Page(
        about="nominal", audience=IOM_UNIT, ids={"submission_id": "submission"}
    ),
    "cohorts:intelligence-submissions": Page(audience=IOM_UNIT),
    # Contacts: shared contacts to whoever may see the person under an agreement covering
    # contacts; booking and recording them, whoever may change the record.
    "cohorts:contacts": Page(about="nominal", section=sharing.CONTACTS),
    "cohorts:contact-new": _changes(sharing.CONTACTS, post_ok=(400,)),
    "cohorts:contact": Page(
        about="nominal",
        section=sharing.CONTACTS,
        ids={"contact_id": "contact"},
        post_needs="change",
        post_refused=403,
        post_ok=(400,),
    ),
    "cohorts:contact-breach": _changes(
        sharing.CONTACTS, ids={"contact_id": "contact"}, post_ok=(400,)
    ),
    # A follow-up task: its owner's people (the drug service's, for both people) and the IOM
    # unit see it and mark it done; anyone else gets a 404, whoever may see the person.
    "cohorts:task": Page(
        about="task",
        about_kwarg="task_id",
        seen_by=TASK_OWNERS,
        post=_task_form,
        partners_write=True,
    ),
    # Erasing a person's record: the IOM unit's managers. The matrix sends the form empty.
    "cohorts:erase": Page(about="nominal", audience=IOM_MANAGER, post_ok=(400,)),
    # Custody and the day-of-release plan: seen with the offending section, changed by
    # whoever may change the record. The people walked are in custody already: opening a
    # second period is refused (400) for the IOM unit.
    "cohorts:custody": Page(
        about="nominal",
        section=sharing.OFFENDING,
        post_needs="change",
        post_looks_up_for_change=True,
    ),
    "cohorts:custody-open": Page(
        about="nominal",
        section=sharing.OFFENDING,
        post=_open_custody_form,
        post_needs="change",
        post_looks_up_for_change=True,
        post_ok=(302, 400),
    ),
    "cohorts:custody-action": Page(
        about="nominal",
        section=sharing.OFFENDING,
        ids={"period_id": "custody_period"},
        extra={"action": "expected"},
        post=_expected_release_form,
        post_needs="change",
        post_looks_up_for_change=True,
    ),
    # An item of the day-of-release plan: its form and its change, for whoever may change
    # the record (someone who may only see it gets a 404, the page looks it up for a change).
    "cohorts:custody-plan-item": _changes(
        sharing.OFFENDING,
        _plan_item_form,
        ids={"period_id": "custody_period", "item_id": "release_plan_item"},
    ),
    "cohorts:emerging-threats": Page(),
    "cohorts:risk-runs": Page(audience=IOM_MANAGER),
    "cohorts:risk-run-start": Page(audience=IOM_MANAGER, get=False, post=lambda s, w: {}),
    "cohorts:risk-run": Page(audience=IOM_MANAGER, objects=(("run_id", "run"),)),
    "cohorts:offending-imports": Page(audience=IOM_MANAGER),
    "cohorts:offending-import": Page(audience=IOM_MANAGER, objects=(("job_id", "import_job"),)),
    # Controls.
    "cohorts:controls": Page(about="nominal", section=sharing.CONTROLS),
    "cohorts:controls-licence-new": _changes(sharing.CONTROLS, _licence_form),
    "cohorts:controls-licence": _changes(
        sharing.CONTROLS, _licence_change_form, ids={"licence_id": "licence"}
    ),
    "cohorts:controls-condition-new": _changes(
        sharing.CONTROLS, _condition_form, ids={"licence_id": "licence"}
    ),
    "cohorts:controls-breach-new": _changes(sharing.CONTROLS, _breach_form),
    # The people walked have a recall in progress already: the IOM unit's is refused (400).
    "cohorts:controls-recall-new": _changes(
        sharing.CONTROLS, _recall_form, ids={"breach_id": "breach"}, post_ok=(302, 400)
    ),
    "cohorts:controls-recall": Page(
        about="nominal",
        section=sharing.CONTROLS,
        ids={"recall_id": "recall"},
        post=_recall_step_form,
        post_needs="change",
    ),
    "cohorts:controls-recall-decision": _changes(
        sharing.CONTROLS, _recall_decision_form, ids={"recall_id": "recall"}
    ),
    "cohorts:controls-sanction-new": _changes(sharing.CONTROLS, _sanction_form),
    "cohorts:controls-test-new": _changes(sharing.CONTROLS, _drug_test_form),
    "cohorts:controls-measure-new": _changes(sharing.CONTROLS, _measure_form),
    "cohorts:controls-measure": _changes(
        sharing.CONTROLS, _measure_change_form, ids={"measure_id": "measure"}
    ),
    # Referrals and panels.
    "referrals:list": Page(),
    # The people walked are on the cohort already: the IOM unit's referral is refused (400).
    "referrals:new": Page(
        query_about="nominal", post=_referral_of_existing_form, post_ok=(302, 400)
    ),
    # POST withdraws: refused (403) for the accepted referrals of the people walked, and an
    # empty form shown again (200) for the emerging threat's open one.
    "referrals:detail": Page(about="referral", post_ok=(200, 403)),
    "referrals:panels": Page(audience=IOM_UNIT),
    "referrals:panel-new": Page(audience=IOM_UNIT, post=_panel_form),
    "referrals:panel": Page(
        audience=IOM_UNIT, objects=(("pk", "panel"),), post=_panel_decision_form
    ),
    # The minutes and the actions of a panel: POST only, the IOM unit.
    "referrals:panel-minutes": Page(
        audience=IOM_UNIT, objects=(("pk", "panel"),), get=False, post=_minutes_form
    ),
    "referrals:panel-action": Page(
        audience=IOM_UNIT, objects=(("pk", "panel"),), get=False, post=_panel_action_form
    ),
    # Pathways: ``pk`` is the person's.
    # POST starts the plan (the people walked have one: it is found again).
    "pathways:plan": Page(
        about="nominal", section=sharing.PATHWAYS, post=lambda s, w: {}, post_needs="act"
    ),
    "pathways:pathway-edit": _acts_on_accommodation(_pathway_form),
    "pathways:review-new": _acts_on_accommodation(_review_form),
    "pathways:action-new": _acts_on_accommodation(_action_form),
    "pathways:action-edit": _acts_on_plan(_action_change_form, ids={"action_id": "pathway_action"}),
    # Reports.
    "reports:index": Page(audience=IOM_MANAGER),
    "reports:cohort-reports": Page(audience=IOM_MANAGER, post=_report_request_form),
    "reports:cohort-report": Page(audience=IOM_MANAGER, objects=(("report_id", "report"),)),
    "reports:cohort-report-download": Page(
        audience=IOM_MANAGER,
        objects=(("report_id", "report"), ("file_format", ("pdf", "csv", "xlsx"))),
    ),
    "reports:geography": Page(audience=IOM_MANAGER),
    "reports:my-work": Page(),
    "reports:documents": Page(
        about="nominal",
        section=sharing.DOCUMENTS,
        post=_documents_form,
        post_needs="disclose",
    ),
    "reports:document": Page(
        about="nominal",
        needs="disclose",
        section=sharing.DOCUMENTS,
        ids={"document_id": "document"},
    ),
    "reports:document-download": Page(
        about="nominal",
        needs="disclose",
        section=sharing.DOCUMENTS,
        ids={"document_id": "document"},
    ),
    # The API's own pages.
    "api-root": Page(post_ok=(405,), api_view=True),
    # The schema and the documentation: for signed-in users (a token reads the schema).
    "api-schema": Page(post_ok=(405,), api_view=True),
    "api-docs": Page(post_ok=(405,)),
}


# --- The API -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """A router's viewset: the record its detail URL's ``pk`` names, the section of the
    record it serves, who may use it, and what a create or update would send."""

    record: str | None = "nominal"
    section: str | None = IDENTITY_ONLY
    audience: str = SIGNED_IN
    needs: str = "view"
    create: Callable | None = None
    update: Callable | None = None
    # What the create needs on the person it names, and what it answers when allowed.
    create_needs: str = "change"
    create_ok: tuple = (201,)
    # What an update by someone who may see the record but not change it answers: 404 where
    # the update's queryset holds only what the user may change, 403 where the service
    # refuses.
    update_refused: tuple = (404,)
    # The other arguments of the detail URLs (``cohort-report-download``'s file format).
    extra: dict = field(default_factory=dict)
    objects: tuple = ()
    # Who outside the IOM unit sees the rows at all (None: whoever may see the person); for
    # anyone else a row is not found, and a list leaves it out.
    seen_by: frozenset | None = None
    # Who may create, beyond the person's gates (a partner submits intelligence; the IOM
    # unit records it).
    create_audience: str | None = None
    # An action on a record (``decide``, ``withdraw``): what it sends, who may use it, and
    # what it answers when allowed.
    actions: dict = field(default_factory=dict)
    action_audience: dict = field(default_factory=dict)
    action_ok: dict = field(default_factory=dict)
    # What an action needs on the person (``change``): someone who may only see the record
    # is refused (403) by the service.
    action_needs: dict = field(default_factory=dict)
    # A create refused (403) to anyone outside ``create_audience`` before the person is
    # looked at (the panel's decisions).
    create_refused_first: bool = False
    partners_write: bool = False


API: dict[str, Endpoint] = {
    "nominal": Endpoint(update=_api_nominal_change),
    "membership": Endpoint(record="membership"),
    # The people walked are on the cohort already: a referral of them is refused (400).
    # Withdrawing: the referrer's team or the IOM unit, of a referral awaiting the panel
    # (the world's are accepted: the IOM unit's withdrawal is refused, 400).
    "referral": Endpoint(
        record="referral",
        create=_api_referral,
        create_needs="view",
        create_ok=(400,),
        actions={"withdraw": _api_withdrawal},
        action_audience={"withdraw": IOM_UNIT},
        action_ok={"withdraw": (400,)},
    ),
    "pathway-person": Endpoint(section=sharing.PATHWAYS),
    # Actions are the pathways in full (or of a pathway the partner's agency delivers).
    "pathway-action": Endpoint(
        record="pathway_action",
        section=sharing.PATHWAYS_IN_FULL,
        create=_api_action,
        update=_api_action_change,
        update_refused=(403,),
    ),
    "licence": Endpoint(record="licence", section=sharing.CONTROLS),
    "breach": Endpoint(record="breach", section=sharing.CONTROLS, create=_api_breach),
    "drug-test": Endpoint(record="drug_test", section=sharing.CONTROLS, create=_api_drug_test),
    "control-measure": Endpoint(record="measure", section=sharing.CONTROLS, create=_api_measure),
    # A recall's decision, checklist steps and dossier: whoever may change the record; the
    # countersignature, a manager of the IOM unit. The dossier lacks parts: issuing it is
    # refused (400).
    "recall": Endpoint(
        record="recall",
        section=sharing.CONTROLS,
        actions={
            "decision": _api_recall_decision,
            "countersign": _api_recall_countersign,
            "steps": _api_recall_step,
            "dossier-part": _api_dossier_part,
            "dossier-issue": _api_dossier_issue,
        },
        action_audience={"countersign": IOM_MANAGER},
        action_needs={
            "decision": "change",
            "steps": "change",
            "dossier-part": "change",
            "dossier-issue": "change",
        },
        action_ok={"dossier-issue": (400,)},
    ),
    "document": Endpoint(
        record="document",
        section=sharing.DOCUMENTS,
        needs="disclose",
        create=_api_document,
        create_needs="disclose",
        create_ok=(201, 202),
    ),
    "report-figures": Endpoint(record=None, audience=IOM_MANAGER),
    "cohort-report": Endpoint(
        record=None,
        audience=IOM_MANAGER,
        objects=(("pk", "report"), ("file_format", ("pdf", "csv", "xlsx"))),
    ),
    "risk-assessment": Endpoint(section=sharing.RISK),
    "ranking-run": Endpoint(
        record=None, audience=IOM_MANAGER, objects=(("run_id", "run"),), create=lambda s, w: {}
    ),
    "detected-offence": Endpoint(
        record="detection",
        section=sharing.OFFENDING,
        create=_api_detection,
        update=_api_detection_change,
        update_refused=(403,),
    ),
    "arrest": Endpoint(
        record="arrest",
        section=sharing.ARRESTS,
        create=_api_arrest,
        update=_api_arrest_change,
        update_refused=(403,),
    ),
    "intelligence-report": Endpoint(
        record="intelligence",
        section=sharing.INTELLIGENCE,
        create=_api_intelligence,
        create_audience=IOM_UNIT,
        update=_api_intelligence_change,
        update_refused=(403,),
    ),
    # Partners' submissions: the IOM unit's and the submitting agency's; graded by the IOM
    # unit (the world's are waiting: the IOM unit's decision is accepted).
    "intelligence-submission": Endpoint(
        record="submission",
        seen_by=SUBMITTERS,
        create=_api_submission,
        create_needs="view",
        create_audience=PARTNER,
        actions={"decide": _api_decision},
        action_audience={"decide": IOM_UNIT},
        partners_write=True,
    ),
    "contact": Endpoint(
        record="contact",
        section=sharing.CONTACTS,
        create=_api_contact,
        update=_api_contact_change,
        update_refused=(403,),
    ),
    "custody-period": Endpoint(section=sharing.OFFENDING),
    # Custody: the people walked are in custody already (a second period is refused, 400);
    # the release, expected release and plan need the record changed.
    "custody": Endpoint(
        record="custody_period",
        section=sharing.OFFENDING,
        create=_api_custody,
        create_ok=(400,),
        actions={
            "release": _api_release,
            "expected-release": _api_expected_release,
            "release-plan": _api_release_plan,
            "release-plan-item": _api_release_plan_item,
        },
        action_needs={
            "release": "change",
            "expected-release": "change",
            "release-plan": "change",
            "release-plan-item": "change",
        },
    ),
    # Follow-up tasks: the owning agency's (the drug service's) and the IOM unit's. Adding one
    # for the IOM unit's team is the IOM unit's; completing one, its owner's too.
    "task": Endpoint(
        record="task",
        seen_by=TASK_OWNERS,
        create=_api_task,
        actions={"complete": _api_task_complete},
        partners_write=True,
    ),
    # Panels: the IOM unit only; the actions agreed are tasks (201).
    "panel-meeting": Endpoint(
        record=None,
        audience=IOM_UNIT,
        objects=(("pk", "panel"),),
        actions={"actions": _api_panel_action, "minutes": _api_minutes},
        action_ok={"actions": (201,)},
    ),
    # The panel's decisions: read by whoever may see the referral; taken by the IOM unit (the
    # people walked are decided already: refused, 400).
    "panel-decision": Endpoint(
        record="panel_decision",
        create=_api_panel_decision,
        create_audience=IOM_UNIT,
        create_ok=(400,),
        create_refused_first=True,
    ),
    "residence-period": Endpoint(section=sharing.RISK),
    "dynamic-factor": Endpoint(section=sharing.RISK),
}
