"""The risk model's versions: checked, and never changed once stored."""

import json

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError

from cohorts.risk.models import RiskModelVersion
from cohorts.risk.parameters import ModelParameters
from tests import factories


@pytest.fixture
def admin_user(db):
    return factories.ManagerFactory(is_staff=True, is_superuser=True)


def test_the_first_version_is_seeded_and_valid(db):
    version = RiskModelVersion.objects.get(number=1)
    params = ModelParameters.from_json(version.parameters)
    assert params.thresholds == {"red": 40.0, "amber": 15.0}
    assert params.need_points == {}


def test_the_version_counting_pathway_needs_is_new_and_leaves_the_first_untouched(db):
    first, current = RiskModelVersion.objects.get(number=1), RiskModelVersion.current()
    assert current.number == 2
    assert "need_points" not in first.parameters
    assert current.parameters == dict(
        first.parameters, need_points=current.parameters["need_points"]
    )
    assert ModelParameters.from_json(current.parameters).need_points["accommodation_need"] == {
        "none": 0, "low": 2, "medium": 5, "high": 8,
    }  # fmt: skip


def test_need_points_lacking_a_level_are_refused_naming_it(db):
    parameters = dict(RiskModelVersion.current().parameters)
    parameters["need_points"] = {"accommodation_need": {"none": 0, "low": 2, "high": 8}}
    with pytest.raises(ValidationError) as error:
        ModelParameters.from_json(parameters)
    assert "need_points.accommodation_need lacks medium" in error.value.messages


def test_parameters_with_missing_or_wrong_values_are_refused_naming_them(db):
    parameters = dict(RiskModelVersion.current().parameters)
    del parameters["custody_multiplier"]
    parameters["thresholds"] = {"red": 10, "amber": 20}
    with pytest.raises(ValidationError) as error:
        ModelParameters.from_json(parameters)
    assert "custody_multiplier is missing" in error.value.messages


def test_saving_a_version_in_the_admin_stores_a_new_one(rf, admin_user):
    first = RiskModelVersion.current()
    number = first.number
    model_admin = admin.site._registry[RiskModelVersion]
    request = rf.post("/")
    request.user = admin_user
    changed = dict(first.parameters, custody_multiplier=0.1)
    form = model_admin.get_form(request, first)(
        {"parameters": json.dumps(changed), "notes": "Custody counts for less"}, instance=first
    )
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    assert RiskModelVersion.objects.get(number=number).parameters["custody_multiplier"] == 0.25
    newest = RiskModelVersion.current()
    assert (newest.number, newest.parameters["custody_multiplier"]) == (number + 1, 0.1)
    assert newest.created_by == admin_user


def test_the_admin_refuses_parameters_the_scorer_cannot_use(rf, admin_user):
    first = RiskModelVersion.current()
    model_admin = admin.site._registry[RiskModelVersion]
    request = rf.post("/")
    request.user = admin_user
    broken = dict(first.parameters, out_of_area_multiplier=3)
    form = model_admin.get_form(request, first)({"parameters": json.dumps(broken)}, instance=first)
    assert not form.is_valid()
    assert "out_of_area_multiplier must be at least 0 and at most 1" in str(form.errors)
