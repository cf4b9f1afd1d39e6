"""Shared world for route scope tests: two persons, one inside the user's commune (99001) and
one outside it (99003), each with audit traces, shapes and a commune commander.

Apps add their own routes' cases in `muster/<app>/tests/scope_cases.py`, which defines
`CASES: dict[str, Case]`, `WRITES: dict[str, Write]` for the routes that accept POST, and
optionally `prepare(world)` to add their records for both persons.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import Any, Literal

from django.db import transaction

import muster
from muster import audit
from muster.accounts.actions import user_grant
from muster.accounts.models import Role, User
from muster.accounts.tests.factories import World, build_world
from muster.core.text import fold
from muster.geo.models import UnitShape
from muster.orgs.models import Appointment, Position, PositionKind
from muster.people.models import Person

IN_ID = "099090001234"  # lives in commune 99001, the user's
OUT_ID = "099090005678"  # lives in commune 99003, outside it


@dataclass(frozen=True)
class Case:
    """`in_path` must answer `in_status`; `out_path` 404, or `in_path`'s answer must carry no
    trace of commune 99003."""

    in_path: Callable[[World], str]
    out_path: Callable[[World], str] | None = None
    api: bool = False
    # Organisation structure is not personal data: only a holder's personal ID must not leak.
    organisation: bool = False
    # "post": both paths are posted `data` (a form target with no page of its own).
    method: Literal["get", "post"] = "get"
    data: Callable[[World], dict[str, str]] | None = None
    in_status: int = 200  # 302 for a form that saved and redirects
    role: Role = Role.COMMUNE_STAFF
    # A permission the case's user holds beyond the role (`accounts.models.UserGrant`), for
    # pages only such users open (the user-management pages: `users.manage`).
    grant: str = ""

    def user(self, world: World, username: str) -> User:
        """The case's user: its role and grant, the jurisdiction of commune 99001's command."""
        user = world.user(username, self.role, world.commune_commands[0])
        if self.grant:
            user_grant(user=user, action=self.grant, acting_user=None)
        return user


@dataclass(frozen=True)
class Write:
    """A POST to `path` acting on something outside the user's jurisdiction (commune 99003's
    person or records, province 98's cycle, commune 99003's command's plan): every role
    but the national administrator is refused with one of `refused`, and nothing is written.

    `refused` other than 403/404 needs `why`: a form that only offers what lies inside the
    jurisdiction refuses the rest as an invalid choice (and says so on the page)."""

    path: Callable[[World], str]
    data: Callable[[World], dict[str, Any]] | None = None
    refused: tuple[int, ...] = (403, 404)
    why: str = ""
    api: bool = False  # a route of the JSON API: posted as JSON with the user's Bearer token


def populate(world: World) -> None:
    for pid, commune, name in (
        (IN_ID, world.communes[0], "Nguyễn Văn An"),
        (OUT_ID, world.communes[2], "Nguyễn Văn Ân"),
    ):
        person = Person.objects.create(
            personal_id=pid,
            full_name=name,
            search_key=fold(name),
            given_key=" ".join([*fold(name).split()[-1:], *fold(name).split()[:-1]]),
            sex="M",
            birth_date=date(2000, 5, 1),
            residence_commune=commune,
            # A sex/year mismatch puts both on the data-quality worklist.
            id_warnings="ID_BIRTH_YEAR_MISMATCH",
        )
        # Both persons leave traces in the audit log: a change and a view.
        with transaction.atomic():
            audit.record(
                "people.person.updated",
                actor=None,
                target=person,
                data={"personal_id": pid, "commune": commune.name},
                commune_code=commune.code,
            )
        audit.record_read("people.person.viewed", actor=None, target=person, channel="web")
    for commune in world.communes:
        UnitShape.objects.create(
            unit=commune,
            is_approximate=True,
            method="test",
            geojson='{"type":"Polygon","coordinates":[[[104,22],[104.1,22],[104.1,22.1],[104,22]]]}',
        )
    for command, pid in ((world.commune_commands[0], IN_ID), (world.commune_commands[2], OUT_ID)):
        position = Position.objects.create(
            org_unit=command, kind=PositionKind.COMMANDER, title="Chỉ huy trưởng"
        )
        Appointment.objects.create(
            position=position,
            holder_name="Nguyễn Văn An",
            holder_personal_id=pid,
            valid_from=date(2025, 7, 1),
        )


def app_case_modules() -> list[ModuleType]:
    """`muster/<app>/tests/scope_cases.py` of every app that has one."""
    modules = []
    for app in pkgutil.iter_modules(muster.__path__):
        try:
            modules.append(importlib.import_module(f"muster.{app.name}.tests.scope_cases"))
        except ModuleNotFoundError as exc:
            if exc.name not in {f"muster.{app.name}.tests", f"muster.{app.name}.tests.scope_cases"}:
                raise
    return modules


def scope_world() -> World:
    """The shared world with both persons and every app's records for them."""
    world = build_world()
    populate(world)
    for module in app_case_modules():
        if hasattr(module, "prepare"):
            module.prepare(world)
    return world
