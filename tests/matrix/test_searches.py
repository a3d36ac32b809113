"""Every box a person can be looked up by, searched for the hidden person's name and each of
their identifiers, as every persona outside the IOM unit.

A search reveals nothing when its answer is the same (but for what was typed) as the answer
to a search for someone who does not exist: same status, same page. That catches a result
row, a count ("1 possible match is on records your agency cannot see") and a refusal that
only an existing record would cause, not just the name itself.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from . import forms, walk
from .personas import BY_KEY, OUTSIDERS, forbidden
from .world import HIDDEN, HIDDEN_ALIAS, NOBODY

pytestmark = pytest.mark.usefixtures("db")

NAMED = {**HIDDEN, "alias": HIDDEN_ALIAS}
NOBODYS = {**NOBODY, "alias": "Thistlebrook"}


def _cohort_search(field):
    return lambda person, world: ("get", reverse("cohorts:list"), {"q": person[field]}, False)


def _export_search(field):
    return lambda person, world: ("get", reverse("cohorts:export"), {"q": person[field]}, False)


def _api_search(field):
    return lambda person, world: ("get", reverse("nominal-list"), {field: person[field]}, True)


def _api_query(field):
    return lambda person, world: ("get", reverse("nominal-list"), {"q": person[field]}, True)


def _referral_page(person, world):
    return ("post", reverse("referrals:new"), forms.new_person_referral(world, person), False)


def _referral_api(person, world):
    return ("post", reverse("referral-list"), forms.new_person_api_referral(world, person), True)


SEARCHES = {
    **{
        f"the cohort list searched by {field}": _cohort_search(field)
        for field in ("surname", "pnc_id", "crn", "prison_number", "alias")
    },
    **{
        f"the cohort export searched by {field}": _export_search(field)
        for field in ("surname", "pnc_id")
    },
    **{f"the nominals API filtered by {field}": _api_search(field) for field in ("pnc_id", "crn")},
    **{
        f"the nominals API searched by {field}": _api_query(field)
        for field in ("surname", "prison_number", "alias")
    },
}
# Referring someone with the hidden person's details: the match screen and its count.
REFERRALS = {
    "the referral form for a new person": _referral_page,
    "the referral API for a new person": _referral_api,
}


def _answer(walks, persona, search, person):
    method, url, data, api = search(person, walks.world)
    client = walks.client(persona)
    with transaction.atomic():  # a referral of a new person is made: undo it
        answer = walk.send(client, method, url, data, api=api)
        transaction.set_rollback(True)
    return answer


def _compare(walks, persona, search):
    named = _answer(walks, persona, search, NAMED)
    nobody = _answer(walks, persona, search, NOBODYS)
    typed = {field: value for field, value in NAMED.items() if value}
    untyped = {field: value for field, value in NOBODYS.items() if value}
    # What was typed is shown back in the box; anything else of the person is a leak.
    leaked = [
        s for s in walk.leaks(named, forbidden(persona, walks.world)) if s not in typed.values()
    ]
    return named, nobody, walk.normalised(named, typed), walk.normalised(nobody, untyped), leaked


@pytest.mark.parametrize("what", SEARCHES)
@pytest.mark.parametrize("persona", OUTSIDERS, ids=str)
def test_searching_for_the_hidden_person_finds_nothing(world, persona, what):
    named, nobody, seen, unseen, leaked = _compare(world, persona, SEARCHES[what])
    assert not leaked, f"As {persona.description}, {what} shows {leaked}."
    assert seen == unseen, (
        f"As {persona.description}, {what} for the hidden person answers {named}, unlike a "
        f"search for no one ({nobody}): it reveals that the person exists."
    )


def _referral_params():
    for persona in OUTSIDERS:
        for what in REFERRALS:
            yield pytest.param(persona, what, id=f"{persona}-{what}")


@pytest.mark.parametrize("persona,what", list(_referral_params()))
def test_referring_the_hidden_person_as_new_reveals_nothing(world, persona, what):
    named, nobody, seen, unseen, leaked = _compare(world, persona, REFERRALS[what])
    assert not leaked, f"As {persona.description}, {what} shows {leaked}."
    assert seen == unseen, (
        f"As {persona.description}, {what} with the hidden person's details answers {named}, "
        f"unlike a referral of someone new ({nobody}): it reveals that the person exists."
    )


@pytest.mark.parametrize("what", SEARCHES)
def test_the_same_search_finds_the_hidden_person_for_the_iom_unit(world, what):
    """So that an outsider's empty answer means the record is hidden, not the search broken."""
    officer = BY_KEY["iom-officer"]
    answer = _answer(world, officer, SEARCHES[what], NAMED)
    assert answer.status == 200
    assert HIDDEN["surname"] in answer.text or HIDDEN["pnc_id"] in answer.text
