"""Every operation of the OpenAPI schema, fuzzed by schemathesis as an IOM officer, an IOM
manager and a partner worker: no answer is a server error, and every answer (status code,
content type, headers, body) is one the schema documents.

The operations come from the schema itself, so a new endpoint is fuzzed without being added
here. Each operation gets a bounded number of generated requests, the same ones every run
(derandomized), each sent twice: as generated, and again with its record ids replaced by those
of records that exist (of the person shared with the partner, or of the one who is not), so
that answers about real records are checked too. Writes happen inside the test's transaction
and are rolled back with it."""

import zlib

import hypothesis
import pytest
from hypothesis import HealthCheck

from iom.wsgi import application

from . import openapi

# Per operation and persona, each also sent with real records. The whole module (about 90
# operations, three personas) then runs in about two and a half minutes on PostgreSQL on a
# 2-core machine.
MAX_EXAMPLES = 12

# The coverage phase adds its boundary cases as explicit examples, as many as the schema has
# fields and constraints; the fuzzing phase alone keeps to MAX_EXAMPLES.
schema = openapi.load(phases={"coverage": {"enabled": False}})

# Which record the id in an operation's path names, by the path's first segment. Every
# operation on a record needs its entry (a test below fails otherwise), so that it is tried
# with the ids of real records and not only with generated ones.
RECORD_OF_PATH = {
    "nominals": "nominal",
    "pathway-people": "nominal",
    "memberships": "membership",
    "referrals": "referral",
    "pathway-actions": "pathway_action",
    "licences": "licence",
    "breaches": "breach",
    "drug-tests": "drug_test",
    "control-measures": "curfew",
    "recalls": "recall",
    "documents": "document",
    "cohort-reports": "cohort_report",
    "ranking-runs": "run",
    "contacts": "contact",
    "arrests": "arrest",
    "detected-offences": "detected_offence",
    "intelligence-reports": "intelligence_report",
    "intelligence-submissions": "submission",
    "tasks": "task",
    "panel-decisions": "panel_decision",
    "panel-meetings": "panel_meeting",
    "custody": "custody_period",
}
# Request fields and filters that name a record of the person.
RECORD_OF_FIELD = {
    "nominal": "nominal",
    "licence": "licence",
    "breach": "breach",
    "condition": "condition",
    "offence_type": "offence_type",
    "item": "release_plan_item",
}


@pytest.fixture(params=["officer", "manager", "partner"])
def persona(request, db, world, wsgi_requests_keep_the_connection):
    return openapi.Session.of(world["users"][request.param])


def _call_and_check(case, session):
    response = case.call(app=application, cookies=session.cookies, headers=session.headers)
    case.validate_response(response, checks=openapi.CHECKS, headers=session.headers)


def _person_for(world, case) -> dict:
    """The shared person's records or the other's, chosen by the generated data so that the
    examples try both."""
    chosen = zlib.crc32(repr(case.path_parameters).encode()) % 2
    return world["shared"] if chosen == 0 else world["unshared"]


def _with_real_records(case, world) -> bool:
    """Put ids of real records into the case, and the current version of the record it
    updates; False if the case names no record."""
    person = _person_for(world, case)
    records = {
        **person,
        "condition": person["breach"].condition,
        "offence_type": person["detected_offence"].offence_type,
        "cohort_report": world["reports"]["ready"],
        "run": world["run"],
        "panel_meeting": person["panel_decision"].meeting,
    }
    segment = case.operation.path.strip("/").split("/")[1]
    target = records.get(RECORD_OF_PATH.get(segment, ""))
    changed = False
    for name in case.path_parameters or {}:
        if name in ("id", "run_id") and target is not None:
            case.path_parameters[name] = target.pk
            changed = True
    for container in (case.query, case.body):
        if not isinstance(container, dict):
            continue
        for field, record in RECORD_OF_FIELD.items():
            if field in container:
                container[field] = records[record].pk
                changed = True
    versioned = target is not None and hasattr(target, "version")
    if isinstance(case.body, dict) and "version" in case.body and versioned:
        target.refresh_from_db(fields=["version"])
        case.body["version"] = target.version
        changed = True
    return changed


@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
def test_every_operation_answers_as_the_schema_documents(case, persona, world):
    _call_and_check(case, persona)
    if _with_real_records(case, world):
        _call_and_check(case, persona)


def test_every_operation_on_a_record_is_tried_with_real_records():
    """A new endpoint on a record is fuzzed with ids of records that exist, not only with
    generated ids that answer 404."""
    segments = {
        path.strip("/").split("/")[1] for path in openapi.raw_schema()["paths"] if "{" in path
    }
    assert segments - set(RECORD_OF_PATH) == set()
