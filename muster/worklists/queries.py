"""Reads of work items, always scoped: a user sees the items of the communes in the
jurisdiction `accounts.scope.scope_for` gives, nothing else. A page of items names people:
`worklist_page` logs the read."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, QuerySet
from django.utils import timezone

from muster.accounts.models import User
from muster.accounts.scope import scope_for
from muster.core.collation import vi
from muster.core.errors import NotFound
from muster.core.exports import limited
from muster.core.validity import valid_on
from muster.geo.models import AdminUnit, Edition, Level
from muster.people.models import Person
from muster.people.queries import persons_read
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind

STATUSES = ("open", "overdue", "resolved", "all")


def worklist_items(
    user: User,
    *,
    kind: str | None = None,
    commune_code: str | None = None,
    open_only: bool = True,
    status: str | None = None,
    today: date | None = None,
) -> QuerySet[WorkItem]:
    """Items on the worklists of the communes `user` covers, earliest deadline first.

    `kind` one of rules.Kind.ALL; `commune_code` a 2025 commune code (outside the scope it
    simply matches nothing). `status` (one of STATUSES) overrides `open_only`: "overdue" is
    open with its deadline before `today` (rules.is_overdue).
    """
    if status is not None:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        open_only = status in ("open", "overdue")
    qs = WorkItem.objects.filter(scope_for(user).filter("commune_id"))
    if kind:
        qs = qs.filter(kind=kind)
    if commune_code:
        qs = qs.filter(
            commune__code=commune_code,
            commune__edition=Edition.V2025,
            commune__level=Level.COMMUNE,
        )
    if open_only:
        qs = qs.filter(resolved_at__isnull=True)
    if status == "resolved":
        qs = qs.filter(resolved_at__isnull=False)
    if status == "overdue":
        qs = qs.filter(due_on__lt=today or timezone.localdate())
    return qs.select_related("person", "org_unit", "commune", "resolved_by").order_by(
        F("due_on").asc(nulls_last=True), vi("person__full_name"), "id"
    )


READ = "worklists.item.viewed"


def worklist_page(
    user: User,
    *,
    kind: str | None,
    commune_code: str | None,
    page: int,
    page_size: int,
    channel: str,
    status: str | None = None,
    today: date | None = None,
) -> tuple[list[WorkItem], bool]:
    """One page of `worklist_items` (open ones unless `status` says otherwise) and whether
    another follows; the persons the page names are logged as read."""
    start = (page - 1) * page_size
    found = worklist_items(user, kind=kind, commune_code=commune_code, status=status, today=today)
    items = list(found[start : start + page_size + 1])
    shown = items[:page_size]
    persons_read(
        user, [i.person_id for i in shown if i.person_id is not None], action=READ, channel=channel
    )
    return shown, len(items) > page_size


def worklist_items_for_file(
    user: User, *, kind: str | None, commune_code: str | None, channel: str
) -> tuple[list[WorkItem], str]:
    """Every open item of `worklist_items` a file may hold (`core.exports.limited`: the items
    and the note when there were more), the persons they name logged as read."""
    items, note = limited(
        worklist_items(user, kind=kind, commune_code=commune_code).iterator(chunk_size=2000)
    )
    persons_read(
        user, [i.person_id for i in items if i.person_id is not None], action=READ, channel=channel
    )
    return items, note


def worklist_counts(user: User, *, commune_code: str | None = None) -> dict[str, int]:
    """Open items per kind on the worklists `user` sees (every kind present, 0 when none)."""
    counts = dict.fromkeys(Kind.ALL, 0)
    rows = (
        worklist_items(user, commune_code=commune_code)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    for kind, n in rows:
        counts[kind] = n
    return counts


def worklist_overdue_counts(
    user: User, *, commune_code: str | None = None, today: date | None = None
) -> dict[str, int]:
    """Open items past their deadline per kind (every kind present, 0 when none)."""
    counts = dict.fromkeys(Kind.ALL, 0)
    rows = (
        worklist_items(user, commune_code=commune_code, status="overdue", today=today)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    for kind, n in rows:
        counts[kind] = n
    return counts


def access_work_item(user: User, item_id: int) -> WorkItem:
    """The item if it is on a worklist `user` sees; absent and out of scope are both NotFound."""
    item = (
        WorkItem.objects.filter(scope_for(user).filter("commune_id"), pk=item_id)
        .select_related("person", "org_unit", "commune", "resolved_by")
        .first()
    )
    if item is None:
        raise NotFound("WORK_ITEM_NOT_FOUND", {"id": item_id})
    return item


def worklist_communes(user: User) -> list[AdminUnit]:
    """The 2025 communes `user` covers today, by name: what the worklist may be filtered by."""
    scope = scope_for(user)
    units = AdminUnit.objects.filter(
        valid_on(timezone.localdate()), edition=Edition.V2025, level=Level.COMMUNE
    ).filter(scope.filter("id"))
    return list(units.order_by(vi("short_name"), "code"))


def person_work_items(user: User, person: Person) -> list[WorkItem]:
    """Every item, open and closed, about a person already accessed (`access_person` logged
    the read) on the worklists `user` sees: open first, earliest deadline first, in one query.
    An item on a commune outside the jurisdiction (the receiving commune of a move) stays
    off the list: it is that commune's work."""
    return list(
        WorkItem.objects.filter(scope_for(user).filter("commune_id"), person=person)
        .select_related("commune", "resolved_by")
        .order_by(F("resolved_at").desc(nulls_first=True), F("due_on").asc(nulls_last=True), "-id")
    )
