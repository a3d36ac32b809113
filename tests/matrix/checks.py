"""The checks every request of the matrix gets: the status, and nothing the persona may not
see in the body. One test checks every request a persona makes to one URL pattern (the
hidden and the shared person's, each method), and names each request that failed."""

from __future__ import annotations

import pytest

from . import targets, walk
from .personas import PERSONAS, Persona, forbidden


def cases(methods_of) -> list:
    """The cases of a walk's test, one a persona and a URL name: each persona with each URL
    pattern they make a request of (``methods_of``: ``targets.reads_of`` or ``writes_of``)."""
    return [
        pytest.param(persona, name, id=f"{persona} {name}")
        for persona in PERSONAS
        for name in sorted(
            {t.name for t in targets.planned_targets() if methods_of(persona.key, t)}
        )
    ]


def problems(walks, persona: Persona, name: str, answers: dict, methods_of) -> list[str]:
    found = []
    secrets = forbidden(persona, walks.world)
    for target in walks.targets:
        if target.name != name:
            continue
        for method in methods_of(persona.key, target):
            answer = answers[(target.label, method)]
            expected = walks.expectation(persona, target.label, method)
            shown = "GET (browsable API)" if method == "browsable" else method.upper()
            if not expected.allows(answer):
                found.append(
                    f"{shown} {target.url} [{target.label}] answered {answer}; expected "
                    f"{' or '.join(map(str, expected.statuses))}: {expected.why}."
                )
            leaked = walk.leaks(answer, secrets)
            if leaked:
                found.append(f"{shown} {target.url} [{target.label}] shows {leaked}.")
    return found


def report(persona: Persona, found: list[str]) -> str:
    return f"As {persona.description}:\n  " + "\n  ".join(found)
