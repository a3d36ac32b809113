"""The matrix's data is built once for the whole package, in a transaction rolled back at
its end; each persona walks every URL once, and the tests read what the walk recorded, so
that thousands of checks cost one request each.

"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from iom.celery import app as celery_app

from . import targets, walk
from .personas import BY_KEY, OFFENDER_MANAGER, PERSONAS, Persona, expected
from .world import World, build


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder():
    """The package's documents live in the folder ``world`` made for them; the suite's
    per-test folder would hide them from the walk."""


@pytest.fixture(autouse=True)
def fast_password_hashing():
    """Set once for the package by ``world`` (per test, it would cost thousands of settings
    changes)."""


@pytest.fixture(autouse=True)
def tasks_run_inline():
    """Set once for the package by ``world``."""


@pytest.fixture
def db(world):
    """The matrix's tests share the package's one transaction (``world``) instead of each
    having one of its own, whose teardown checks every foreign key of every table: a few
    milliseconds, times thousands of tests. Asking for ``db`` (pytest-django's name) still
    has the test database created. Every request that may write runs in a savepoint that
    is rolled back (``Walks``, and each test that sends its own)."""
    return world


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("matrix-media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        walks = Walks(build())
        yield walks
        transaction.set_rollback(True)
    celery_app.conf.task_always_eager = eager


class Walks:
    """The world, the targets, a signed-in client per persona, and each walk's answers,
    made the first time a test asks for them."""

    def __init__(self, world: World):
        self.world = world
        self.targets = targets.all_targets(world)
        # Signed in here, outside any test's transaction, so that the sessions last.
        self._clients = {persona.key: self._sign_in(persona) for persona in PERSONAS}
        self._clients[OFFENDER_MANAGER.key] = self._sign_in(OFFENDER_MANAGER)
        self._reads = {}
        self._writes = {}

    def _sign_in(self, persona: Persona):
        if not persona.signed_in:
            return walk.client_for()
        user = self.world.users[persona.key]
        if persona.by_token:
            return walk.client_for(token=user.auth_token.key)
        return walk.client_for(user)

    def client(self, persona: Persona):
        return self._clients[persona.key]

    def client_of_user(self, user):
        for key, client in self._clients.items():
            if key in self.world.users and self.world.users[key] == user:
                return client
        raise KeyError(user)

    def reads(self, persona: Persona) -> dict:
        """Every GET (and, for the API, its browsable HTML page) as ``persona``."""
        if persona.key not in self._reads:
            client = self.client(persona)
            before = walk.checksums()
            answers = {}
            for target in self.targets:
                for method in targets.reads_of(persona.key, target):
                    accept = "text/html" if method == "browsable" else ""
                    answers[(target.label, method)] = walk.send(
                        client, "get", target.url, api=target.is_api, accept=accept
                    )
            self._reads[persona.key] = (answers, walk.changed_tables(before, walk.checksums()))
        return self._reads[persona.key]

    def writes(self, persona: Persona) -> dict:
        """Every POST, PATCH and PUT as ``persona``, with what a user allowed would send.

        Outside the IOM unit nothing may change: the walk runs in one savepoint, compared
        with a checksum of every table before it is rolled back. The IOM unit may change
        records: each of its writes is rolled back at once, so that none alters the next.
        """
        if persona.key not in self._writes:
            client = self.client(persona)
            answers = {}
            may_write = persona.is_iom_unit or persona is OFFENDER_MANAGER
            with transaction.atomic():
                before = walk.checksums()
                for target in self.targets:
                    for method in targets.writes_of(persona.key, target):
                        data = payload(self.world, target, method)
                        if may_write or target.definition.partners_write:
                            with transaction.atomic():
                                answers[(target.label, method)] = walk.send(
                                    client, method, target.url, data, api=target.is_api
                                )
                                transaction.set_rollback(True)
                        else:
                            answers[(target.label, method)] = walk.send(
                                client, method, target.url, data, api=target.is_api
                            )
                changed = [] if may_write else walk.changed_tables(before, walk.checksums())
                transaction.set_rollback(True)
            self._writes[persona.key] = (answers, changed)
        return self._writes[persona.key]

    def expectation(self, persona: Persona, label: str, method: str):
        target = next(t for t in self.targets if t.label == label)
        return expected(persona, target, "get" if method == "browsable" else method)


def payload(world: World, target, method: str):
    """What a user allowed would send: the page's form, or the API's create or update."""
    subject = world.subject(target.subject)
    definition = target.definition
    if not target.is_api:
        return definition.post(subject, world) if definition.post else {}
    if target.action in definition.actions:
        builder = definition.actions[target.action]
    else:
        builder = definition.create if method == "post" else definition.update
    if builder is None or (subject is None and definition.record):
        return {}
    return builder(subject, world)


def persona_named(key: str) -> Persona:
    return OFFENDER_MANAGER if key == OFFENDER_MANAGER.key else BY_KEY[key]
