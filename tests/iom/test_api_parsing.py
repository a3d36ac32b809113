"""A request body nested too deeply is a 400 on every API endpoint, never a 500."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cohorts.controls.models import ControlMeasure
from iom.api.parsers import MAX_DEPTH, DepthLimitedJSONParser
from referrals.models import Referral


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _api_views(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _api_views(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and route.startswith("api/"):
            view_class = getattr(entry.callback, "cls", None)
            if view_class is not None:
                yield route, view_class


def test_every_api_view_parses_json_with_the_depth_limit():
    views = list(_api_views(get_resolver().url_patterns))
    assert len(views) > 20
    for route, view_class in views:
        parsers = view_class().get_parsers()
        json_parsers = [p for p in parsers if p.media_type == "application/json"]
        assert [type(p) for p in json_parsers] == [DepthLimitedJSONParser], route


@pytest.mark.parametrize("depth", [100_000, MAX_DEPTH + 1])
@pytest.mark.parametrize(
    ("method", "url_name", "model"),
    [
        ("post", "referral-list", Referral),
        ("post", "control-measure-list", ControlMeasure),
    ],
)
def test_a_deeply_nested_body_is_a_400_and_writes_nothing(
    client, officer, method, url_name, model, depth
):
    client.force_login(officer)
    response = getattr(client, method)(
        reverse(url_name), _nested(depth), content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested deeper than" in response.json()["detail"]
    assert not model.objects.exists()


def test_a_deeply_nested_update_of_a_person_is_a_400(client, officer, nominal):
    client.force_login(officer)
    body = '{"surname": ' + _nested(100_000) + "}"
    response = client.patch(
        reverse("nominal-detail", kwargs={"pk": nominal.pk}), body, content_type="application/json"
    )
    assert response.status_code == 400
    nominal.refresh_from_db()
    assert nominal.version == 1


def test_a_body_nested_within_the_limit_is_parsed_as_usual(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("control-measure-list"), _nested(MAX_DEPTH), content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested deeper" not in response.content.decode()
