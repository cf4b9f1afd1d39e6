"""Every route is either scope-tested here or exempt with a written reason.

Adding a route without a case makes `test_every_route_is_covered` fail. Each case logs in a
user of commune 99001's command (commune staff unless the case names another role, e.g. the
auditor for the audit log) and checks that nothing of commune 99003 comes back: detail routes
answer 404 (as for a missing record), list routes leave it out. A POST-only route is posted
to, in scope and out of it.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from types import ModuleType

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import muster
from muster.accounts.actions import api_token_issue
from muster.accounts.models import Role, User
from muster.accounts.tests.factories import World, build_world
from tests.scope_support import IN_ID, OUT_ID, Case, populate

EXEMPT: dict[str, str] = {
    "web:login": "anonymous by design; shows no data",
    "web:logout": "ends the session; shows no data",
    "web:login_code": "the second login step; shows no data",
    "web:second_factor": "the signed-in user's own authenticator app; no registry data",
    "admin_login": "sends the admin's login to web:login; shows no data",
    "api-v1:revoke_token": "ends the caller's own token; returns no data",
    "set_language": "sets a cookie; shows no data",
    "api-v1:issue_token": "anonymous by design; returns only the caller's own token",
    "api-v1:openapi-json": "the API description; no data",
    "api-v1:openapi-view": "the API description; no data",
    "api-v1:api-root": "ninja's index; no data",
    "api-v1:unit_list": "public administrative geography; no personal data",
    "api-v1:unit_detail": "public administrative geography; no personal data",
    "verify:verify": "public by design: order verification shows only genuine or not, number, name, masked ID",
    "admin:*": "Django admin: only administrators (national scope) are staff",
}

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


def _app_case_modules() -> list[ModuleType]:
    """`muster/<app>/tests/scope_cases.py` of every app that has one."""
    modules = []
    for app in pkgutil.iter_modules(muster.__path__):
        try:
            modules.append(importlib.import_module(f"muster.{app.name}.tests.scope_cases"))
        except ModuleNotFoundError as exc:
            if exc.name not in {f"muster.{app.name}.tests", f"muster.{app.name}.tests.scope_cases"}:
                raise
    return modules


for _module in _app_case_modules():
    CASES.update(_module.CASES)


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
    assert not missing, (
        f"routes without a scope case (tests/test_route_scopes.py or muster/<app>/tests/scope_cases.py): {missing}"
    )


def test_no_case_names_a_route_that_is_gone():
    assert set(CASES) <= set(_route_names())


@pytest.fixture
def world(db) -> World:
    world = build_world()
    populate(world)
    for module in _app_case_modules():
        if hasattr(module, "prepare"):
            module.prepare(world)
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
