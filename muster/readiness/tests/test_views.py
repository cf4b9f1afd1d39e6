"""Readiness pages, map, reports and the API: figures read from the snapshots with the moment
they were computed, scoped to the user's jurisdiction, as of any day."""

from __future__ import annotations

import json
from datetime import date
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from muster.accounts.actions import api_token_issue
from muster.accounts.models import User
from muster.readiness import bulk
from muster.readiness.models import UnitSnapshot
from muster.readiness.tests.factories import PASSWORD, TODAY, World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    world = build_world()
    bulk.refresh(TODAY)
    return world


def _client(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _today() -> mock._patch[mock.MagicMock]:
    return mock.patch("django.utils.timezone.localdate", return_value=TODAY)


def test_a_user_lands_on_his_jurisdictions_page(world: World) -> None:
    with _today():
        response = _client(world.province_user).get("/readiness/")
    assert response.status_code == 302
    assert response["Location"] == f"/readiness/{world.provincial.code}/"


def test_the_page_shows_figures_with_when_they_were_computed(world: World) -> None:
    region = UnitSnapshot.objects.get(org_unit=world.region, as_of=TODAY)
    with _today():
        response = _client(world.province_user).get(f"/readiness/{world.provincial.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="readiness-computed"' in page
    assert "15/03/2026" in page
    assert f'id="figure-people">{region.people}<' in page
    # The units below link to their own pages; the map loads the unit's communes.
    assert f'href="/readiness/{world.area1.code}/"' in page
    assert f'data-url="/readiness/{world.provincial.code}/map.geojson"' in page


def test_a_unit_outside_the_jurisdiction_is_not_found(world: World) -> None:
    client = _client(world.area_user)
    with _today():
        assert client.get(f"/readiness/{world.area2.code}/").status_code == 404
        assert client.get(f"/readiness/{world.area2.code}/map.geojson").status_code == 404
        assert client.get(f"/readiness/{world.area1.code}/").status_code == 200


def test_a_day_before_any_snapshot_says_none_was_computed(world: World) -> None:
    with _today():
        response = _client(world.province_user).get(
            f"/readiness/{world.provincial.code}/?as_of=2026-01-01"
        )
    page = response.content.decode()
    assert 'id="readiness-none"' in page
    assert 'id="readiness-figures"' not in page


def test_a_later_day_reads_the_latest_snapshot_and_says_so(world: World) -> None:
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 3, 20)):
        response = _client(world.province_user).get(
            f"/readiness/{world.provincial.code}/?as_of=2026-03-18"
        )
    page = response.content.decode()
    assert 'id="readiness-stale"' in page
    assert 'id="readiness-figures"' in page


def test_the_map_colours_the_communes_and_drills_down(world: World) -> None:
    with _today():
        response = _client(world.province_user).get(f"/readiness/{world.area1.code}/map.geojson")
    collection = json.loads(response.content)
    by_code = {f["properties"]["code"]: f["properties"] for f in collection["features"]}
    assert set(by_code) == {world.c1.code, world.c2.code}
    assert by_code[world.c1.code]["url"] == f"/readiness/{world.cc1.code}/"
    assert isinstance(by_code[world.c1.code]["people"], int)
    assert by_code[world.c1.code]["positions_filled_share"] == 100.0


@pytest.mark.parametrize("fmt", ["xlsx", "pdf", "csv"])
def test_the_report_downloads_in_each_format(world: World, fmt: str) -> None:
    with _today():
        response = _client(world.province_user).get(
            f"/readiness/{world.provincial.code}/?export={fmt}"
        )
    assert response.status_code == 200
    assert f"readiness-{world.provincial.code}-2026-03-15.{fmt}" in response["Content-Disposition"]
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        assert world.area1.name in text
        assert world.area2.name in text


def test_the_api_answers_one_object_scoped(world: World) -> None:
    snap = UnitSnapshot.objects.get(org_unit=world.area1, as_of=TODAY)
    client = Client(headers={"Authorization": f"Bearer {api_token_issue(user=world.area_user)}"})
    with _today():
        got = client.get(f"/api/v1/readiness/{world.area1.code}")
        outside = client.get(f"/api/v1/readiness/{world.area2.code}")
        before = client.get(f"/api/v1/readiness/{world.area1.code}?as_of=2026-01-01")
    assert got.status_code == 200
    body = got.json()
    for name in (
        "people",
        "men_call_up_age",
        "militia_members",
        "militia_target",
        "positions",
        "positions_filled",
        "positions_qualified",
    ):
        assert body[name] == getattr(snap, name)
    assert body["as_of"] == "2026-03-15"
    assert body["computed_at"]
    assert outside.status_code == 404
    assert before.status_code == 404
    assert before.json()["code"] == "READINESS_NOT_COMPUTED"


def _tables(queries: list[dict[str, str]]) -> list[str]:
    """The table each captured query reads first (its FROM)."""
    return [q["sql"].split(" FROM ", 1)[1].split()[0].strip('"') for q in queries]


@pytest.mark.parametrize("unit", ["region", "provincial", "area1", "cc1"])
def test_a_page_reads_its_snapshots_and_no_org_tree(world: World, unit: str) -> None:
    """Once the structure is cached, a page reads the unit's and the rows' snapshots and
    nothing of the org tree or the map of communes, at every level; the user box's
    jurisdiction is among the units the page already holds."""
    code = getattr(world, unit).code
    client = _client(world.province_user if unit != "region" else world.admin)
    with _today():
        client.get(f"/readiness/{code}/")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/readiness/{code}/")
    assert response.status_code == 200
    tables = _tables(captured.captured_queries)
    snapshots = [t for t in tables if t.startswith("readiness_")]
    assert snapshots == (
        ["readiness_communesnapshot", "readiness_unitsnapshot"]
        if unit == "cc1"
        else ["readiness_unitsnapshot"]
    )
    assert not [t for t in tables if t.startswith(("orgs_", "geo_"))]


def test_the_api_reads_one_snapshot(world: World) -> None:
    client = Client(headers={"Authorization": f"Bearer {api_token_issue(user=world.area_user)}"})
    with _today():
        client.get(f"/api/v1/readiness/{world.area1.code}")
        with CaptureQueriesContext(connection) as captured:
            got = client.get(f"/api/v1/readiness/{world.area1.code}")
    assert got.status_code == 200
    tables = _tables(captured.captured_queries)
    assert [t for t in tables if t.startswith("readiness_")] == ["readiness_unitsnapshot"]
    assert not [t for t in tables if t.startswith(("orgs_", "geo_"))]
