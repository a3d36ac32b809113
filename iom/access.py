"""The one gate through which records reach a user.

Every page, export and API endpoint that shows a person's record filters its queryset with
``restrict`` (or a model's ``visible_to`` queryset method, which calls it). Access is:

* IOM officers and managers of an IOM unit team: every record;
* administrators: no case record, whatever their agency;
* everyone else, while a live information-sharing agreement names their agency
  (``iom.sharing``): the records granted to them by django-guardian, either to them personally
  (a named offender manager) or to their team, when a record is shared with it. Which
  sections of those records they see is for ``iom.sharing.terms_for`` to say.

Nothing is hidden by leaving out a link only: a view that fetched a record some other way
would skip this gate, and the permission-matrix tests walk every URL to catch that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib.auth.models import AnonymousUser, Group
from django.db import models
from guardian.shortcuts import assign_perm, remove_perm
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from . import sharing

if TYPE_CHECKING:
    from iom.models import User

M = TypeVar("M", bound=models.Model)

ACTIONS = ("view", "change", "disclose")


def _codename(model: type[models.Model], action: str) -> str:
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}; expected one of {ACTIONS}.")
    return f"{action}_{model._meta.model_name}"


def _user_perms_model(model: type[models.Model]) -> type[models.Model]:
    # guardian takes the model class as well as an instance, though its stubs say instance.
    return get_user_obj_perms_model(cast(Any, model))


def _group_perms_model(model: type[models.Model]) -> type[models.Model]:
    return get_group_obj_perms_model(cast(Any, model))


def restrict(
    queryset: models.QuerySet[M], user: User | AnonymousUser, action: str = "view"
) -> models.QuerySet[M]:
    """Filter ``queryset`` to the objects on which ``user`` may perform ``action``."""
    model = queryset.model
    codename = _codename(model, action)
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.sees_whole_cohort:
        return queryset
    if not sharing.terms_for(user).sees_records:
        return queryset.none()
    user_perms = _user_perms_model(model)._default_manager.filter(
        user=user, permission__codename=codename
    )
    # Only teams' groups: a record is never shared with a whole agency.
    group_perms = _group_perms_model(model)._default_manager.filter(
        group__user=user, group__team__isnull=False, permission__codename=codename
    )
    # One IN over the UNION of the two grants: with an OR of two INs, PostgreSQL cannot look
    # the shared records up by key and reads every row of the table (18 ms against 3 ms for a
    # partner's 500 people among 100,000).
    granted = user_perms.values("content_object_id").union(group_perms.values("content_object_id"))
    return queryset.filter(pk__in=granted)


def restrict_by_nominal(
    queryset: models.QuerySet[M],
    user,
    action: str = "view",
    field: str = "nominal",
    *,
    section: str | None = None,
) -> models.QuerySet[M]:
    """Filter records that hang from a nominal to those whose nominal the user may see, and
    (``section``) to nothing at all when the user's agreements do not cover that section."""
    nominal_model = cast(type[models.Model], queryset.model._meta.get_field(field).related_model)
    visible = restrict(nominal_model._default_manager.all(), user, action)
    if section is not None and not sharing.covers(user, section):
        return queryset.none()
    if user.is_authenticated and user.is_active and user.sees_whole_cohort:
        return queryset
    return queryset.filter(**{f"{field}__in": visible.values("pk")})


def can(user, action: str, obj: models.Model) -> bool:
    """Whether ``user`` may perform ``action`` on ``obj`` (one query at most; none for the IOM
    unit, whom ``restrict`` lets act on every record: the caller already holds this one)."""
    _codename(type(obj), action)
    if obj.pk is not None and user.is_authenticated and user.is_active and user.sees_whole_cohort:
        return True
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()


# --- Granting access ------------------------------------------------------------------------
# These are called by services, inside their transaction, next to the audit event they write.

SHARED_ACTIONS = ("view",)
OFFENDER_MANAGER_ACTIONS = ("view", "change", "disclose")


def grant_to_group(group: Group, obj: models.Model, actions=SHARED_ACTIONS) -> None:
    for action in actions:
        assign_perm(_codename(type(obj), action), group, obj)


def revoke_from_group(group: Group, obj: models.Model, actions=ACTIONS) -> None:
    for action in actions:
        remove_perm(_codename(type(obj), action), group, obj)


def grant_to_user(user, obj: models.Model, actions=OFFENDER_MANAGER_ACTIONS) -> None:
    for action in actions:
        assign_perm(_codename(type(obj), action), user, obj)


def revoke_from_user(user, obj: models.Model, actions=ACTIONS) -> None:
    for action in actions:
        remove_perm(_codename(type(obj), action), user, obj)


def groups_with_access(obj: models.Model, action: str = "view") -> models.QuerySet[Group]:
    """The groups (agencies and teams) with which ``obj`` is shared."""
    model = _group_perms_model(type(obj))
    return Group.objects.filter(
        pk__in=model._default_manager.filter(
            content_object_id=obj.pk, permission__codename=_codename(type(obj), action)
        ).values("group_id")
    ).select_related("agency", "team")
