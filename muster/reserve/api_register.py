"""JSON API of the reserve register, under `/api/v1/reserve/`:

- `GET reservists?province=|commune=&as_of=&status=&category=&group=&basis=&specialty=&kind=&page=`
  → `{items, count, counts}`: every person who is or was in the reserve of the area, with the
  category, group and status of the day (`in_reserve | aged_out | left`), 50 a page in
  Vietnamese name order; the persons of the page are logged as read.
- `GET reservists/{personal_id}?as_of=` → the person's reserve periods (read logged).

Out of scope answers as absent: 404. Codes as stored, dates ISO.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from muster.accounts.models import User
from muster.core.api_errors import TOKEN_READ_ERRORS, error_responses
from muster.core.errors import InvalidInput
from muster.reserve import register_queries as queries
from muster.reserve.register_queries import ReservistRow

router = Router(tags=["reserve"])
PAGE_SIZE = 50
MAX_PAGE = 10_000


class RegisterFilters(Schema):
    province: str | None = Field(None, max_length=2, description="2025 province code")
    commune: str | None = Field(None, max_length=8, description="2025 commune code")
    as_of: date | None = Field(None, description="the day (YYYY-MM-DD); today by default")
    status: Literal["in_reserve", "aged_out", "left"] | None = None
    category: Literal["1", "2", "none"] | None = None
    group: Literal["A", "B"] | None = None
    basis: str | None = Field(None, max_length=24)
    specialty: str | None = Field(None, max_length=24)
    kind: Literal["nco_soldier", "officer"] | None = None
    page: int = Field(1, ge=1, le=MAX_PAGE, description="1-based; 50 per page")


class ReservistOut(Schema):
    personal_id: str
    full_name: str
    sex: str
    birth_date: date
    kind: str
    category: int | None = Field(description="on the day; null: uncategorised or an officer")
    group: str = Field(description="A or B on the day (MSL Art. 26); empty for officers")
    basis: str = Field(description="MSL Art. 24 point, e.g. RES_CAT1_A")
    rank: str
    specialty: str
    unit: str = Field(description="reserve unit code on the day; empty: not assigned")
    status: str = Field(description="in_reserve | aged_out | left on the day")
    entered_on: date | None
    left_on: date | None
    left_reason: str
    category1_on: date | None


class ReservistList(Schema):
    items: list[ReservistOut]
    count: int
    counts: dict[str, int]


class ReservistDetailOut(Schema):
    personal_id: str
    full_name: str
    as_of: date
    periods: list[ReservistOut]


def _user(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):  # the global Bearer auth guarantees this
        raise HttpError(401, "unauthorised")
    return user


def _out(row: ReservistRow) -> dict[str, Any]:
    m, person = row.membership, row.person
    return {
        "personal_id": person.personal_id,
        "full_name": person.full_name,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "kind": m.kind,
        "category": row.category,
        "group": row.group,
        "basis": m.basis_code,
        "rank": m.rank,
        "specialty": m.specialty,
        "unit": row.unit,
        "status": row.status,
        "entered_on": m.valid_from,
        "left_on": m.valid_to,
        "left_reason": m.left_reason,
        "category1_on": m.category1_on,
    }


@router.get(
    "/reservists",
    response={200: ReservistList, **error_responses(*TOKEN_READ_ERRORS, 404)},
    summary="The reserve register of an area",
)
def reservist_list(request: HttpRequest, filters: Query[RegisterFilters]) -> dict[str, Any]:
    """Everyone who is or was in the reserve of a province or commune (exactly one of
    `province`, `commune`), as of `as_of`."""
    user = _user(request)
    if bool(filters.province) == bool(filters.commune):
        raise InvalidInput.single("province", "RESERVE_AREA_REQUIRED")
    day = filters.as_of or timezone.localdate()
    area = queries.area_on(user, filters.province or filters.commune or "", timezone.localdate())
    page = queries.register_page(
        user,
        area=area,
        day=day,
        filters=queries.RegisterFilters(
            status=filters.status or "",
            category=filters.category or "",
            group=filters.group or "",
            basis=filters.basis or "",
            specialty=filters.specialty or "",
            kind=filters.kind or "",
        ),
        page=filters.page,
        page_size=PAGE_SIZE,
        channel="api",
    )
    return {"items": [_out(r) for r in page.rows], "count": page.count, "counts": page.counts}


@router.get(
    "/reservists/{personal_id}",
    response={200: ReservistDetailOut, **error_responses(*TOKEN_READ_ERRORS, 404)},
    summary="A reservist's periods",
)
def reservist_detail(
    request: HttpRequest, personal_id: str, as_of: date | None = None
) -> dict[str, Any]:
    """The person's reserve periods with category, group and status on `as_of` (today)."""
    detail = queries.access_reservist(_user(request), personal_id, day=as_of, channel="api")
    return {
        "personal_id": detail.person.personal_id,
        "full_name": detail.person.full_name,
        "as_of": detail.day,
        "periods": [_out(r) for r in detail.periods],
    }
