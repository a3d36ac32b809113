"""The checksum that shows a walk changed no row sees a changed, a new and a deleted row."""

import pytest
from django.db import transaction

from cohorts.models import Nominal

from . import walk

pytestmark = pytest.mark.usefixtures("db")


@pytest.mark.parametrize("change", ["update", "insert", "delete"])
def test_the_checksum_sees_every_kind_of_change(world, change):
    shared = world.world.shared.nominal
    before = walk.checksums()
    with transaction.atomic():
        if change == "update":
            Nominal.objects.filter(pk=shared.pk).update(town="Elsewhere")
        elif change == "insert":
            world.world.shared.nominal.aliases.create(surname="Newalias")
        else:
            world.world.shared.nominal.aliases.all().delete()
        changed = walk.changed_tables(before, walk.checksums())
        transaction.set_rollback(True)
    assert changed, f"The checksum missed a {change}"
    assert walk.changed_tables(before, walk.checksums()) == []
