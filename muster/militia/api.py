"""JSON API of the militia roster (issue 16's contract).

- `GET /api/v1/militia/members?command=&as_of=&force_kind=&page=` → `{items, count}`: the
  members on `as_of` (default today) of the commune commands of your jurisdiction (or of one,
  `command`, 404 outside it), 100 a page; `count` is exact.
- `GET /api/v1/militia/members/{personal_id}`: the member's membership on `as_of` (else the
  latest), 404 when absent or outside your jurisdiction.
- `POST /api/v1/militia/join`, `/leave`, `/extend`, `/targets`: the same actions, rules,
  permissions and audit as the pages; refusals are 422 with each field's code, 403 for a role
  that may not, 404 for a person or command outside your jurisdiction.

Answers name people, so every read is logged (`militia.queries`).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from muster.accounts.models import User
from muster.core.api_errors import TOKEN_READ_ERRORS, TOKEN_WRITE_ERRORS, error_responses
from muster.core.errors import NotFound
from muster.militia import actions, queries
from muster.militia.models import MilitiaMembership, MilitiaTarget
from muster.people.queries import access_person

router = Router(tags=["militia"])

PAGE_SIZE = 100
MAX_PAGE = 1000
ForceKindName = Literal["in_place", "mobile", "standing", "naval", "specialised"]


def _user(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):  # the global Bearer auth guarantees this
        raise HttpError(401, "unauthorised")
    return user


class MemberFilters(Schema):
    command: str | None = Field(None, max_length=40, description="a commune command's code")
    as_of: date | None = Field(None, description="the roster on this day (default today)")
    force_kind: ForceKindName | None = None
    page: int = Field(1, ge=1, le=MAX_PAGE, description="1-based; 100 per page")


class MemberOut(Schema):
    personal_id: str
    full_name: str
    command: str = Field(description="the commune command keeping the roster")
    force_kind: str
    specialty: str
    unit: str = Field(description="the militia unit served in, empty if none")
    volunteer: bool
    joined_on: date
    term_ends_on: date
    valid_from: date | None = Field(description="first day on this command's roster")
    valid_to: date | None = Field(description="last day on it; null while serving here")
    left_reason: str
    ground_code: str = Field(description="MREL_/MREM_/MDEF_/MEX_ code of the leave, if any")
    status: str = Field(description="serving | term_ended | left")


class MemberList(Schema):
    items: list[MemberOut]
    count: int


def _member(m: MilitiaMembership, day: date) -> dict[str, Any]:
    open_on_day = m.is_valid_on(day)
    return {
        "personal_id": m.person.personal_id,
        "full_name": m.person.full_name,
        "command": m.unit.code,
        "force_kind": m.force_kind,
        "specialty": m.specialty,
        "unit": m.militia_unit.name if m.militia_unit else "",
        "volunteer": m.volunteer,
        "joined_on": m.joined_on,
        "term_ends_on": m.term_ends_on,
        "valid_from": m.valid_from,
        "valid_to": m.valid_to,
        "left_reason": m.left_reason,
        "ground_code": m.ground_code,
        "status": queries.member_status(m, day) if open_on_day else "left",
    }


@router.get(
    "/members",
    response={200: MemberList, **error_responses(*TOKEN_READ_ERRORS, 404)},
    summary="Militia members on a day",
)
def member_list(request: HttpRequest, filters: Query[MemberFilters]) -> dict[str, Any]:
    """Members of your jurisdiction's commune commands (or of `command`) on `as_of`."""
    user = _user(request)
    day = filters.as_of or timezone.localdate()
    found = queries.members_page(
        user,
        day=day,
        command_code=filters.command,
        force_kind=filters.force_kind,
        page=filters.page,
        page_size=PAGE_SIZE,
        channel="api",
    )
    return {"items": [_member(m, day) for m in found.items], "count": found.count}


@router.get(
    "/members/{personal_id}",
    response={200: MemberOut, **error_responses(*TOKEN_READ_ERRORS, 404)},
    summary="One militia member",
)
def member_detail(
    request: HttpRequest, personal_id: str, as_of: date | None = None
) -> dict[str, Any]:
    """The person's membership on `as_of` (default today), else the latest before it."""
    day = as_of or timezone.localdate()
    found = queries.access_member(_user(request), personal_id, day=day, channel="api")
    return _member(found, day)


class DecisionIn(Schema):
    decision_number: str = Field(max_length=40, description="the decision's number")
    decided_on: date
    decided_by: str = Field(max_length=120, description="who signed: the commune chairman…")


def _decision(data: DecisionIn) -> actions.Decision:
    return actions.Decision(data.decision_number, data.decided_on, data.decided_by)


class JoinIn(DecisionIn):
    personal_id: str = Field(max_length=12)
    command: str = Field(max_length=40)
    force_kind: ForceKindName
    specialty: str = ""
    joined_on: date
    volunteer: bool = False
    note: str = Field("", max_length=200)


@router.post(
    "/join",
    response={201: MemberOut, **error_responses(*TOKEN_WRITE_ERRORS)},
    summary="Put a person on a militia roster",
)
def member_join(request: HttpRequest, data: JoinIn) -> tuple[int, dict[str, Any]]:
    """Selection (DQTV Art. 10): the person joins the command's roster from `joined_on`."""
    user = _user(request)
    person = access_person(user, data.personal_id, channel="api")
    command = queries.access_command(user, data.command, day=data.joined_on)
    membership = actions.militia_join(
        person=person,
        unit=command,
        joined_on=data.joined_on,
        force_kind=data.force_kind,
        specialty=data.specialty,
        volunteer=data.volunteer,
        decision=_decision(data),
        note=data.note,
        acting_user=user,
    )
    return 201, _member(membership, data.joined_on)


class LeaveIn(DecisionIn):
    personal_id: str = Field(max_length=12)
    left_on: date
    reason: str = Field(description="completed | released | removed | deferred | exempted | …")
    ground_code: str = Field("", description="MREL_*, MREM_*, MDEF_* or MEX_* as the reason asks")
    note: str = Field("", max_length=200)


def _open_membership(user: User, personal_id: str) -> MilitiaMembership:
    found = queries.access_member(user, personal_id, day=timezone.localdate(), channel="api")
    if found.valid_to is not None:
        # A member who already left is not open: nothing to change (absent and closed alike).
        raise NotFound("MILITIA_MEMBER_NOT_FOUND", {"personal_id": personal_id})
    return found


@router.post(
    "/leave",
    response={200: MemberOut, **error_responses(*TOKEN_WRITE_ERRORS)},
    summary="Take a member off the roster",
)
def member_leave(request: HttpRequest, data: LeaveIn) -> dict[str, Any]:
    """Completion (Art. 13), release (Art. 12(1)), removal (Art. 12(2)), deferral or
    exemption (Art. 11), a move, death or another reason."""
    user = _user(request)
    membership = actions.militia_leave(
        membership=_open_membership(user, data.personal_id),
        left_on=data.left_on,
        reason=data.reason,
        ground_code=data.ground_code,
        note=data.note,
        decision=_decision(data),
        acting_user=user,
    )
    return _member(membership, data.left_on)


class ExtendIn(DecisionIn):
    personal_id: str = Field(max_length=12)
    until: date


@router.post(
    "/extend",
    response={200: MemberOut, **error_responses(*TOKEN_WRITE_ERRORS)},
    summary="Extend a member's term",
)
def member_extend(request: HttpRequest, data: ExtendIn) -> dict[str, Any]:
    """By up to 2 years; naval militia, self-defence and commanders to the age limit."""
    user = _user(request)
    membership = actions.militia_term_extend(
        membership=_open_membership(user, data.personal_id),
        until=data.until,
        decision=_decision(data),
        acting_user=user,
    )
    return _member(membership, timezone.localdate())


class TargetIn(Schema):
    command: str = Field(max_length=40)
    size: int
    valid_from: date
    basis: str = Field("", max_length=200)


class TargetOut(Schema):
    command: str
    size: int
    valid_from: date | None
    basis: str


@router.post(
    "/targets",
    response={200: TargetOut, **error_responses(*TOKEN_WRITE_ERRORS)},
    summary="Set a command's militia target size",
)
def target_set(request: HttpRequest, data: TargetIn) -> dict[str, Any]:
    """The size the command's militia should have from `valid_from`."""
    user = _user(request)
    command = queries.access_command(user, data.command, day=data.valid_from)
    target: MilitiaTarget = actions.militia_target_set(
        unit=command, size=data.size, valid_from=data.valid_from, basis=data.basis, acting_user=user
    )
    return {
        "command": command.code,
        "size": target.size,
        "valid_from": target.valid_from,
        "basis": target.basis,
    }
