"""The checks every request of the matrix gets: the status, and nothing the persona may not
see in the body. One test checks every request a persona makes to one URL pattern (the
hidden and the shared person's, each method), and names each request that failed."""

from __future__ import annotations

from . import walk
from .personas import Persona, forbidden


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
