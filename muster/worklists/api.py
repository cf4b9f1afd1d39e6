"""JSON API for the worklists: the items of one kind on the communes of your jurisdiction.

`GET /api/v1/worklists/{kind}?commune=&status=open&page=` → `{items, count}`, 50 a page,
earliest deadline first. `kind` is the worklist app's kind name (`due_first_registration`,
`transfer_in`, `transfer_out`, `deceased`, `register_correction`, `deferral_ended`,
`reserve_report`, `reserve_removal`); `status`
is `open` (the default), `overdue` (open past its deadline), `resolved` or `all`. Items name
people, so each answer logs the persons it names as read (`worklists.queries.worklist_page`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone, translation
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError, ValidationError

from muster.accounts.models import User
from muster.core.api_errors import TOKEN_READ_ERRORS, error_responses
from muster.people.queries import commune_2025
from muster.worklists import queries, rules
from muster.worklists.models import WorkItem

router = Router(tags=["worklists"])

PAGE_SIZE = 50
MAX_PAGE = 1000
KindName = Literal[
    "due_first_registration",
    "transfer_in",
    "transfer_out",
    "deceased",
    "register_correction",
    "deferral_ended",
    "reserve_report",
    "reserve_removal",
    "militia_term_ending",
    "militia_age_limit",
    "militia_below_target",
    "militia_training_short",
    "militia_absence",
    "militia_registration",
    "standing_deferral_proposed",
    "standing_completion_proposed",
    "standing_deferral_mismatch",
]


class WorklistFilters(Schema):
    commune: str | None = Field(None, max_length=8, description="2025 commune code")
    status: Literal["open", "overdue", "resolved", "all"] = "open"
    page: int = Field(1, ge=1, le=MAX_PAGE, description="1-based; 50 per page")


class WorkItemOut(Schema):
    id: int
    personal_id: str | None = Field(description="null for an item on a unit")
    full_name: str | None
    unit_code: str | None = Field(description="the org unit of a unit's item (below target)")
    kind: str
    commune_code: str
    due_on: date | None = Field(description="the deadline (YYYY-MM-DD); null: none")
    overdue: bool = Field(description="open and its deadline has passed")
    rule: str = Field(description="the legal basis the item cites, e.g. MSL Art. 17(2)(a)")
    year: int | None
    detail: dict[str, Any] = Field(description="facts when opened: move, death, correction")
    source: str
    created_at: datetime
    resolved_at: datetime | None
    resolution_note: str


class WorkItemList(Schema):
    items: list[WorkItemOut]
    count: int


def _user(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):  # the global Bearer auth guarantees this
        raise HttpError(401, "unauthorised")
    return user


def _item(item: WorkItem, today: date) -> dict[str, Any]:
    # A machine format: the citation as written in the rules (English), whatever the language.
    with translation.override("en"):
        rule = str(rules.reason(item.kind).basis)
    return {
        "id": item.pk,
        "personal_id": item.person.personal_id if item.person else None,
        "full_name": item.person.full_name if item.person else None,
        "unit_code": item.org_unit.code if item.org_unit else None,
        "kind": item.kind,
        "commune_code": item.commune.code,
        "due_on": item.due_on,
        "overdue": item.is_open and rules.is_overdue(item.due_on, today),
        "rule": rule,
        "year": item.year,
        "detail": item.detail,
        "source": item.source,
        "created_at": item.created_at,
        "resolved_at": item.resolved_at,
        "resolution_note": item.resolution_note,
    }


@router.get(
    "/{kind}",
    response={200: WorkItemList, **error_responses(*TOKEN_READ_ERRORS)},
    summary="Work items of one kind",
)
def worklist_item_list(
    request: HttpRequest, kind: KindName, filters: Query[WorklistFilters]
) -> dict[str, Any]:
    """Items of `kind` on the worklists of your jurisdiction's communes (one commune with
    `commune`), earliest deadline first, 50 a page; `count` is exact."""
    user = _user(request)
    commune = commune_2025(filters.commune) if filters.commune else None
    if filters.commune and commune is None:
        raise ValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ["query", "commune"],
                    "msg": f"unknown 2025 commune code {filters.commune!r}",
                }
            ]
        )
    today = timezone.localdate()
    found = queries.worklist_items(
        user, kind=kind, commune_code=filters.commune, status=filters.status, today=today
    )
    page, _more = queries.worklist_page(
        user,
        kind=kind,
        commune_code=filters.commune,
        status=filters.status,
        today=today,
        page=filters.page,
        page_size=PAGE_SIZE,
        channel="api",
    )
    return {"items": [_item(item, today) for item in page], "count": found.count()}
