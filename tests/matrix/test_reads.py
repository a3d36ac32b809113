"""Every GET of every URL (and, for the API, its browsable HTML page) as every persona: the
status it must answer, and nothing in it of a person the persona may not see, or of a
section of a person their agreements do not cover."""

import pytest

from . import targets
from .checks import cases, problems, report
from .personas import PERSONAS

pytestmark = pytest.mark.usefixtures("db")


READS = cases(targets.reads_of)


@pytest.mark.parametrize("persona,name", READS)
def test_reads_as(world, persona, name):
    answers, _ = world.reads(persona)
    found = problems(world, persona, name, answers, targets.reads_of)
    assert not found, report(persona, found)


@pytest.mark.parametrize("persona", PERSONAS, ids=str)
def test_reading_changes_no_row(world, persona):
    _, changed = world.reads(persona)
    assert not changed, f"As {persona.description}, reading changed rows of {changed}."
