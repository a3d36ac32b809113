"""What the sources of My work read of a row's data (``w_data``, a JSON object) and how they
read it back: the person, a user's name, dates and times as either database writes them."""

from __future__ import annotations

import datetime

from django.db.models import F, QuerySet
from django.db.models.functions import JSONObject
from django.utils import timezone

from iom.models import User

from .work import WorkContext


def json_data(queryset: QuerySet, **fields) -> QuerySet:
    return queryset.annotate(w_object=F("pk"), w_data=JSONObject(**fields))


def person_fields(nominal: str = "nominal") -> dict:
    if not nominal:
        return {"nominal_id": F("pk"), "surname": F("surname"), "first_names": F("first_names")}
    return {
        "nominal_id": F(f"{nominal}_id"),
        "surname": F(f"{nominal}__surname"),
        "first_names": F(f"{nominal}__first_names"),
    }


def user_fields(prefix: str) -> dict:
    return {
        f"{prefix}_id": F(f"{prefix}_id"),
        f"{prefix}_first_name": F(f"{prefix}__first_name"),
        f"{prefix}_last_name": F(f"{prefix}__last_name"),
        f"{prefix}_username": F(f"{prefix}__username"),
    }


def user_name(data: dict, prefix: str) -> str:
    if data.get(f"{prefix}_id") is None:
        return ""
    return str(
        User(
            first_name=data[f"{prefix}_first_name"] or "",
            last_name=data[f"{prefix}_last_name"] or "",
            username=data[f"{prefix}_username"] or "",
        )
    )


def person(data: dict, url: str) -> dict:
    return {
        "nominal_id": data["nominal_id"],
        "surname": data["surname"] or "",
        "first_names": data["first_names"] or "",
        "person_url": url,
    }


def parse_date(value) -> datetime.date | None:
    return datetime.date.fromisoformat(str(value)[:10]) if value else None


def parse_datetime(value) -> datetime.datetime | None:
    """A time as the JSON of either database writes it (ISO 8601; SQLite's without a zone,
    in UTC)."""
    if not value:
        return None
    moment = datetime.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def overdue_tag(due: datetime.date | None, context: WorkContext) -> list[tuple[str, str]]:
    return [("Overdue", "red")] if due and due < context.today else []


def local_day(value) -> datetime.date | None:
    moment = parse_datetime(value)
    return timezone.localdate(moment) if moment else None
