"""Administrative units over the JSON API (mounted at /api/v1/admin-units).

Legacy and 2025 codes overlap, so a unit is named by edition and code.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from muster.core.api_errors import TOKEN_READ_ERRORS, error_responses, validation_error
from muster.core.errors import FieldError, NotFound
from muster.core.views import MAX_PAGE
from muster.geo import queries
from muster.geo.models import AdminUnit, Edition, Level, Succession

router = Router(tags=["geo"])

MAX_PAGE_SIZE = 1000


class UnitFilters(Schema):
    level: Level | None = None
    edition: Edition | None = None
    parent: str | None = Field(None, description="Parent code, within the given edition")
    as_of: date | None = None
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(100, ge=1, le=MAX_PAGE_SIZE)


class UnitOut(Schema):
    edition: str
    code: str
    name: str
    short_name: str
    unit_type: str
    level: str
    parent_code: str | None
    lat: float | None
    lon: float | None
    area_km2: float | None
    area_is_estimate: bool
    valid_from: date | None
    valid_to: date | None

    @staticmethod
    def resolve_parent_code(obj: AdminUnit | dict[str, Any]) -> str | None:
        # Lists pass ORM rows; the detail view passes a dict that already has the code.
        if isinstance(obj, dict):
            code = obj.get("parent_code")
            return str(code) if code is not None else None
        return obj.parent.code if obj.parent is not None else None


class UnitPage(Schema):
    items: list[UnitOut]
    count: int


class UnitRef(Schema):
    edition: str
    code: str
    name: str
    level: str


class SuccessionOut(Schema):
    edition: str
    code: str
    name: str
    kind: str
    is_default: bool
    effective_on: date


class UnitDetail(UnitOut):
    parent: UnitRef | None
    predecessors: list[SuccessionOut]
    successors: list[SuccessionOut]


def _link(succession: Succession, other: AdminUnit) -> dict[str, Any]:
    return {
        "edition": other.edition,
        "code": other.code,
        "name": other.name,
        "kind": succession.kind,
        "is_default": succession.is_default,
        "effective_on": succession.effective_on,
    }


@router.get(
    "",
    response={200: UnitPage, **error_responses(*TOKEN_READ_ERRORS)},
    summary="List administrative units",
)
def unit_list(request: HttpRequest, filters: Query[UnitFilters]) -> dict[str, Any]:
    """Units filtered by level, edition, parent (a code of the same edition) and as_of."""
    parent: AdminUnit | None = None
    if filters.parent is not None:
        if filters.edition is None:
            raise validation_error([FieldError("parent", "PARENT_NEEDS_EDITION")])
        try:
            parent = queries.unit_get(filters.edition, filters.parent)
        except NotFound:
            raise validation_error(
                [
                    FieldError(
                        "parent",
                        "ADMIN_UNIT_NOT_FOUND",
                        {"edition": filters.edition.value, "code": filters.parent},
                    )
                ]
            ) from None
    units = queries.unit_list(
        edition=filters.edition, level=filters.level, parent=parent, as_of=filters.as_of
    )
    start = (filters.page - 1) * filters.page_size
    page = units.select_related("parent")[start : start + filters.page_size]
    # Ninja validates the ORM rows against UnitOut (resolving parent_code) on the way out.
    return {"items": list(page), "count": units.count()}


@router.get(
    "/{edition}/{code}",
    response={200: UnitDetail, **error_responses(*TOKEN_READ_ERRORS, 404)},
    summary="One administrative unit",
)
def unit_detail(request: HttpRequest, edition: Edition, code: str) -> dict[str, Any]:
    """The unit with its parent, predecessors and successors."""
    try:
        unit = queries.unit_get(edition, code)
    except NotFound as exc:
        raise HttpError(404, exc.message) from None
    return {
        **UnitOut.from_orm(unit).dict(),
        "parent": unit.parent,
        "predecessors": [_link(s, s.predecessor) for s in queries.predecessors(unit)],
        "successors": [_link(s, s.successor) for s in queries.successors(unit)],
    }
