"""The civil-defence map pages: a zone drawn on the map is saved through the civil-defence action
and the page reopens on its exposure; the layers' JSON keeps to the jurisdiction; bad drawings
are refused in words; the 3D page says the ground is flat until an elevation file is imported,
then serves terrain tiles; the plan page says when there is no plan."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from muster.civildefence.models import HazardZone
from muster.geo.bulk import elevation_load
from muster.geo.tests.test_elevation import geotiff
from muster.readiness.tests.factories import PASSWORD, World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def _client(client: Client, username: str) -> Client:
    assert client.login(username=username, password=PASSWORD)
    return client


def _zone(lon: float, lat: float, half: float = 0.015) -> str:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _draw(client: Client, geometry: str, name: str = "Ngập Hồng Hà") -> tuple[int, dict[str, str]]:
    response = client.post(
        reverse("web:cd_map_draw"),
        {
            "name": name,
            "kind": "inundation",
            "severity": "3",
            "valid_from": "2026-09-01",
            "geometry": geometry,
        },
    )
    return response.status_code, response.json() if response.status_code in (201, 422) else {}


def test_a_drawn_zone_is_saved_and_its_exposure_shown(client: Client, world: World) -> None:
    staff = _client(client, world.province_user.username)
    status, answer = _draw(staff, _zone(105.85, 21.03))  # over Phường Hồng Hà (c1)
    assert status == 201, answer
    zone = HazardZone.objects.get(key=answer["key"])
    assert (zone.source, zone.name) == ("drawn", "Ngập Hồng Hà")
    page = staff.get(answer["url"]).content.decode()
    assert "Ngập Hồng Hà" in page
    assert 'id="exposure-91001"' in page
    assert 'id="exposure-91003"' not in page
    data = staff.get(reverse("web:cd_map_data") + f"?hazard={zone.key}").json()
    assert data["hazard"] == zone.key
    assert {f["properties"]["code"] for f in data["exposure"]["features"]} == {"91001"}
    assert set(data) == {"hazard", "hazards", "exposure", "shelters", "means", "assignments"}
    csv = staff.get(answer["url"] + "&export=csv").content.decode("utf-8-sig")
    assert "91001" in csv


def test_bad_drawings_are_refused_in_words(client: Client, world: World) -> None:
    staff = _client(client, world.province_user.username)
    status, answer = _draw(staff, "not json")
    assert status == 422
    assert answer["detail"]
    status, answer = _draw(staff, _zone(105.85, 21.03), name="")
    assert status == 422
    assert answer["detail"]
    assert not HazardZone.objects.exists()


def test_a_commune_user_sees_only_their_communes_exposure(client: Client, world: World) -> None:
    _draw(_client(Client(), world.province_user.username), _zone(105.85, 21.08, half=0.08))
    zone = HazardZone.objects.get()
    commune = _client(client, world.commune_user.username)
    data = commune.get(reverse("web:cd_map_data") + f"?hazard={zone.key}").json()
    codes = {f["properties"]["code"] for f in data["exposure"]["features"]}
    assert codes == {"91001"}  # the commune user's commune only, not 91002 or 91003


def test_3d_page_flat_until_an_elevation_is_imported_then_tiles(
    client: Client, world: World
) -> None:
    staff = _client(client, world.province_user.username)
    page = staff.get(reverse("web:cd_map_3d")).content.decode()
    assert 'id="cd-flat"' in page
    assert "data-terrain-url" not in page
    assert staff.get(reverse("web:cd_terrain_tile", args=[8, 203, 113])).status_code == 404
    heights = np.full((20, 20), 500, dtype=np.float32)
    elevation_load(
        name="dem.tif", data=geotiff(heights, west=105.0, north=21.9, step=0.1), acting_user=None
    )
    page = staff.get(reverse("web:cd_map_3d")).content.decode()
    assert 'id="cd-terrain"' in page
    assert "data-terrain-url" in page
    tile = staff.get(reverse("web:cd_terrain_tile", args=[8, 203, 113]))
    assert tile.status_code == 200
    assert tile["Content-Type"] == "image/png"
    rgb = np.asarray(Image.open(io.BytesIO(tile.content)), dtype=np.float64)
    decoded = rgb[..., 0] * 256 + rgb[..., 1] + rgb[..., 2] / 256 - 32768
    assert decoded.max() == pytest.approx(500)


def test_plan_page_says_when_there_is_no_plan(client: Client, world: World) -> None:
    staff = _client(client, world.province_user.username)
    _draw(staff, _zone(105.85, 21.03))
    page = staff.get(reverse("web:cd_plan")).content.decode()
    assert 'id="cd-plan-none"' in page
