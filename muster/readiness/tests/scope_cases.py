"""Route scope cases of the readiness pages and API (collected by tests/test_route_scopes.py):
the user (commune 99001's command) sees that command's figures and its commune on the map,
never commune 99003's command (404)."""

from __future__ import annotations

from django.utils import timezone

from muster.accounts.tests.factories import World
from muster.readiness import bulk
from tests.scope_support import Case


def prepare(world: World) -> None:
    """Today's figures of every commune and unit of the world."""
    bulk.refresh(timezone.localdate())


def _unit(w: World, index: int, tail: str = "") -> str:
    return f"/readiness/{w.commune_commands[index].code}/{tail}"


CASES: dict[str, Case] = {
    # Commune staff land on their own command's page.
    "readiness:index": Case(lambda w: "/readiness/", in_status=302),
    "readiness:unit": Case(lambda w: _unit(w, 0), lambda w: _unit(w, 2)),
    "readiness:unit_map": Case(
        lambda w: _unit(w, 0, "map.geojson"), lambda w: _unit(w, 2, "map.geojson")
    ),
    "api-v1:readiness_figures": Case(
        lambda w: f"/api/v1/readiness/{w.commune_commands[0].code}",
        lambda w: f"/api/v1/readiness/{w.commune_commands[2].code}",
        api=True,
    ),
}
