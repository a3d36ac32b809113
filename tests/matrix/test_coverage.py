"""The matrix walks every URL: a URL pattern or an OpenAPI operation it cannot build fails
here, naming it, until its definition is added to ``routes.py``."""

import re

import pytest

from . import routes, targets

PATTERNS = targets.url_patterns()
PLANNED = targets.planned_targets()
OPERATIONS = targets.schema_operations()


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.name or p.route)
def test_the_matrix_knows_how_to_build_every_url(pattern):
    unknown = targets.unknown_kwargs(pattern)
    assert pattern.name, f"The URL {pattern.route} has no name: name it, so the matrix can."
    assert not unknown, (
        f"The permission matrix does not know how to build {pattern.name} ({pattern.route}): "
        f"add it to PAGES or API in tests/matrix/routes.py, saying what "
        f"{', '.join(sorted(unknown))} name, who may use it and what a form would send."
    )


# The user's own sign-in pages are walked in test_account.py.
WALKED = [p for p in PATTERNS if routes.PAGES.get(p.name, routes.Page()).audience != routes.ACCOUNT]


@pytest.mark.parametrize("pattern", WALKED, ids=lambda p: p.name or p.route)
def test_every_url_is_walked(pattern):
    assert any(target.name == pattern.name for target in PLANNED), (
        f"No request of the matrix reaches {pattern.name} ({pattern.route})."
    )


def _walked(path: str, method: str) -> bool:
    parameters = re.findall(r"{(\w+)}", path)
    unknown = set(parameters) - {"id", "run_id", "file_format"}
    assert not unknown, f"The matrix cannot fill {', '.join(sorted(unknown))} of {path}."
    regex = re.compile("^" + re.sub(r"{\w+}", "[^/]+", path) + "$")
    return any(
        target.is_api and regex.match(target.url) and method in target.methods for target in PLANNED
    )


@pytest.mark.parametrize("path,method", OPERATIONS, ids=[f"{m.upper()} {p}" for p, m in OPERATIONS])
def test_every_operation_of_the_openapi_schema_is_walked(path, method):
    assert _walked(path, method), (
        f"The OpenAPI schema lists {method.upper()} {path}, which the matrix does not send."
    )


def test_every_definition_names_a_url_that_exists():
    names = {pattern.name for pattern in PATTERNS}
    bases = {targets.api_basename(pattern.name)[0] for pattern in PATTERNS if pattern.is_api}
    assert set(routes.PAGES) - names == set()
    assert set(routes.API) - bases == set()
