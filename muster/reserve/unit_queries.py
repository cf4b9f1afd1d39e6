"""Reads of reserve units and assignments, always scoped.

Reserve units belong to a provincial command (LLDBĐV Art. 14). A user sees a province's units
and their figures (no personal data) when the jurisdiction reaches into the province (any of
its communes); otherwise the province answers as absent (NotFound). Persons are shown only
where they live inside the jurisdiction (`accounts.scope`), and lists that name them log the
read through `people.queries.persons_read`. Changing units or assignments needs the whole
province (`accounts.permissions`, in the actions).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, Sum

from muster.accounts.models import User
from muster.accounts.permissions import covers
from muster.accounts.scope import area_communes, scope_for
from muster.core.collation import vi
from muster.core.errors import NotFound
from muster.core.validity import valid_on
from muster.geo.models import AdminUnit, Edition, Level
from muster.orgs.documents import issuing_command
from muster.orgs.models import OrgKind, OrgUnit, Territory
from muster.people.models import Person
from muster.people.queries import persons_read
from muster.reserve.models_units import (
    AssignmentProposal,
    ProposalStatus,
    ReserveAssignment,
    ReservePost,
    ReserveUnit,
)

ASSIGNMENTS_READ = "reserve.assignments.viewed"


@dataclass(frozen=True)
class Province:
    """A province and its provincial (or capital) command on a day."""

    area: AdminUnit
    command: OrgUnit


def reaches(user: User | None, area: AdminUnit, day: date) -> bool:
    """Whether `user`'s jurisdiction on `day` holds any commune of `area` (the system and
    national users: every province)."""
    if user is None:
        return True
    scope = scope_for(user, day)
    return scope.is_national or bool(
        (scope.commune_ids or frozenset()) & area_communes(area.pk, day)
    )


def access_province(user: User | None, code: str, *, day: date) -> Province:
    """The province `code` (2025 edition) and its command, when `user`'s jurisdiction reaches
    into it on `day`; otherwise NotFound (absent and out of scope answer alike)."""
    area = AdminUnit.objects.filter(
        valid_on(day), edition=Edition.V2025, level=Level.PROVINCE, code=code
    ).first()
    command = issuing_command(area, day) if isinstance(area, AdminUnit) else None
    if area is None or command is None or not reaches(user, area, day):
        raise NotFound("RESERVE_PROVINCE_NOT_FOUND", {"code": code})
    return Province(area, command)


def provinces_covered(user: User | None, *, day: date) -> list[Province]:
    """The provinces `user`'s jurisdiction reaches into on `day`, by name."""
    areas = AdminUnit.objects.filter(valid_on(day), edition=Edition.V2025, level=Level.PROVINCE)
    found = []
    for area in areas.order_by(vi("name"), "code"):
        if not reaches(user, area, day):
            continue
        command = issuing_command(area, day)
        if command is not None:
            found.append(Province(area, command))
    return found


def may_change(user: User | None, province: Province, day: date) -> bool:
    """Whether `user` may change the province's units and assignments (the whole province)."""
    return covers(user, unit=province.command, day=day)


@dataclass(frozen=True)
class UnitRow:
    unit: ReserveUnit
    seats: int  # establishment
    assigned: int  # assignments in force on the day (spare seats included)


def reserve_units(user: User | None, *, province: Province, day: date) -> list[UnitRow]:
    """The province's reserve units in being on `day`, by code, with seats and assignments
    (`province` from `access_province`, so already in scope)."""
    units = list(
        ReserveUnit.objects.as_of(day)
        .filter(command=province.command)
        .select_related("area")
        .annotate(seats=Sum("posts__count"))
        .order_by("code")
    )
    assigned: dict[int, int] = defaultdict(int)
    for unit_id in (
        ReserveAssignment.objects.as_of(day)
        .filter(post__unit__command=province.command)
        .values_list("post__unit_id", flat=True)
    ):
        assigned[unit_id] += 1
    return [UnitRow(u, getattr(u, "seats", None) or 0, assigned[u.pk]) for u in units]


def units_covered(user: User | None, *, day: date) -> list[ReserveUnit]:
    """Every reserve unit in being on `day` of a province `user` reaches (the API's list)."""
    commands = [p.command.pk for p in provinces_covered(user, day=day)]
    return list(
        ReserveUnit.objects.as_of(day)
        .filter(command_id__in=commands)
        .select_related("command", "area")
        .order_by("code")
    )


def access_unit(user: User | None, code: str, *, day: date) -> ReserveUnit:
    """The reserve unit `code` when `user` reaches into its command's province; else NotFound."""
    unit = ReserveUnit.objects.select_related("command", "area").filter(code=code).first()
    province = (
        Territory.objects.as_of(day)
        .filter(org_unit_id=unit.command_id, admin_unit__level=Level.PROVINCE)
        .select_related("admin_unit")
        .first()
        if unit is not None
        else None
    )
    if unit is None or province is None or not reaches(user, province.admin_unit, day):
        raise NotFound("RESERVE_UNIT_NOT_FOUND", {"code": code})
    return unit


def unit_posts(unit: ReserveUnit) -> list[ReservePost]:
    """The unit's establishment table in position order."""
    return list(unit.posts.order_by(vi("position"), "pk"))


def unit_assignments(
    user: User | None, *, unit: ReserveUnit, day: date, channel: str = "web"
) -> list[ReserveAssignment]:
    """Who holds the unit's posts on `day` (an as-of query over the assignment history) among
    the persons living in `user`'s jurisdiction, by position then name; the read logged."""
    rows = list(
        ReserveAssignment.objects.as_of(day)
        .filter(_persons_in_scope(user, day), post__unit=unit)
        .select_related("person", "post")
        .order_by(vi("post__position"), "spare", vi("person__full_name"), "pk")
    )
    persons_read(user, [a.person_id for a in rows], action=ASSIGNMENTS_READ, channel=channel)
    return rows


def assignments_page(
    user: User | None,
    *,
    day: date,
    unit_code: str | None = None,
    offset: int = 0,
    limit: int = 100,
    channel: str = "api",
) -> tuple[list[ReserveAssignment], int]:
    """A page of the assignments in force on `day` of the persons living in `user`'s
    jurisdiction, in the units of the provinces it reaches (one unit with `unit_code`), by unit
    and position, and the exact count; the persons of the page logged as read."""
    if unit_code is not None:
        units = [access_unit(user, unit_code, day=day).pk]
    else:
        units = [u.pk for u in units_covered(user, day=day)]
    found = ReserveAssignment.objects.as_of(day).filter(
        _persons_in_scope(user, day), post__unit_id__in=units
    )
    rows = list(
        found.select_related("person", "post__unit").order_by(
            "post__unit__code", vi("post__position"), "spare", "person__personal_id", "pk"
        )[offset : offset + limit]
    )
    persons_read(user, [a.person_id for a in rows], action=ASSIGNMENTS_READ, channel=channel)
    return rows, found.count()


def filled_by_post(unit: ReserveUnit, day: date) -> dict[int, int]:
    """Post id → seats held on `day` (counts only, no personal data)."""
    filled: dict[int, int] = defaultdict(int)
    for post_id in (
        ReserveAssignment.objects.as_of(day)
        .filter(post__unit=unit)
        .values_list("post_id", flat=True)
    ):
        filled[post_id] += 1
    return dict(filled)


def _persons_in_scope(user: User | None, day: date) -> Q:
    return Q() if user is None else scope_for(user, day).filter("person__residence_commune_id")


def draft_of(province: Province) -> AssignmentProposal | None:
    """The province's proposal waiting for approval, if any."""
    return AssignmentProposal.objects.filter(
        command=province.command, status=ProposalStatus.DRAFT
    ).first()


def area_of_communes(command: OrgUnit, day: date) -> dict[int, int]:
    """Commune id → the area defence command under `command` covering it on `day` (the
    recruitment areas of LLDBĐV Art. 16(1))."""
    return dict(
        Territory.objects.filter(
            valid_on(day),
            org_unit__kind=OrgKind.AREA_DEFENCE_COMMAND,
            org_unit__parent=command,
            admin_unit__level=Level.COMMUNE,
        ).values_list("admin_unit_id", "org_unit_id")
    )


def area_commands(command: OrgUnit, day: date) -> list[OrgUnit]:
    """The area defence commands under `command` on `day`, by name (a unit's recruitment area)."""
    return list(
        OrgUnit.objects.filter(
            valid_on(day), kind=OrgKind.AREA_DEFENCE_COMMAND, parent=command
        ).order_by(vi("name"), "code")
    )


def personal_ids(
    user: User | None, person_ids: list[int], *, action: str = ASSIGNMENTS_READ, channel: str
) -> dict[int, str]:
    """Person id → personal ID number, for a plan handed out (the CLI's file); the read logged."""
    found = dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "personal_id"))
    persons_read(user, list(found), action=action, channel=channel)
    return found


def access_reservist(user: User | None, personal_id: str, *, day: date) -> Person:
    """The person `personal_id` living in `user`'s jurisdiction on `day`; else NotFound."""
    found = Person.objects.filter(personal_id=personal_id.strip()).first()
    if found is None or (
        user is not None and not scope_for(user, day).allows(found.residence_commune_id)
    ):
        raise NotFound("RESERVE_PERSON_NOT_FOUND", {"personal_id": personal_id})
    return found


def access_post(province: Province, post_id: str) -> ReservePost | None:
    """The establishment row `post_id` of one of the province's units; None when none is
    asked for (keep the person out); NotFound for another's or an unknown row."""
    if not post_id:
        return None
    post = (
        ReservePost.objects.select_related("unit")
        .filter(pk=int(post_id) if post_id.isdigit() else 0, unit__command=province.command)
        .first()
    )
    if post is None:
        raise NotFound("RESERVE_POST_NOT_FOUND", {"post": post_id})
    return post
