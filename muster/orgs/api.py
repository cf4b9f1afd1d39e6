"""JSON API for org units: any logged-in user may read the tree; personal IDs follow scope."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from muster.accounts.models import User
from muster.accounts.scope import scope_for
from muster.core.api_errors import TOKEN_READ_ERRORS, error_responses, validation_error
from muster.core.errors import FieldError, NotFound
from muster.core.views import MAX_PAGE
from muster.orgs import queries
from muster.orgs.models import OrgUnit

router = Router(tags=["orgs"])

KindName = Literal[
    "military_region",
    "capital_command",
    "provincial_command",
    "district_command",
    "area_defence_command",
    "commune_command",
]


class OrgUnitFilters(Schema):
    kind: KindName | None = None
    parent: str | None = Field(None, max_length=40, description="code of the parent unit")
    as_of: date | None = None
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(50, ge=1, le=500)


class OrgUnitOut(Schema):
    code: str
    name: str
    kind: str
    parent_code: str | None
    valid_from: date | None
    valid_to: date | None


class OrgUnitPage(Schema):
    items: list[OrgUnitOut]
    count: int


class TerritoryOut(Schema):
    edition: str
    code: str
    name: str


class PositionOut(Schema):
    kind: str
    title: str
    ordinal: int
    holder_name: str | None
    rank: str | None
    holder_personal_id: str | None
    since: date | None


class OrgUnitDetail(OrgUnitOut):
    as_of: date
    territory: list[TerritoryOut]
    children: list[str]
    positions: list[PositionOut]


def _out(unit: OrgUnit) -> OrgUnitOut:
    return OrgUnitOut(
        code=unit.code,
        name=unit.name,
        kind=unit.kind,
        parent_code=unit.parent.code if unit.parent else None,
        valid_from=unit.valid_from,
        valid_to=unit.valid_to,
    )


@router.get("", response={200: OrgUnitPage, **error_responses(*TOKEN_READ_ERRORS)})
def list_org_units(request: HttpRequest, filters: Query[OrgUnitFilters]) -> OrgUnitPage:
    """Org units by code; filter by kind, parent code and the day they held."""
    if filters.parent is not None and not OrgUnit.objects.filter(code=filters.parent).exists():
        raise validation_error(
            [FieldError("parent", "ORG_UNIT_NOT_FOUND", {"code": filters.parent})]
        )
    units = queries.org_units_list(
        kind=filters.kind, parent_code=filters.parent, as_of=filters.as_of
    )
    start = (filters.page - 1) * filters.page_size
    return OrgUnitPage(
        items=[_out(u) for u in units[start : start + filters.page_size]], count=units.count()
    )


@router.get("/{code}", response={200: OrgUnitDetail, **error_responses(*TOKEN_READ_ERRORS, 404)})
def get_org_unit(request: HttpRequest, code: str, as_of: date | None = None) -> OrgUnitDetail:
    """One unit as of a day (default today, or its last day if it has ended)."""
    try:
        unit = queries.org_unit_get(code)
    except NotFound as exc:
        raise HttpError(404, exc.message) from exc
    if as_of is None:
        today = timezone.localdate()
        as_of = unit.valid_to if unit.valid_to is not None and unit.valid_to < today else today
    user = getattr(request, "auth", None)
    viewer = queries.HolderViewer(scope_for(user), user, "api") if isinstance(user, User) else None
    territory = (
        unit.territories.as_of(as_of).select_related("admin_unit").order_by("admin_unit__code")
    )
    children = unit.children.as_of(as_of).order_by("code").values_list("code", flat=True)
    holders = queries.positions_with_holders(unit, as_of, viewer=viewer)
    return OrgUnitDetail(
        **_out(unit).dict(),
        as_of=as_of,
        territory=[
            TerritoryOut(
                edition=t.admin_unit.edition, code=t.admin_unit.code, name=t.admin_unit.name
            )
            for t in territory
        ],
        children=list(children),
        positions=[
            PositionOut(
                kind=h.position.kind,
                title=h.position.title,
                ordinal=h.position.ordinal,
                holder_name=h.appointment.holder_name if h.appointment else None,
                rank=h.appointment.rank if h.appointment else None,
                holder_personal_id=h.holder_personal_id or None,
                since=h.appointment.valid_from if h.appointment else None,
            )
            for h in holders
        ],
    )
