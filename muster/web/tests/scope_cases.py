"""Scope cases of the user-management pages (the rest of the web app's are in
tests/test_route_scopes.py). The case's user is area staff given `users.manage`, with the
jurisdiction of commune 99001's command: it manages the accounts of that command only."""

from __future__ import annotations

from muster.accounts.models import Role, User
from muster.accounts.tests.factories import World
from tests.scope_support import Case, Write

IN_USER = "scope-staff-in"  # commune staff of commune 99001's command
OUT_USER = "scope-staff-out"  # commune staff of commune 99003's command


def prepare(world: World) -> None:
    world.user(IN_USER, Role.COMMUNE_STAFF, world.commune_commands[0])
    world.user(OUT_USER, Role.COMMUNE_STAFF, world.commune_commands[2])


def _id(username: str) -> int:
    return User.objects.get(username=username).pk


MANAGER = Role.AREA_STAFF
GRANT = "users.manage"

CASES: dict[str, Case] = {
    # The list leaves out the accounts of another command (the trace: its code 99003).
    "web:users": Case(lambda w: "/users/", role=MANAGER, grant=GRANT),
    # The form offers only the manager's own command and those below it.
    "web:user_add": Case(lambda w: "/users/new/", role=MANAGER, grant=GRANT),
    "web:user_detail": Case(
        lambda w: f"/users/{_id(IN_USER)}/",
        lambda w: f"/users/{_id(OUT_USER)}/",
        role=MANAGER,
        grant=GRANT,
    ),
}

WRITES: dict[str, Write] = {
    "web:user_add": Write(
        lambda w: "/users/new/",
        lambda w: {
            "username": "scope-new",
            "role": "commune_staff",
            "jurisdiction": w.commune_commands[2].code,
            "new_password": "Tram-nam-trong-coi",
            "new_password_again": "Tram-nam-trong-coi",
        },
    ),
    "web:user_detail": Write(
        lambda w: f"/users/{_id(OUT_USER)}/", lambda w: {"action": "deactivate"}
    ),
}
