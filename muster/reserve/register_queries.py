"""Reads of the reserve register, always scoped: a user sees the reservists living in the
communes `accounts.scope.scope_for` gives him on the day. Whatever hands reservists to a page,
a file or the API logs the read (`people.queries.persons_read`).

Category, group and status are the rules' (`rules.category_on`, `reserve_group_on`,
`status_on`) on the day asked about, computed from the stored facts: nothing derived is
stored, so a register "as of" any date says what held that day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from muster.accounts.models import User
from muster.accounts.scope import Scope, area_communes, scope_for
from muster.core.collation import vi_key
from muster.core.errors import NotFound
from muster.geo.models import AdminUnit, Edition, Level
from muster.people.models import Person
from muster.people.queries import access_person, persons_read
from muster.reserve import rules
from muster.reserve.models import (
    AttendanceStatus,
    ReserveActivity,
    ReserveAttendance,
    ReserveMembership,
)
from muster.reserve.models_units import ReserveAssignment

REGISTER_READ = "reserve.register.viewed"
STATUSES = (rules.IN_RESERVE, rules.AGED_OUT, rules.LEFT)


@dataclass(frozen=True)
class ReservistRow:
    """One reserve period as the register shows it on `day`."""

    membership: ReserveMembership
    day: date
    category: int | None
    group: str
    status: str
    unit: str = ""  # the reserve unit's code on the day, if assigned

    @property
    def person(self) -> Person:
        return self.membership.person


@dataclass(frozen=True)
class RegisterFilters:
    status: str = ""
    category: str = ""  # "1", "2", "none"
    group: str = ""  # "A", "B"
    basis: str = ""
    specialty: str = ""
    kind: str = ""


def area_by_code(user: User | None, *, code: str, level: str, day: date) -> AdminUnit:
    """The 2025 province or commune `code` if `user` sees any commune of it on `day`; else
    NotFound (absent and out of scope alike)."""
    unit = (
        AdminUnit.objects.as_of(day).filter(edition=Edition.V2025, level=level, code=code).first()
    )
    if isinstance(unit, AdminUnit):
        if user is None:
            return unit
        scope = scope_for(user, day)
        communes = area_communes(unit.pk, day)
        if scope.is_national or (communes & (scope.commune_ids or frozenset())):
            return unit
    raise NotFound("RESERVE_AREA_NOT_FOUND", {"code": code})


def _row(membership: ReserveMembership, day: date, units: dict[int, str]) -> ReservistRow | None:
    facts = membership.facts()
    status = rules.status_on(facts, day)
    if status is None:
        return None
    return ReservistRow(
        membership=membership,
        day=day,
        category=rules.category_on(facts, day),
        group=rules.reserve_group_on(facts.sex, facts.birth_date, day)
        if membership.kind == rules.SOLDIER
        else "",
        status=status,
        unit=units.get(membership.person_id, ""),
    )


def _keep(row: ReservistRow, filters: RegisterFilters) -> bool:
    m = row.membership
    category = "none" if row.category is None else str(row.category)
    return (
        (not filters.status or row.status == filters.status)
        and (not filters.category or category == filters.category)
        and (not filters.group or row.group == filters.group)
        and (not filters.basis or m.basis_code == filters.basis)
        and (not filters.specialty or m.specialty == filters.specialty)
        and (not filters.kind or m.kind == filters.kind)
    )


def register_rows(
    user: User | None,
    *,
    area: AdminUnit,
    day: date,
    filters: RegisterFilters | None = None,
) -> list[ReservistRow]:
    """Every person who is or was in the reserve of `area` (where he lives now) by `day`, inside
    `user`'s scope, with category, group and status on `day`, in Vietnamese name order. One
    row per person: his latest period begun by `day`. Not logged: callers hand rows out
    through `register_page` / `register_for_file`, which log what they show."""
    filters = filters or RegisterFilters()
    # People are placed by where they live now, in today's geography and jurisdiction (the
    # register is kept where the reservist lives, LLDBĐV Art. 12); `day` sets what held.
    today = timezone.localdate()
    # `user` None: the operator of the CLI, national like the system in the actions.
    scope = scope_for(user, today) if user is not None else Scope(None)
    communes = sorted(area_communes(area.pk, today))
    periods = (
        ReserveMembership.objects.filter(
            scope.filter("person__residence_commune_id"),
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            person__residence_commune_id__in_array=communes,
        )
        .select_related("person", "person__residence_commune")
        .order_by("person_id", "valid_from", "id")
    )
    latest: dict[int, ReserveMembership] = {}
    for membership in periods.iterator(chunk_size=2000):
        latest[membership.person_id] = membership  # ordered: the last one begun wins
    units = assigned_units_on(list(latest), day)
    rows = [
        row
        for m in latest.values()
        if (row := _row(m, day, units)) is not None and _keep(row, filters)
    ]
    return sorted(rows, key=vi_key(_full_name))


def _full_name(row: ReservistRow) -> str:
    return row.person.full_name


@dataclass(frozen=True)
class RegisterPage:
    rows: list[ReservistRow]
    count: int
    counts: dict[str, int]  # by status, over the whole filtered register


def register_page(
    user: User,
    *,
    area: AdminUnit,
    day: date,
    filters: RegisterFilters,
    page: int,
    page_size: int,
    channel: str = "web",
) -> RegisterPage:
    """One page of the register; the persons shown are logged as read."""
    rows = register_rows(user, area=area, day=day, filters=filters)
    counts = dict.fromkeys(STATUSES, 0)
    for row in rows:
        counts[row.status] += 1
    shown = rows[(page - 1) * page_size : page * page_size]
    persons_read(
        user, [r.membership.person_id for r in shown], action=REGISTER_READ, channel=channel
    )
    return RegisterPage(shown, len(rows), counts)


def register_for_file(
    user: User | None,
    *,
    area: AdminUnit,
    day: date,
    filters: RegisterFilters | None = None,
    channel: str,
) -> list[ReservistRow]:
    """The whole register for a download or the CLI (`user` None: the operator, national);
    every person handed out is logged as read."""
    rows = register_rows(user, area=area, day=day, filters=filters)
    persons_read(
        user, [r.membership.person_id for r in rows], action=REGISTER_READ, channel=channel
    )
    return rows


@dataclass(frozen=True)
class ReservistDetail:
    person: Person
    day: date
    periods: list[ReservistRow]  # every period begun by the day, latest first
    trained_days: int = 0  # training attended, toward the category-1 total (MSL Art. 27(1))


def access_reservist(
    user: User, personal_id: str, *, day: date | None = None, channel: str = "web"
) -> ReservistDetail:
    """A reservist's periods as of `day` (default today); NotFound when the person is out of
    scope, absent or never in the reserve. The person's read is logged (by `access_person`)."""
    day = day or timezone.localdate()
    person = access_person(user, personal_id, channel=channel)
    periods = list(
        ReserveMembership.objects.filter(person=person)
        .select_related("person")
        .order_by("-valid_from", "-id")
    )
    units = assigned_units_on([person.pk], day)
    rows = [r for m in periods if (r := _row(m, day, units)) is not None]
    if not periods:
        raise NotFound("RESERVIST_NOT_FOUND", {"personal_id": personal_id})
    return ReservistDetail(person, day, rows, trained_days(person))


def access_membership(user: User, membership_id: int) -> ReserveMembership:
    """A reserve period of a person in `user`'s scope today; NotFound otherwise."""
    scope = scope_for(user)
    found = (
        ReserveMembership.objects.filter(
            scope.filter("person__residence_commune_id"), pk=membership_id
        )
        .select_related("person", "person__residence_commune")
        .first()
    )
    if found is None:
        raise NotFound("RESERVIST_NOT_FOUND", {"personal_id": str(membership_id)})
    return found


@dataclass(frozen=True)
class ReserveSummary:
    """The reserve part of a person page: the latest period and its standing on the day."""

    row: ReservistRow
    periods: int


def person_reserve_summary(person: Person, day: date) -> ReserveSummary | None:
    """For the person page (which has checked access and logged the person's read): the
    latest reserve period begun by `day` with its category, group, status and unit; None
    when the person was never in the reserve by then."""
    periods = list(
        ReserveMembership.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day), person=person
        )
        .select_related("person")
        .order_by("-valid_from", "-id")
    )
    if not periods:
        return None
    row = _row(periods[0], day, assigned_units_on([person.pk], day))
    return ReserveSummary(row, len(periods)) if row is not None else None


def assigned_units_on(person_ids: Iterable[int], day: date) -> dict[int, str]:
    """Person id → the code of the reserve unit he is assigned to on `day`, from the
    assignment history (LLDBĐV Art. 17): the register's `unit` column, in one query."""
    return dict(
        ReserveAssignment.objects.as_of(day)
        .filter(person_id__in_array=sorted(set(person_ids)))
        .values_list("person_id", "post__unit__code")
    )


@dataclass(frozen=True)
class RegisterAreas:
    provinces: list[AdminUnit]
    communes: list[AdminUnit]  # empty for a national user: pick a province first


def register_areas(user: User, day: date) -> RegisterAreas:
    """The 2025 provinces and communes whose register `user` may open on `day` (geography,
    not personal data: nothing logged)."""
    scope = scope_for(user, day)
    units = AdminUnit.objects.as_of(day).filter(edition=Edition.V2025)
    if scope.is_national:
        return RegisterAreas(list(units.filter(level=Level.PROVINCE).order_by("code")), [])
    communes = list(
        units.filter(level=Level.COMMUNE, pk__in=sorted(scope.commune_ids or ())).order_by(
            "parent__code", "code"
        )
    )
    parents = sorted({c.parent_id for c in communes if c.parent_id is not None})
    provinces = list(units.filter(level=Level.PROVINCE, pk__in=parents).order_by("code"))
    return RegisterAreas(provinces, communes)


def area_on(user: User | None, code: str, day: date) -> AdminUnit:
    """The province or commune `code` (a province's code has 2 digits, a commune's 5) if
    `user` (None: the operator) sees some of it on `day`; NotFound otherwise."""
    level = Level.PROVINCE if len(code) <= 2 else Level.COMMUNE
    return area_by_code(user, code=code, level=level, day=day)


def trained_days(person: Person, *, excluding: ReserveActivity | None = None) -> int:
    """Training days the person attended: the category-1 total MSL Art. 27(1) caps at 12
    months (RESERVE_CAT1_TRAINING_MAX)."""
    attended = ReserveAttendance.objects.filter(
        person=person, status=AttendanceStatus.ATTENDED, activity__kind=rules.TRAINING
    )
    if excluding is not None:
        attended = attended.exclude(activity=excluding)
    return sum(attended.values_list("days", flat=True))
