"""The admin site, as the administrator and the superuser: every list and the change page of
a row of each, with the hidden and the shared person's names and identifiers nowhere in
them (the admin shows no personal data, to anyone)."""

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import reverse

from . import walk

pytestmark = pytest.mark.usefixtures("db")


def _params():
    for persona in ("administrator", "superuser"):
        for model in sorted(admin.site._registry, key=lambda model: model._meta.label):
            yield pytest.param(persona, model, id=f"{persona}-{model._meta.label}")


def _admin_pages(model):
    info = (model._meta.app_label, model._meta.model_name)
    yield reverse("admin:{}_{}_changelist".format(*info))
    first = model._default_manager.order_by("pk").first()
    if first is not None:
        yield reverse("admin:{}_{}_change".format(*info), args=[first.pk])


@pytest.mark.parametrize("persona,model", list(_params()))
def test_the_admin_shows_no_person(world, persona, model):
    user = world.world.users[persona]
    client = world.client_of_user(user)
    secrets = world.world.hidden.secrets + world.world.shared.secrets
    for url in _admin_pages(model):
        with transaction.atomic():
            answer = walk.send(client, "get", url, api=False)
            transaction.set_rollback(True)
        assert answer.status in (200, 302, 403), f"GET {url} answered {answer}"
        leaked = walk.leaks(answer, secrets)
        assert not leaked, f"As the {persona}, GET {url} shows {leaked}"
