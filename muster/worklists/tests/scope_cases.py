"""Scope cases for the worklist routes (collected by tests/test_route_scopes.py).

`prepare` puts a due-for-first-registration item and a death on each person's own commune:
the commune user's list must show nothing of commune 99003, and resolving its item is 404.
"""

from __future__ import annotations

from muster.accounts.tests.factories import World
from muster.people.models import Person
from muster.worklists import actions
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind
from tests.scope_support import IN_ID, OUT_ID, Case, Write


def prepare(world: World) -> None:
    for personal_id in (IN_ID, OUT_ID):
        person = Person.objects.select_related("residence_commune").get(personal_id=personal_id)
        for kind, key in ((Kind.DUE_FIRST_REGISTRATION, "2026"), (Kind.DECEASED, "")):
            actions.work_item_open(
                kind=kind,
                person=person,
                commune=person.residence_commune,
                key=key,
                year=2026 if key else None,
                source="refresh",
                acting_user=None,
            )


def _resolve_path(personal_id: str) -> str:
    item = WorkItem.objects.filter(
        person__personal_id=personal_id, kind=Kind.DUE_FIRST_REGISTRATION
    ).get()
    return f"/worklists/{item.pk}/resolve/"


CASES: dict[str, Case] = {
    "worklists:list": Case(lambda w: "/worklists/?kind=deceased"),
    "api-v1:worklist_item_list": Case(
        lambda w: "/api/v1/worklists/due_first_registration?status=all", api=True
    ),
    "worklists:resolve": Case(
        lambda w: _resolve_path(IN_ID),
        lambda w: _resolve_path(OUT_ID),
        method="post",
        data=lambda w: {"note": "Đã lập danh sách"},
        in_status=302,
    ),
}


WRITES: dict[str, Write] = {
    "worklists:resolve": Write(
        lambda w: _resolve_path(OUT_ID), lambda w: {"note": "Đã lập danh sách"}
    ),
}
