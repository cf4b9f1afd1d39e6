"""Every route is either scope-tested here or exempt with a written reason.

Adding a route without a case makes `test_every_route_is_covered` fail. Each case logs in a
user of commune 99001's command (commune staff unless the case names another role, e.g. the
auditor for the audit log) and checks that nothing of commune 99003 comes back: detail routes
answer 404 (as for a missing record), list routes leave it out. A POST-only route is posted
to, in scope and out of it.

Writes: every route that accepts POST (a page declaring it through `core.views.guarded`, an API
operation) has a `Write` case, or `test_every_post_route_has_a_write_case` fails. Each is
posted by a user of every role but the (national) administrator, all with the jurisdiction of
commune 99001's command: the write on something of commune 99003 (or province 98) is refused
and no row of Muster's tables, audit events included, is added, removed or changed in count.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from config.api import api
from muster.accounts.actions import api_token_issue
from muster.accounts.models import Role, User
from muster.accounts.tests.factories import World
from muster.audit.models import AuditEvent
from tests.scope_support import IN_ID, OUT_ID, Case, Write, app_case_modules, scope_world

EXEMPT: dict[str, str] = {
    "web:login": "anonymous by design; shows no data",
    "web:logout": "ends the session; shows no data",
    "web:login_code": "the second login step; shows no data",
    "web:second_factor": "the signed-in user's own authenticator app; no registry data",
    "web:own_password": "the signed-in user's own password; no registry data",
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
    "web:cd_terrain_tile": "elevation tiles of the 3D map: public geography, no personal data",
}


def _drawn_zone(lon: float, lat: float) -> dict[str, str]:
    """The drawing form's fields for a small square zone at lon/lat."""
    ring = [[lon, lat], [lon + 0.05, lat], [lon + 0.05, lat + 0.05], [lon, lat + 0.05], [lon, lat]]
    return {
        "name": "Vùng vẽ thử",
        "kind": "flood",
        "severity": "3",
        "valid_from": "2026-09-01",
        "geometry": json.dumps({"type": "Polygon", "coordinates": [ring]}),
    }


CASES: dict[str, Case] = {
    # Another commune's command (a unit outside the jurisdiction) is a 404.
    "web:dashboard": Case(lambda w: "/", lambda w: f"/?unit={w.commune_commands[2].code}"),
    "web:map_communes": Case(lambda w: "/map/communes.geojson"),
    # The civil-defence map: hazards touching the user's communes, their exposure there only.
    "web:cd_map": Case(lambda w: "/map/civil-defence/"),
    "web:cd_map_3d": Case(lambda w: "/map/civil-defence/3d/"),
    "web:cd_plan": Case(lambda w: "/map/civil-defence/plan/"),
    "web:cd_map_data": Case(lambda w: "/map/civil-defence/data.json"),
    "web:cd_map_draw": Case(
        lambda w: "/map/civil-defence/draw/",
        method="post",
        data=lambda w: _drawn_zone(104.02, 22.02),
        in_status=201,
        # The scope world's communes have shapes but no centre, so no zone touches them: only a
        # national user may save one touching no commune (staff are refused, see WRITES).
        role=Role.ADMINISTRATOR,
    ),
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
    "web:person_move": Case(
        lambda w: f"/persons/{IN_ID}/move/", lambda w: f"/persons/{OUT_ID}/move/"
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


# Routes that take a POST but act on nothing of a jurisdiction.
WRITE_EXEMPT: dict[str, str] = {
    "web:login": "signs in; writes nothing of a jurisdiction",
    "web:logout": "ends the session",
    "set_language": "sets a cookie",
    "api-v1:issue_token": "issues the caller's own token",
    "api-v1:revoke_token": "ends the caller's own token",
    "web:second_factor": "the signed-in user's own authenticator app",
    "web:own_password": "the signed-in user's own password",
    "admin:*": "Django admin: only administrators (national scope) are staff",
    "web:cd_terrain_tile": "elevation tiles of the 3D map: public geography, no personal data",
}

WRITES: dict[str, Write] = {
    # A zone touching none of the user's communes (far from every shape) is refused.
    "web:cd_map_draw": Write(
        lambda w: "/map/civil-defence/draw/", lambda w: _drawn_zone(108.5, 12.5)
    ),
    # The form offers only the user's communes: another's is an invalid choice.
    "web:person_add": Write(
        lambda w: "/persons/new/",
        lambda w: {
            "personal_id": "099090009911",
            "full_name": "Phan Văn Mới",
            "sex": "M",
            "birth_date": "2000-04-02",
            "residence_commune": w.communes[2].code,
            "life_status": "alive",
        },
        refused=(200, 403),
        why="the form offers only the user's communes, another commune is an invalid choice "
        "(200, the form with its error); auditors are refused the form (403)",
    ),
    "web:person_edit": Write(
        lambda w: f"/persons/{OUT_ID}/edit/",
        lambda w: {"residence_commune": w.communes[0].code, "life_status": "alive"},
    ),
    # Another commune's resident: not found, whatever commune he is said to move to.
    "web:person_move": Write(
        lambda w: f"/persons/{OUT_ID}/move/",
        lambda w: {"to_commune": w.communes[0].code, "address": "", "moved_on": "2025-09-01"},
    ),
    "web:person_fact_add": Write(
        lambda w: f"/persons/{OUT_ID}/facts/",
        lambda w: {
            "kind": "occupation",
            "occupation": "Thợ mộc",
            "recorded_on": "2025-09-01",
            "source": "Khai báo tại xã",
        },
    ),
}


for _module in app_case_modules():
    CASES.update(_module.CASES)
    WRITES.update(getattr(_module, "WRITES", {}))


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
    return scope_world()


@pytest.mark.parametrize("route", sorted(CASES))
def test_commune_user_sees_nothing_of_another_commune(route, world):
    case = CASES[route]
    user: User = case.user(world, "xa1")
    client = Client()
    client.force_login(user)
    headers = {"Authorization": f"Bearer {api_token_issue(user=user)}"} if case.api else {}
    data = case.data(world) if case.data else {}

    def answer(path: str):
        if case.method == "post" and case.api:
            return client.post(
                path, json.dumps(data), content_type="application/json", headers=headers
            )
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


# Writes ------------------------------------------------------------------------------------


def _page_patterns() -> Iterator[tuple[str, URLPattern]]:
    def walk(resolver: URLResolver, namespace: str | None) -> Iterator[tuple[str, URLPattern]]:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or None
                yield from walk(pattern, ":".join(filter(None, [namespace, inner])) or None)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or str(pattern.pattern)
                yield (f"{namespace}:{name}" if namespace else name), pattern

    yield from walk(get_resolver(), None)


def _api_post_routes() -> set[str]:
    """API operations answering POST (or another writing method), by route name."""
    found = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            methods = {m for op in path_view.operations for m in op.methods}
            if methods & {"POST", "PUT", "PATCH", "DELETE"}:
                name = path_view.url_name or path_view.operations[0].view_func.__name__
                found.add(f"api-v1:{name}")
    return found


def _exempt(name: str, table: dict[str, str]) -> bool:
    return name in table or f"{name.split(':')[0]}:*" in table


def _post_routes() -> set[str]:
    pages = {
        name
        for name, pattern in _page_patterns()
        if "POST" in getattr(pattern.callback, "http_methods", ())
    }
    return pages | _api_post_routes()


def test_every_page_declares_its_methods():
    """Pages are `core.views.guarded` (which records their methods), so a POST is never
    missed; the exempt routes and the API are not pages of ours."""
    undeclared = sorted(
        name
        for name, pattern in _page_patterns()
        if not name.startswith("api-v1:")
        and not _exempt(name, EXEMPT)
        and not hasattr(pattern.callback, "http_methods")
    )
    assert not undeclared, f"pages not wrapped in core.views.guarded: {undeclared}"


def test_every_post_route_has_a_write_case():
    missing = sorted(
        name for name in _post_routes() if name not in WRITES and not _exempt(name, WRITE_EXEMPT)
    )
    assert not missing, (
        f"POST routes without a write case (WRITES in tests/test_route_scopes.py or "
        f"muster/<app>/tests/scope_cases.py): {missing}"
    )


def test_no_write_case_names_a_route_that_takes_no_post():
    assert set(WRITES) <= _post_routes()


@pytest.mark.parametrize("route", sorted(WRITES))
def test_write_cases_say_why_they_are_refused_otherwise(route):
    write = WRITES[route]
    assert write.refused
    assert set(write.refused) <= {403, 404} or write.why, route


def _row_counts() -> dict[str, int]:
    """Rows of every table of Muster's apps (audit events and read events included)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("muster.")
    }


# Administrators are national: nothing lies outside their jurisdiction.
ROLES_WITH_AN_OUTSIDE = [role for role in Role if role != Role.ADMINISTRATOR]


@pytest.mark.parametrize("route", sorted(WRITES))
def test_a_write_outside_the_jurisdiction_is_refused_and_changes_nothing(route, world):
    write = WRITES[route]
    data = write.data(world) if write.data else {}
    for role in ROLES_WITH_AN_OUTSIDE:
        user = world.user(f"w-{role}", role, world.commune_commands[0])
        client = Client()
        client.force_login(user)
        # The API answers its own Bearer token, issued before counting (it writes a row).
        token = api_token_issue(user=user) if write.api else ""
        before = _row_counts()
        started = timezone.now()
        if write.api:
            response = client.post(
                write.path(world),
                json.dumps(data),
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}"},
            )
        else:
            response = client.post(write.path(world), data)
        assert response.status_code in write.refused, (route, role, response.status_code)
        assert _row_counts() == before, (route, role)
        assert not AuditEvent.objects.filter(at__gte=started).exists(), (route, role)
