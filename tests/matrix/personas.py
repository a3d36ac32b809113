"""Who walks the matrix, what each of them may see, and so what each request must answer.

The expectations follow from a few facts per persona (which people they may see or change,
which sections their agreements cover, whether they are in the IOM unit or manage it)
rather than from a table per URL, so that a new URL gets its expectations from its
definition in ``routes.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from iom import sharing

from . import routes
from .world import MARKED_SECTIONS, SUBMITTERS, TASK_OWNERS, World

EVERY_SECTION = frozenset(sharing.SECTION_NAMES)
IDENTITY_AND_SUMMARIES = frozenset({sharing.IDENTITY, sharing.PATHWAYS})


@dataclass(frozen=True)
class Persona:
    key: str
    description: str
    sees: frozenset = frozenset()  # "hidden", "shared", "threat"
    changes: frozenset = frozenset()
    sections: frozenset = frozenset()
    is_iom_unit: bool = False
    is_iom_manager: bool = False
    is_staff: bool = False
    signed_in: bool = True
    by_token: bool = False

    def __str__(self) -> str:
        return self.key

    def may(self, action: str, subject: str) -> bool:
        if action == "view":
            return subject in self.sees
        return subject in self.changes  # change, disclose and acting on every pathway

    def covers(self, section: str | None) -> bool:
        return section is None or section in self.sections

    def passes(self, audience: str) -> bool:
        return {
            routes.SIGNED_IN: True,
            routes.OPEN: True,
            routes.IOM_UNIT: self.is_iom_unit,
            routes.IOM_MANAGER: self.is_iom_manager,
            routes.STATUS_PAGE: self.is_iom_manager or self.is_staff,
            routes.PARTNER: not self.is_iom_unit,
        }[audience]


EVERYONE = frozenset({"hidden", "shared", "threat"})

PERSONAS = [
    Persona(
        "iom-officer",
        "an IOM officer",
        EVERYONE,
        EVERYONE,
        EVERY_SECTION,
        is_iom_unit=True,
    ),
    Persona(
        "iom-manager",
        "a manager of the IOM unit",
        EVERYONE,
        EVERYONE,
        EVERY_SECTION,
        is_iom_unit=True,
        is_iom_manager=True,
    ),
    Persona(
        "partner-worker",
        "a drug worker whose team has a view-only share, under an agreement covering "
        "identity and pathway summaries",
        frozenset({"shared"}),
        sections=IDENTITY_AND_SUMMARIES,
    ),
    Persona(
        "partner-manager",
        "a manager of a housing association (not the IOM unit), shared with, every section",
        frozenset({"shared"}),
        sections=EVERY_SECTION,
    ),
    Persona(
        "lapsed-partner",
        "a council worker whose team has a share, under an agreement that ended yesterday",
    ),
    Persona(
        "neighbourhood-devolved",
        "a neighbourhood officer whose team the shared person's case is devolved to",
        frozenset({"shared"}),
        sections=EVERY_SECTION,
    ),
    Persona(
        "neighbourhood-other",
        "a neighbourhood officer of another team, with no devolved case",
        sections=EVERY_SECTION,
    ),
    Persona("administrator", "an administrator of the IOM unit's police force", is_staff=True),
    Persona("superuser", "a superuser", is_staff=True),
    Persona(
        "system-account",
        "the drug service's system account, with an API token",
        frozenset({"shared"}),
        sections=IDENTITY_AND_SUMMARIES,
        by_token=True,
    ),
    Persona("anonymous", "a visitor who has not signed in", signed_in=False),
]
BY_KEY = {persona.key: persona for persona in PERSONAS}

OUTSIDERS = [p for p in PERSONAS if not p.is_iom_unit]

OFFENDER_MANAGER = Persona(
    "offender-manager",
    "the shared person's named offender manager, from probation (every section)",
    frozenset({"shared"}),
    frozenset({"shared"}),
    EVERY_SECTION,
)


# --- What must not be in a response ------------------------------------------------------


def forbidden(persona: Persona, world: World) -> list[str]:
    """The names, identifiers and markers ``persona`` may not be shown anywhere: everything
    of a person they may not see, and of a person they may see the markers of the sections
    their agreements do not cover (informant and code-4 intelligence: never outside the IOM
    unit)."""
    if persona.is_iom_unit:
        return []
    secrets = []
    for subject in (world.hidden, world.shared, world.threat):
        if subject.key not in persona.sees:
            secrets += subject.secrets + list(subject.markers.values())
            continue
        for what, text in subject.markers.items():
            section = MARKED_SECTIONS[what]
            if (
                section is None
                or not persona.covers(section)
                or (what == "SUBMISSION" and persona.key not in SUBMITTERS)
                or (what == "TASK" and persona.key not in TASK_OWNERS)
            ):
                secrets.append(text)
    return secrets


# --- What a request must answer ----------------------------------------------------------

SIGN_IN = "sign-in"  # a redirect to the sign-in page
REFUSED_API = (401, 403)


@dataclass(frozen=True)
class Expected:
    statuses: tuple
    why: str

    def allows(self, answer) -> bool:
        if SIGN_IN in self.statuses and answer.status == 302:
            return answer.location.startswith("/sign-in/")
        return answer.status in self.statuses


def _signed_out(persona: Persona, target, method: str) -> Expected | None:
    definition = target.definition
    if getattr(definition, "audience", None) == routes.OPEN:
        return None
    is_api = target.is_api or definition.api_view
    if persona.signed_in and not (persona.by_token and not is_api):
        return None
    if is_api:
        return Expected(REFUSED_API, "the API refuses a client that has not signed in")
    return Expected((SIGN_IN,), "a page sends a visitor who has not signed in to sign in")


def _person_gates(persona, target, needs: str) -> Expected | None:
    """The person's record: 404 where the persona may not see it (not even that it exists),
    403 where their agreement does not cover the section (pages; the API filters the row
    out: 404), and 404 for the shared person with the hidden person's record."""
    subject = target.subject
    definition = target.definition
    person = "shared" if subject == "mixed" else subject
    if not persona.may("view", person):
        return Expected((404,), f"the {person} person is not shared with {persona}")
    may_not = needs in ("change", "disclose") and not persona.may(needs, person)
    change_refused = getattr(definition, "change_refused", 404)
    if may_not and change_refused == 404:
        return Expected((404,), f"{persona} may only view the {person} person's record")
    if not persona.covers(definition.section):
        if target.is_api:
            return Expected((404,), "the API leaves out a section the agreement does not cover")
        return Expected((403,), "the agreement does not cover this section")
    if may_not:
        return Expected((change_refused,), f"{persona} may not {needs} the {person} person's")
    audience = getattr(definition, "audience", routes.SIGNED_IN)
    if subject == "mixed" and not target.is_api and not persona.passes(audience):
        # A page for the IOM unit refuses anyone else before it looks for the record.
        return Expected((403,), f"for the {audience} only")
    if subject == "mixed":
        return Expected((404,), "the record in the URL is not the person's")
    seen_by = getattr(definition, "seen_by", None)
    if seen_by is not None and not persona.is_iom_unit and persona.key not in seen_by:
        return Expected((404,), f"the record is not {persona}'s agency's")
    if needs == "act" and not persona.may("change", person):
        # A partner acts only on the pathways their agency delivers: these deliver none.
        return Expected((403,), f"{persona}'s agency does not deliver the pathway")
    return None


def expected(persona: Persona, target, method: str) -> Expected:
    signed_out = _signed_out(persona, target, method)
    if signed_out is not None:
        return signed_out
    if target.is_api:
        return _expected_api(persona, target, method)
    page = target.definition
    if method == "get" and not page.get:
        return Expected((405,), "the page only takes POST")
    if method == "post" and not page.takes_post:
        return Expected((405,), "the page only takes GET")
    if page.audience == routes.OPEN:
        return Expected(page.ok if method == "get" else page.post_ok, "open to anyone")
    if target.subject is not None:
        needs = page.needs
        if method != "get" and page.post_looks_up_for_change:
            needs = page.post_needs
        refused = _person_gates(persona, target, needs)
        if refused is not None:
            return refused
        # A page anyone who may see the record opens, whose form needs more: the page's own
        # gates first, then the form's.
        if method != "get" and page.post_needs:
            person = "shared" if target.subject == "mixed" else target.subject
            if not persona.may("change", person):
                refusal = (403,) if page.post_needs == "act" else (404,)
                if page.post_refused is not None:
                    refusal = (page.post_refused,)
                return Expected(refusal, f"{persona} may not {page.post_needs} on the record")
    if not persona.passes(page.audience):
        return Expected((403,), f"for the {page.audience} only")
    if method == "get":
        return Expected(page.ok, "allowed")
    if page.post is None and page.get:
        return Expected(page.ok if page.post_ok == (302,) else page.post_ok, "read-only page")
    return Expected(page.post_ok, "allowed: the form is accepted")


def _expected_api(persona: Persona, target, method: str) -> Expected:
    endpoint = target.definition
    if not persona.passes(endpoint.audience):
        return Expected((403,), f"for the {endpoint.audience} only")
    if method not in target.methods:
        return Expected((405,), "the endpoint does not take this method")
    if target.action == "list" and method == "post":
        if target.subject is None:
            return Expected((201, 202), "allowed: started")
        needs = endpoint.create_needs
        if endpoint.create_audience and not persona.passes(endpoint.create_audience):
            if endpoint.create_refused_first or persona.may("view", target.subject):
                return Expected((403,), f"only the {endpoint.create_audience} may create it")
            return Expected((404,), f"the {target.subject} person is not shared with {persona}")
        if persona.may(needs, target.subject) and persona.covers(endpoint.section):
            return Expected(endpoint.create_ok, "allowed: created")
        return Expected((400, 403, 404), f"{persona} may not write the {target.subject} person's")
    if target.subject is not None:
        refused = _person_gates(persona, target, endpoint.needs)
        if refused is not None:
            return Expected((404,), refused.why)
        seen_by = endpoint.seen_by
        if seen_by is not None and not persona.is_iom_unit and persona.key not in seen_by:
            return Expected((404,), f"{persona}'s agency did not make the record")
        audience = endpoint.action_audience.get(target.action)
        if audience is not None and not persona.passes(audience):
            return Expected((403,), f"{target.action} is for the {audience} only")
        if method == "patch" and not persona.may("change", target.subject):
            return Expected(endpoint.update_refused, f"{persona} may not change the record")
        needs = endpoint.action_needs.get(target.action)
        if needs is not None and not persona.may(needs, target.subject):
            return Expected((403,), f"{persona} may not {needs} the record")
    if target.action in endpoint.action_ok and method != "get":
        return Expected(endpoint.action_ok[target.action], "allowed: the action's answer")
    return Expected((200,), "allowed")
