"""Every action of the API answers at its format-suffix URL too (``/agenda.json``), as the
router publishes one for it: an action that does not take ``format`` would fail there."""

import pytest

from tests import factories
from tests.controls.factories import RecallFactory


@pytest.mark.parametrize("action", ["agenda", "actions"])
def test_a_panel_meetings_actions_answer_with_a_format_suffix(client, manager, action):
    panel = factories.PanelMeetingFactory(chair=manager, created_by=manager)
    client.force_login(manager)
    response = client.get(f"/api/panel-meetings/{panel.pk}/{action}.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("action", ["alternatives", "dossier"])
def test_a_recalls_actions_answer_with_a_format_suffix(client, officer, action):
    recall = RecallFactory()
    client.force_login(officer)
    response = client.get(f"/api/recalls/{recall.pk}/{action}.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
