"""Every route is either scope-tested here or exempt with a written reason.

Adding a route without a case makes `test_every_route_is_covered` fail. Each case logs in a
user of commune 99001's command (commune staff unless the case names another role, e.g. the
auditor for the audit log) and checks that nothing of commune 99003 comes back: detail routes
answer 404 (as for a missing record), list routes leave it out. A POST-only route is posted
to, in scope and out of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from muster import audit
from muster.accounts.actions import api_token_issue
from muster.accounts.models import Role, User
from muster.accounts.tests.factories import World, build_world
from muster.core.text import fold
from muster.geo.models import UnitShape
from muster.orgs.models import Appointment, Position, PositionKind
from muster.people.models import Person

EXEMPT: dict[str, str] = {
    "web:login": "anonymous by design; shows no data",
    "web:logout": "ends the session; shows no data",
    "set_language": "sets a cookie; shows no data",
    "api-v1:issue_token": "anonymous by design; returns only the caller's own token",
    "api-v1:openapi-json": "the API description; no data",
    "api-v1:openapi-view": "the API description; no data",
    "api-v1:api-root": "ninja's index; no data",
    "api-v1:unit_list": "public administrative geography; no personal data",
    "api-v1:unit_detail": "public administrative geography; no personal data",
    "admin:*": "Django admin: only administrators (national scope) are staff",
}

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


def _persons(world: World) -> None:
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


CASES: dict[str, Case] = {
    "web:dashboard": Case(lambda w: "/"),
    "web:map_communes": Case(lambda w: "/map/communes.geojson"),
    "web:communes": Case(lambda w: "/communes/"),
    "web:communes_results": Case(lambda w: "/communes/results/"),
    "web:commune_detail": Case(
        lambda w: f"/communes/{w.communes[0].code}/", lambda w: f"/communes/{w.communes[2].code}/"
    ),
    "web:org_tree": Case(lambda w: "/organisation/"),
    "web:persons": Case(lambda w: "/persons/?q=nguyen+van"),
    "web:persons_results": Case(lambda w: "/persons/results/?q=nguyen+van"),
    "web:person_detail": Case(lambda w: f"/persons/{IN_ID}/", lambda w: f"/persons/{OUT_ID}/"),
    "web:id_warnings": Case(lambda w: "/data-quality/id-warnings/"),
    # The commune <select> offers only the user's communes.
    "web:person_add": Case(lambda w: "/persons/new/"),
    "web:person_edit": Case(
        lambda w: f"/persons/{IN_ID}/edit/", lambda w: f"/persons/{OUT_ID}/edit/"
    ),
    "web:person_fact_add": Case(
        lambda w: f"/persons/{IN_ID}/facts/",
        lambda w: f"/persons/{OUT_ID}/facts/",
        method="post",
        data=lambda w: {
            "kind": "occupation",
            "occupation": "Thợ mộc",
            "recorded_on": "2025-09-01",
            "source": "Khai báo tại xã",
        },
        in_status=302,
    ),
    "web:audit_log": Case(lambda w: "/audit/", role=Role.AUDITOR),
    "web:audit_reads": Case(lambda w: "/audit/reads/", role=Role.AUDITOR),
    "web:audit_chain_check": Case(lambda w: "/audit/chain/", role=Role.AUDITOR),
    "api-v1:person_list": Case(lambda w: "/api/v1/persons?q=nguyen", api=True),
    "api-v1:person_detail": Case(
        lambda w: f"/api/v1/persons/{IN_ID}", lambda w: f"/api/v1/persons/{OUT_ID}", api=True
    ),
    "api-v1:list_org_units": Case(
        lambda w: "/api/v1/org-units?kind=commune_command", api=True, organisation=True
    ),
    "api-v1:get_org_unit": Case(
        lambda w: f"/api/v1/org-units/{w.commune_commands[2].code}", api=True, organisation=True
    ),
}


def _route_names() -> Iterator[str]:
    def walk(resolver: URLResolver, namespace: str | None) -> Iterator[str]:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or None
                yield from walk(pattern, ":".join(filter(None, [namespace, inner])) or None)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or str(pattern.pattern)
                yield f"{namespace}:{name}" if namespace else name

    yield from walk(get_resolver(), None)


def test_every_route_is_covered():
    missing = sorted(
        name
        for name in set(_route_names())
        if name not in CASES and name not in EXEMPT and f"{name.split(':')[0]}:*" not in EXEMPT
    )
    assert not missing, f"routes without a scope case in tests/test_route_scopes.py: {missing}"


def test_no_case_names_a_route_that_is_gone():
    assert set(CASES) <= set(_route_names())


@pytest.fixture
def world(db) -> World:
    world = build_world()
    _persons(world)
    return world


@pytest.mark.parametrize("route", sorted(CASES))
def test_commune_user_sees_nothing_of_another_commune(route, world):
    case = CASES[route]
    user: User = world.user("xa1", case.role, world.commune_commands[0])
    client = Client()
    client.force_login(user)
    headers = {"Authorization": f"Bearer {api_token_issue(user=user)}"} if case.api else {}
    data = case.data(world) if case.data else {}

    def answer(path: str):
        if case.method == "post":
            return client.post(path, data, headers=headers)
        return client.get(path, headers=headers)

    outside = world.communes[2]
    response = answer(case.in_path(world))
    assert response.status_code == case.in_status, (route, response.status_code)
    if case.out_path is None:
        body = response.content.decode()
        traces = (OUT_ID,) if case.organisation else (OUT_ID, outside.code, outside.name)
        for trace in traces:
            assert trace not in body, f"{route} shows {trace!r} of a commune outside the scope"
    else:
        out = answer(case.out_path(world))
        assert out.status_code == 404, (route, out.status_code)
