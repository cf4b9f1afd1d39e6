"""The full load: counts, successions, idempotency, audit (shares one load per package)."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q

from muster.geo.models import AdminUnit, Edition, Level, Succession, SuccessionKind, UnitShape
from muster.geo.tests.conftest import Loaded

pytestmark = pytest.mark.django_db


def _count(edition: str, level: str) -> int:
    return AdminUnit.objects.filter(edition=edition, level=level).count()


def _province_area(edition: str) -> float:
    provinces = AdminUnit.objects.filter(edition=edition, level=Level.PROVINCE)
    return sum(area or 0.0 for area in provinces.values_list("area_km2", flat=True))


def test_unit_counts(loaded: Loaded) -> None:
    assert _count(Edition.V2025, Level.PROVINCE) == 34
    assert _count(Edition.V2025, Level.COMMUNE) == 3321
    assert _count(Edition.V2025, Level.DISTRICT) == 0
    assert _count(Edition.LEGACY, Level.PROVINCE) == 63
    assert _count(Edition.LEGACY, Level.DISTRICT) == 696
    # The source has 10,040 legacy rows: 10,035 communes and 5 island districts
    # (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) with no commune level.
    assert _count(Edition.LEGACY, Level.COMMUNE) == 10035
    islands = AdminUnit.objects.filter(edition=Edition.LEGACY, level=Level.DISTRICT)
    assert islands.filter(children__isnull=True).count() == 5
    assert loaded.first.units.created == 34 + 3321 + 63 + 696 + 10035
    assert loaded.first.unresolved_keys == []


def test_units_carry_validity_codes_and_search_keys(loaded: Loaded) -> None:
    ba_dinh = AdminUnit.objects.get(edition=Edition.V2025, code="00004")
    assert ba_dinh.name == "Phường Ba Đình"
    assert ba_dinh.search_key == "ba dinh"
    assert ba_dinh.unit_type == "Phường"
    assert ba_dinh.parent is not None
    assert ba_dinh.parent.code == "01"
    assert ba_dinh.area_km2 == 2.97
    assert not ba_dinh.area_is_estimate
    assert str(ba_dinh.valid_from) == "2025-07-01"
    assert ba_dinh.valid_to is None
    truc_bach = AdminUnit.objects.get(edition=Edition.LEGACY, code="00004")
    assert truc_bach.name == "Phường Trúc Bạch"
    assert truc_bach.valid_from is None
    assert str(truc_bach.valid_to) == "2025-06-30"
    assert truc_bach.parent is not None
    assert truc_bach.parent.level == Level.DISTRICT
    assert truc_bach.area_is_estimate
    assert (truc_bach.area_km2 or 0) > 0
    legacy_total = _province_area(Edition.LEGACY)
    new_total = _province_area(Edition.V2025)
    assert abs(legacy_total - new_total) < 1.0


def test_every_legacy_ward_has_a_successor(loaded: Loaded) -> None:
    orphans = AdminUnit.objects.filter(
        edition=Edition.LEGACY, level=Level.COMMUNE, successions_out__isnull=True
    )
    assert list(orphans.values_list("code", flat=True)) == []
    islands = AdminUnit.objects.filter(
        edition=Edition.LEGACY, level=Level.DISTRICT, children__isnull=True
    )
    assert not islands.filter(successions_out__isnull=True).exists()
    new_orphans = AdminUnit.objects.filter(edition=Edition.V2025, successions_in__isnull=True)
    assert not new_orphans.exists()


def test_each_split_has_exactly_one_default(loaded: Loaded) -> None:
    splits = (
        Succession.objects.filter(kind=SuccessionKind.SPLIT)
        .values("predecessor_id")
        .annotate(n=Count("id"), defaults=Count("id", filter=Q(is_default=True)))
    )
    assert splits.exists()
    assert all(row["n"] >= 2 and row["defaults"] == 1 for row in splits)
    assert not Succession.objects.exclude(kind=SuccessionKind.SPLIT).filter(is_default=False)


def test_kinds_follow_the_link_counts(loaded: Loaded) -> None:
    merged = Succession.objects.filter(kind=SuccessionKind.MERGED).select_related("successor")
    sample = merged.first()
    assert sample is not None
    assert Succession.objects.filter(successor=sample.successor).count() > 1
    assert Succession.objects.filter(predecessor=sample.predecessor).count() == 1
    for row in Succession.objects.filter(kind=SuccessionKind.CONTINUED)[:50]:
        assert Succession.objects.filter(successor=row.successor_id).count() == 1
        assert Succession.objects.filter(predecessor=row.predecessor_id).count() == 1


def test_provinces_succeed_into_2025_provinces(loaded: Loaded) -> None:
    legacy = AdminUnit.objects.filter(edition=Edition.LEGACY, level=Level.PROVINCE)
    assert not legacy.filter(successions_out__isnull=True).exists()
    hcmc = AdminUnit.objects.get(edition=Edition.V2025, level=Level.PROVINCE, code="79")
    names = set(
        Succession.objects.filter(successor=hcmc).values_list("predecessor__short_name", flat=True)
    )
    assert names == {"Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"}


def test_second_run_changes_nothing(loaded: Loaded) -> None:
    second = loaded.second
    for table in (second.units, second.successions, second.shapes):
        assert (table.created, table.updated) == (0, 0)
    assert second.units.unchanged == loaded.first.units.created
    assert second.successions.unchanged == loaded.first.successions.created
    assert loaded.rows_after_first == loaded.rows_after_second
    # One audit event for the load that changed things, none for the no-op run.
    assert len(loaded.audit_events) == 1
    assert loaded.audit_events[0].data["units"]["created"] == loaded.first.units.created


def test_load_is_fast(loaded: Loaded) -> None:
    assert loaded.first.seconds < 30
    assert loaded.second.seconds < 30


def test_shapes_exist_for_every_unit(loaded: Loaded) -> None:
    assert UnitShape.objects.count() == AdminUnit.objects.count()
    assert not UnitShape.objects.filter(is_approximate=False).exists()
