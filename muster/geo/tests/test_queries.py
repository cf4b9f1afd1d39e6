"""Reads: lookups, as-of, successions, majority district, GeoJSON."""

from __future__ import annotations

import json
from datetime import date

import pytest
import shapely

from muster.core.errors import NotFound
from muster.geo import queries
from muster.geo.models import AdminUnit, Edition, Level, SuccessionKind
from muster.geo.tests.conftest import Loaded

pytestmark = pytest.mark.django_db

LAST_LEGACY_DAY = date(2025, 6, 30)
FIRST_2025_DAY = date(2025, 7, 1)


def test_unit_get(loaded: Loaded) -> None:
    assert queries.unit_get(Edition.V2025, "01").name == "Thành phố Hà Nội"
    with pytest.raises(NotFound, match="99999"):
        queries.unit_get(Edition.V2025, "99999")


def test_unit_list_as_of(loaded: Loaded) -> None:
    communes_before = queries.unit_list(level=Level.COMMUNE, as_of=LAST_LEGACY_DAY)
    communes_after = queries.unit_list(level=Level.COMMUNE, as_of=FIRST_2025_DAY)
    assert communes_before.count() == 10035
    assert set(communes_before.values_list("edition", flat=True)) == {Edition.LEGACY}
    assert communes_after.count() == 3321
    assert queries.unit_list(edition=Edition.LEGACY, as_of=FIRST_2025_DAY).count() == 0
    assert queries.unit_list(edition=Edition.V2025, as_of=LAST_LEGACY_DAY).count() == 0
    provinces = list(queries.unit_list(edition=Edition.V2025, level=Level.PROVINCE))
    assert len(provinces) == 34
    assert [p.code for p in provinces] == sorted(p.code for p in provinces)
    hanoi = queries.unit_get(Edition.V2025, "01")
    assert queries.unit_list(parent=hanoi).count() == 126


def test_unit_holding_code_on(loaded: Loaded) -> None:
    before = queries.unit_holding_code_on("00004", LAST_LEGACY_DAY)
    after = queries.unit_holding_code_on("00004", FIRST_2025_DAY)
    assert before is not None
    assert before.name == "Phường Trúc Bạch"
    assert after is not None
    assert after.name == "Phường Ba Đình"
    assert queries.unit_holding_code_on("001", FIRST_2025_DAY) is None  # districts are gone
    district = queries.unit_holding_code_on("001", LAST_LEGACY_DAY, level=Level.DISTRICT)
    assert district is not None
    assert district.name == "Quận Ba Đình"
    assert queries.unit_holding_code_on("00004", LAST_LEGACY_DAY, level=Level.PROVINCE) is None


def test_parent_on(loaded: Loaded) -> None:
    truc_bach = queries.unit_get(Edition.LEGACY, "00004")
    district = queries.parent_on(truc_bach, LAST_LEGACY_DAY)
    assert district is not None
    assert district.code == "001"
    assert queries.parent_on(truc_bach, FIRST_2025_DAY) is None
    ba_dinh = queries.unit_get(Edition.V2025, "00004")
    province = queries.parent_on(ba_dinh, FIRST_2025_DAY)
    assert province is not None
    assert province.code == "01"


def test_successors_and_predecessors(loaded: Loaded) -> None:
    truc_bach = queries.unit_get(Edition.LEGACY, "00004")
    out = queries.successors(truc_bach)
    assert [s.successor.name for s in out] == ["Phường Ba Đình"]
    ba_dinh = out[0].successor
    back = queries.predecessors(ba_dinh)
    assert truc_bach.pk in {s.predecessor_id for s in back}
    assert all(s.predecessor.edition == Edition.LEGACY for s in back)
    assert all(s.kind in SuccessionKind.values for s in back)


def test_successors_of_a_split_put_the_default_first(loaded: Loaded) -> None:
    split = (
        AdminUnit.objects.filter(successions_out__kind=SuccessionKind.SPLIT)
        .order_by("code")
        .first()
    )
    assert split is not None
    out = queries.successors(split)
    assert len(out) >= 2
    assert out[0].is_default
    assert not any(s.is_default for s in out[1:])


def test_majority_legacy_district_lao_cai(loaded: Loaded) -> None:
    # Phường Cam Đường (2025, Lào Cai) was formed from wards of the former Lào Cai city.
    cam_duong = AdminUnit.objects.get(
        edition=Edition.V2025, level=Level.COMMUNE, short_name="Cam Đường"
    )
    result = queries.majority_legacy_district([cam_duong])
    district = result[cam_duong.pk]
    assert district.edition == Edition.LEGACY
    assert district.level == Level.DISTRICT
    assert district.name == "Thành phố Lào Cai"
    everything = queries.majority_legacy_district()
    assert len(everything) == 3321
    assert everything[cam_duong.pk] == district
    # Every choice is a district that actually gave a predecessor ward.
    for commune_id, chosen in list(everything.items())[:200]:
        commune = AdminUnit.objects.get(pk=commune_id)
        parents = {s.predecessor.parent_id for s in queries.predecessors(commune)}
        assert chosen.pk in parents or chosen.pk in {
            s.predecessor_id for s in queries.predecessors(commune)
        }


def test_shapes_geojson_is_valid_and_light(loaded: Loaded) -> None:
    hanoi = queries.unit_get(Edition.V2025, "01")
    hcmc = queries.unit_get(Edition.V2025, "79")
    communes = list(queries.unit_list(parent=hcmc))
    assert len(communes) == 168
    ids = [c.pk for c in communes]
    collection = queries.shapes_geojson(ids, {ids[0]: {"people": 12}})
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 168
    text = json.dumps(collection, separators=(",", ":"))
    assert len(text.encode()) < 150_000
    first = collection["features"][0]["properties"]
    assert first["people"] == 12
    assert first["edition"] == Edition.V2025
    assert first["approximate"] is True
    assert {"code", "name"} <= set(first)
    for feature in collection["features"]:
        geom = shapely.geometry.shape(feature["geometry"])
        assert geom.is_valid
        assert geom.geom_type in {"Polygon", "MultiPolygon"}
    province = queries.shapes_geojson([hanoi.pk])["features"][0]
    outline = shapely.geometry.shape(province["geometry"])
    assert (
        outline.contains(shapely.Point(105.845, 21.0567))
        or outline.distance(shapely.Point(105.845, 21.0567)) < 0.01
    )
    assert queries.shapes_geojson([]) == {"type": "FeatureCollection", "features": []}
