"""JSON API of reserve units and assignments, under `/api/v1/reserve/`.

* `GET /reserve/units?province=&as_of=` — the reserve units of the provinces your jurisdiction
  reaches into (one province with `province`), each with its establishment table and, on the
  day, the seats filled; no personal data.
* `GET /reserve/units/{code}?as_of=` — one unit the same way (404 outside the jurisdiction).
* `GET /reserve/assignments?unit=&as_of=&page=` — who holds which post on the day (an as-of
  query over the assignment history), among the persons living in your jurisdiction, 100 a
  page; each answer logs the persons it names as read (`unit_queries`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from muster.accounts.models import User
from muster.core.api_errors import TOKEN_READ_ERRORS, error_responses
from muster.reserve import unit_queries
from muster.reserve.models_units import ReserveUnit

router = Router(tags=["reserve"])
PAGE_SIZE = 100
MAX_PAGE = 1000


class ReserveUnitFilters(Schema):
    province: str | None = Field(None, max_length=8, description="2025 province code")
    as_of: date | None = Field(None, description="the day (YYYY-MM-DD); today by default")


class PostOut(Schema):
    position: str
    specialty: str
    min_rank: str = Field(description="the minimum rank's code; empty: none")
    count: int
    filled: int = Field(description="seats held on the day, spare seats included")


class ReserveUnitOut(Schema):
    code: str
    name: str
    command: str = Field(description="the provincial command's code")
    area: str | None = Field(description="the area defence command recruiting for it")
    force: str = Field(description="main | local (LLDBĐV Art. 16(3))")
    role: str = Field(description="combat | support | logistics (Art. 17(2))")
    spare_percent: int = Field(description="the spare margin, 10-15 (Art. 15(2))")
    seats: int
    filled: int
    valid_from: date | None
    valid_to: date | None
    posts: list[PostOut]


class AssignmentFilters(Schema):
    unit: str | None = Field(None, max_length=40, description="a reserve unit's code")
    as_of: date | None = Field(None, description="the day (YYYY-MM-DD); today by default")
    page: int = Field(1, ge=1, le=MAX_PAGE, description="1-based; 100 per page")


class AssignmentOut(Schema):
    unit_code: str
    position: str
    specialty: str
    personal_id: str
    full_name: str
    match: str = Field(description="exact | near (LLDBĐV Art. 16(1))")
    spare: bool = Field(description="a seat of the spare margin")
    valid_from: date | None
    valid_to: date | None


class AssignmentList(Schema):
    items: list[AssignmentOut]
    count: int


def _user(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):  # the global Bearer auth guarantees this
        raise HttpError(401, "unauthorised")
    return user


def _unit(unit: ReserveUnit, day: date) -> dict[str, Any]:
    filled = unit_queries.filled_by_post(unit, day)
    posts = [
        {
            "position": p.position,
            "specialty": p.specialty,
            "min_rank": p.min_rank,
            "count": p.count,
            "filled": filled.get(p.pk, 0),
        }
        for p in unit_queries.unit_posts(unit)
    ]
    return {
        "code": unit.code,
        "name": unit.name,
        "command": unit.command.code,
        "area": unit.area.code if unit.area else None,
        "force": unit.force,
        "role": unit.role,
        "spare_percent": unit.spare_percent,
        "seats": sum(p["count"] for p in posts),
        "filled": sum(p["filled"] for p in posts),
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "posts": posts,
    }


@router.get(
    "/units",
    response={200: list[ReserveUnitOut], **error_responses(*TOKEN_READ_ERRORS, 404)},
    summary="Reserve units",
)
def reserve_unit_list(
    request: HttpRequest, filters: Query[ReserveUnitFilters]
) -> list[dict[str, Any]]:
    """The reserve units in being on the day of the provinces your jurisdiction reaches."""
    user = _user(request)
    day = filters.as_of or timezone.localdate()
    if filters.province:
        province = unit_queries.access_province(user, filters.province, day=day)
        units = [row.unit for row in unit_queries.reserve_units(user, province=province, day=day)]
    else:
        units = unit_queries.units_covered(user, day=day)
    return [_unit(u, day) for u in units]


@router.get(
    "/units/{code}",
    response={200: ReserveUnitOut, **error_responses(*TOKEN_READ_ERRORS, 404)},
    summary="One reserve unit",
)
def reserve_unit_detail(
    request: HttpRequest, code: str, as_of: date | None = None
) -> dict[str, Any]:
    """One unit with its establishment table and seats filled on the day."""
    day = as_of or timezone.localdate()
    return _unit(unit_queries.access_unit(_user(request), code, day=day), day)


@router.get(
    "/assignments",
    response={200: AssignmentList, **error_responses(*TOKEN_READ_ERRORS, 404)},
    summary="Reserve assignments",
)
def reserve_assignment_list(
    request: HttpRequest, filters: Query[AssignmentFilters]
) -> dict[str, Any]:
    """Assignments in force on the day of the persons in your jurisdiction, by unit and
    position, 100 a page; `count` is exact."""
    user = _user(request)
    day = filters.as_of or timezone.localdate()
    page, count = unit_queries.assignments_page(
        user,
        day=day,
        unit_code=filters.unit,
        offset=(filters.page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
        channel="api",
    )
    return {
        "items": [
            {
                "unit_code": a.post.unit.code,
                "position": a.post.position,
                "specialty": a.post.specialty,
                "personal_id": a.person.personal_id,
                "full_name": a.person.full_name,
                "match": a.match,
                "spare": a.spare,
                "valid_from": a.valid_from,
                "valid_to": a.valid_to,
            }
            for a in page
        ],
        "count": count,
    }
