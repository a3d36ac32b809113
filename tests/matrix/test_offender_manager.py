"""The named offender manager, from probation under an agreement covering every section,
reaches every page of the person they manage that is not for the IOM unit only, and every
API record of theirs: the matrix's refusals are not refusing everyone."""

import json

import pytest

from . import routes, targets, walk
from .personas import OFFENDER_MANAGER
from .world import SHARED

pytestmark = pytest.mark.usefixtures("db")

PAGES_OF_THE_PERSON = sorted(
    {
        target.name
        for target in targets.planned_targets()
        if target.subject == "shared"
        and not target.is_api
        and target.definition.audience in (routes.SIGNED_IN, routes.PARTNER)
        and target.definition.seen_by is None
    }
)
# The API's records of the person (but a partner's intelligence submission, which only the
# IOM unit and the submitting agency see, and the actions, which answer POST only).
API_RECORDS_OF_THE_PERSON = sorted(
    {
        target.name
        for target in targets.planned_targets()
        if target.subject == "shared"
        and target.is_api
        and "get" in target.methods
        and ".json" not in target.label
        and target.definition.seen_by is None
    }
)


@pytest.mark.parametrize("name", PAGES_OF_THE_PERSON)
def test_offender_manager_reaches_every_page_of_their_nominal(world, name):
    client = world.client(OFFENDER_MANAGER)
    for target in world.targets:
        if target.name == name and target.subject == "shared":
            answer = walk.send(client, "get", target.url, api=False)
            assert answer.status == 200, f"GET {target.url} answered {answer}"
            if not answer.content_type.startswith("image/"):  # the photograph
                assert SHARED["surname"] in answer.text, f"GET {target.url} does not name them"
            leaked = walk.leaks(answer, world.world.hidden.secrets)
            assert not leaked, f"GET {target.url} shows {leaked}"


@pytest.mark.parametrize("name", API_RECORDS_OF_THE_PERSON)
def test_offender_manager_reads_every_api_record_of_their_nominal(world, name):
    client = world.client(OFFENDER_MANAGER)
    for target in world.targets:
        if target.name == name and target.subject == "shared" and ".json" not in target.label:
            answer = walk.send(client, "get", target.url, api=True)
            assert answer.status == 200, f"GET {target.url} answered {answer}"
            shared = world.world.shared
            if answer.content_type.startswith("application/json"):
                body = json.loads(answer.text.split("\n\n", 1)[1])
                # The record is the person's: it names them, or their referral (a decision).
                assert (
                    shared.nominal.pk in (body.get("nominal"), body.get("id"))
                    or body.get("referral") == shared.records["referral"].pk
                ), body
            else:  # a file: the person's document names them
                assert shared.nominal.surname in answer.text
            leaked = walk.leaks(answer, world.world.hidden.secrets)
            assert not leaked, f"GET {target.url} shows {leaked}"
