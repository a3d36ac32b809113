"""Every POST, PATCH and PUT of every URL as every persona, with what a user allowed would
send: the status it must answer, nothing in it the persona may not see, and (outside the IOM
unit) no row changed anywhere."""

import pytest

from . import targets
from .checks import cases, problems, report
from .personas import PERSONAS

pytestmark = pytest.mark.usefixtures("db")


WRITES = cases(targets.writes_of)


@pytest.mark.parametrize("persona,name", WRITES)
def test_writes_as(world, persona, name):
    answers, _ = world.writes(persona)
    found = problems(world, persona, name, answers, targets.writes_of)
    assert not found, report(persona, found)


@pytest.mark.parametrize("persona", [p for p in PERSONAS if not p.is_iom_unit], ids=str)
def test_writing_as_an_outsider_changes_no_row(world, persona):
    _, changed = world.writes(persona)
    assert not changed, (
        f"As {persona.description}, the walk of every form and API write changed rows of {changed}."
    )
