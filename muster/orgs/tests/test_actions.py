"""Actions on a small synthetic country: build, region reassignment, moves, appointments."""

from __future__ import annotations

from datetime import date

import pytest

from muster.audit.models import AuditEvent
from muster.core.errors import InvalidInput
from muster.geo.models import AdminUnit, Edition, Level
from muster.orgs import actions, queries
from muster.orgs.models import (
    Appointment,
    CommandDesignation,
    OrgKind,
    OrgUnit,
    Position,
    Territory,
)
from muster.orgs.tests.factories import LEGACY_END, REFORM, small_country

pytestmark = pytest.mark.django_db


@pytest.fixture
def country() -> list[AdminUnit]:
    communes = small_country()
    actions.orgs_build(include_legacy=True)
    return communes


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_regions_are_continuous_with_the_legacy_provinces_under_them(
    country: list[AdminUnit],
) -> None:
    regions = OrgUnit.objects.filter(kind__in=(OrgKind.MILITARY_REGION, OrgKind.CAPITAL_COMMAND))
    assert regions.count() == 8
    assert not regions.filter(valid_from__isnull=False).exists()  # before and after 2025
    qk2 = OrgUnit.objects.get(code="QK2")
    yen_bai = OrgUnit.objects.get(code="BCHQS-L-15")  # legacy Yên Bái, part of Lào Cai since
    assert (yen_bai.parent, yen_bai.valid_to) == (qk2, LEGACY_END)
    # One command for each city, the same unit before and after the reform (domain-rules §9):
    # legacy Hà Nội is the Capital Command's, legacy Ho Chi Minh City the HCMC Command's.
    assert not OrgUnit.objects.filter(code__in=["BCHQS-01", "BCHQS-L-01", "BCHQS-L-79"]).exists()
    btltd, hcmc = OrgUnit.objects.get(code="BTLTD"), OrgUnit.objects.get(code="BCHQS-79")
    assert (hcmc.parent, hcmc.valid_from) == (OrgUnit.objects.get(code="QK7"), None)
    for command, province in ((btltd, "01"), (hcmc, "79")):
        assert sorted(
            Territory.objects.filter(org_unit=command, admin_unit__level="province").values_list(
                "admin_unit__edition", "admin_unit__code", "valid_to"
            )
        ) == [("2025", province, None), ("legacy", province, LEGACY_END)]
    assert OrgUnit.objects.filter(kind=OrgKind.DISTRICT_COMMAND, parent=btltd).exists()
    assert not OrgUnit.objects.filter(kind=OrgKind.PROVINCIAL_COMMAND, parent__isnull=True).exists()
    # The region covers its legacy provinces until 2025-06-30, its 2025 provinces after.
    covered = Territory.objects.filter(org_unit=qk2, admin_unit__code="15")
    assert sorted((t.admin_unit.edition, t.valid_from, t.valid_to) for t in covered) == [
        ("2025", REFORM, None),
        ("legacy", None, LEGACY_END),
    ]


def test_legacy_commands_built_before_the_region_table_are_placed_under_it(
    country: list[AdminUnit],
) -> None:
    OrgUnit.objects.filter(code__startswith="BCHQS-L-").update(parent=None)
    result = actions.orgs_build(include_legacy=True)
    assert result.legacy_commands_placed == 61  # the two cities' commands are not legacy units
    assert OrgUnit.objects.get(code="BCHQS-L-10").parent == OrgUnit.objects.get(code="QK2")
    assert actions.orgs_build(include_legacy=True).changed is False


def test_build_creates_the_structure_once(country: list[AdminUnit]) -> None:
    assert OrgUnit.objects.filter(kind=OrgKind.MILITARY_REGION).count() == 7
    btltd = OrgUnit.objects.get(code="BTLTD")
    assert btltd.kind == OrgKind.CAPITAL_COMMAND
    # Hà Nội's command is the Capital Command itself: no provincial "Bộ Chỉ huy Quân sự" (nor a
    # second unit of the same name) under it (domain-rules §9).
    assert (btltd.parent, btltd.name) == (None, "Bộ Tư lệnh Thủ đô Hà Nội")
    assert OrgUnit.objects.filter(name="Bộ Tư lệnh Thủ đô Hà Nội").count() == 1
    assert OrgUnit.objects.filter(name="Bộ Tư lệnh Thành phố Hồ Chí Minh").count() == 1
    assert OrgUnit.objects.get(code="BCHQS-79").name == "Bộ Tư lệnh Thành phố Hồ Chí Minh"
    assert OrgUnit.objects.get(code="BCHQS-38").name == "Bộ Chỉ huy Quân sự tỉnh Thanh Hóa"
    assert (
        OrgUnit.objects.filter(kind=OrgKind.PROVINCIAL_COMMAND, valid_to__isnull=True).count() == 33
    )
    hanoi = btltd
    adcs = list(OrgUnit.objects.filter(kind=OrgKind.AREA_DEFENCE_COMMAND).order_by("code"))
    assert [a.code for a in adcs] == ["PTKV-01-1", "PTKV-01-2"]
    assert all(a.parent == hanoi and a.name.startswith("Ban Chỉ huy PTKV ") for a in adcs)
    commune = OrgUnit.objects.get(code=f"BCHQS-X-{country[0].code}")
    assert commune.name == f"Ban Chỉ huy Quân sự xã {country[0].short_name}"
    assert commune.parent in adcs
    assert [p.title for p in commune.positions.all()] == [
        "Chỉ huy trưởng",
        "Chính trị viên",
        "Chỉ huy phó",
        "Chỉ huy phó",
        "Trợ lý tác chiến",
        "Trợ lý dân quân tự vệ",
        "Phó Chính trị viên",
    ]
    # Legacy echelon: one provincial and 8 district commands ending 2025-06-30.
    legacy = OrgUnit.objects.filter(kind=OrgKind.DISTRICT_COMMAND)
    assert legacy.count() == 8
    assert {u.valid_to for u in legacy} == {date(2025, 6, 30)}
    assert {u.parent.code for u in legacy if u.parent} == {
        "BTLTD"
    }  # legacy Hà Nội: the Capital Command
    [event] = _events("orgs.structure.loaded")
    assert event.data["counts"]["commune_commands"] == 40

    counts = (OrgUnit.objects.count(), Territory.objects.count(), Position.objects.count())
    second = actions.orgs_build(include_legacy=True)
    assert not second.changed
    assert (OrgUnit.objects.count(), Territory.objects.count(), Position.objects.count()) == counts
    assert len(_events("orgs.structure.loaded")) == 1  # a no-op run writes no audit event


def test_build_without_geo_data_names_the_problem() -> None:
    with pytest.raises(InvalidInput, match="effective_from: NO_PROVINCES_ON"):
        actions.orgs_build()


def test_region_province_assign_keeps_history(country: list[AdminUnit]) -> None:
    lam_dong = AdminUnit.objects.get(edition=Edition.V2025, level=Level.PROVINCE, code="68")
    qk5, qk7 = OrgUnit.objects.get(code="QK5"), OrgUnit.objects.get(code="QK7")
    row = actions.region_province_assign(
        province=lam_dong, region=qk5, effective_from=date(2025, 9, 1), acting_user=None
    )
    rows = list(Territory.objects.filter(admin_unit=lam_dong, org_unit__kind="military_region"))
    assert {(r.org_unit.code, r.valid_from, r.valid_to) for r in rows} == {
        ("QK7", REFORM, date(2025, 8, 31)),
        ("QK5", date(2025, 9, 1), None),
    }
    assert row.org_unit == qk5
    assert OrgUnit.objects.get(code="BCHQS-68").parent == qk5
    [event] = _events("orgs.region_province.assigned")
    assert (event.data["before"], event.data["after"]) == ("QK7", "QK5")
    # On the reform day itself it is a correction: no zero-length period.
    actions.region_province_assign(
        province=lam_dong, region=qk7, effective_from=date(2025, 9, 1), acting_user=None
    )
    assert (
        Territory.objects.filter(admin_unit=lam_dong, org_unit__kind="military_region").count() == 2
    )
    with pytest.raises(InvalidInput, match="region: ALREADY_IN_REGION"):
        actions.region_province_assign(
            province=lam_dong, region=qk7, effective_from=date(2025, 10, 1), acting_user=None
        )


def test_region_province_assign_rejects_bad_input(country: list[AdminUnit]) -> None:
    commune = country[0]
    adc = OrgUnit.objects.get(code="PTKV-01-1")
    with pytest.raises(InvalidInput) as caught:
        actions.region_province_assign(
            province=commune, region=adc, effective_from=REFORM, acting_user=None
        )
    assert {e.field for e in caught.value.errors} == {"province", "region"}


def test_territory_move_between_area_commands(country: list[AdminUnit]) -> None:
    commune = country[0]
    source = OrgUnit.objects.get(code="PTKV-01-1")
    if not source.territories.filter(admin_unit=commune).exists():
        source = OrgUnit.objects.get(code="PTKV-01-2")
    target = OrgUnit.objects.get(code="PTKV-01-1" if source.code.endswith("2") else "PTKV-01-2")
    before = queries.communes_of(target, date(2025, 12, 1)).count()
    actions.territory_move(
        admin_unit=commune,
        from_unit=source,
        to_unit=target,
        effective_from=date(2025, 12, 1),
        acting_user=None,
    )
    assert queries.communes_of(target, date(2025, 12, 1)).count() == before + 1
    assert commune not in queries.communes_of(target, date(2025, 11, 30))
    assert commune in queries.communes_of(source, date(2025, 11, 30))
    assert OrgUnit.objects.get(code=f"BCHQS-X-{commune.code}").parent == target
    [event] = _events("orgs.territory.changed")
    assert event.commune_code == commune.code
    # A rebuild does not hand the commune back.
    assert not actions.orgs_build().changed
    with pytest.raises(InvalidInput, match="from_unit: TERRITORY_NOT_COVERED"):
        actions.territory_move(
            admin_unit=commune,
            from_unit=source,
            to_unit=target,
            effective_from=date(2026, 1, 1),
            acting_user=None,
        )
    with pytest.raises(InvalidInput, match="to_unit: SAME_UNIT"):
        actions.territory_move(
            admin_unit=commune,
            from_unit=target,
            to_unit=target,
            effective_from=date(2026, 1, 1),
            acting_user=None,
        )


def test_appointments_end_the_previous_holder(country: list[AdminUnit]) -> None:
    unit = OrgUnit.objects.get(code=f"BCHQS-X-{country[0].code}")
    commander = unit.positions.get(ordinal=1)
    first = actions.appointment_make(
        position=commander,
        holder_name="Nguyễn Văn An",
        holder_personal_id="001090000001",
        rank="Đại úy",
        valid_from=date(2025, 7, 1),
        acting_user=None,
    )
    second = actions.appointment_make(
        position=commander,
        holder_name="Trần Văn Bình",
        valid_from=date(2026, 1, 1),
        acting_user=None,
    )
    first.refresh_from_db()
    assert first.valid_to == date(2025, 12, 31)
    assert second.valid_to is None
    holders = queries.positions_with_holders(unit, date(2025, 10, 1))
    assert holders[0].holder_name == "Nguyễn Văn An"
    assert holders[0].holder_personal_id == ""  # no viewer scope, no personal ID
    assert queries.positions_with_holders(unit, date(2026, 2, 1))[0].holder_name == "Trần Văn Bình"
    events = _events("orgs.appointment.made")
    assert len(events) == 2
    assert events[0].commune_code == country[0].code
    assert "001090000001" not in str(events[0].data)
    actions.appointment_end(appointment=second, valid_to=date(2026, 6, 30), acting_user=None)
    assert len(_events("orgs.appointment.ended")) == 1
    assert queries.positions_with_holders(unit, date(2026, 7, 1))[0].appointment is None
    with pytest.raises(InvalidInput, match="appointment: APPOINTMENT_ENDED"):
        actions.appointment_end(appointment=second, valid_to=date(2026, 7, 1), acting_user=None)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"holder_name": " "}, "holder_name"),
        ({"holder_personal_id": "12345"}, "holder_personal_id"),
        ({"rank": "x" * 61}, "rank"),
        ({"valid_from": date(2025, 1, 1)}, "valid_from"),  # before the commune command existed
    ],
)
def test_appointment_make_names_the_bad_field(
    country: list[AdminUnit], kwargs: dict[str, object], field: str
) -> None:
    position = OrgUnit.objects.get(code=f"BCHQS-X-{country[0].code}").positions.get(ordinal=1)
    args: dict[str, object] = {"holder_name": "Lê Văn Cường", "valid_from": date(2025, 8, 1)}
    args.update(kwargs)
    with pytest.raises(InvalidInput) as caught:
        actions.appointment_make(position=position, acting_user=None, **args)  # type: ignore[arg-type]
    assert [e.field for e in caught.value.errors] == [field]
    assert not Appointment.objects.exists()


def test_appointment_before_the_current_holder_is_refused(country: list[AdminUnit]) -> None:
    position = OrgUnit.objects.get(code=f"BCHQS-X-{country[0].code}").positions.get(ordinal=2)
    actions.appointment_make(
        position=position, holder_name="A", valid_from=date(2025, 9, 1), acting_user=None
    )
    with pytest.raises(InvalidInput, match="valid_from: APPOINTMENT_BEFORE_CURRENT"):
        actions.appointment_make(
            position=position, holder_name="B", valid_from=date(2025, 8, 1), acting_user=None
        )


def test_org_unit_rename(country: list[AdminUnit]) -> None:
    adc = OrgUnit.objects.get(code="PTKV-01-1")
    actions.org_unit_rename(org_unit=adc, name="Ban Chỉ huy PTKV 1 – Mới", acting_user=None)
    adc.refresh_from_db()
    assert adc.name == "Ban Chỉ huy PTKV 1 – Mới"
    [event] = _events("orgs.unit.updated")
    assert event.data["after"] == {"name": "Ban Chỉ huy PTKV 1 – Mới"}
    with pytest.raises(InvalidInput, match="name: REQUIRED"):
        actions.org_unit_rename(org_unit=adc, name="  ", acting_user=None)
    # The builder does not undo a rename.
    actions.orgs_build()
    adc.refresh_from_db()
    assert adc.name == "Ban Chỉ huy PTKV 1 – Mới"


def test_command_designations_keep_history(country: list[AdminUnit]) -> None:
    unit = OrgUnit.objects.get(code=f"BCHQS-X-{country[0].code}")
    set_ = actions.command_designations_set
    assert set_(
        org_unit=unit, designations={"border"}, valid_from=date(2025, 7, 1), acting_user=None
    ) == ["border"]
    assert set_(
        org_unit=unit,
        designations={"coastal", "type_1"},
        valid_from=date(2026, 1, 1),
        acting_user=None,
    ) == ["coastal", "type_1"]
    rows = CommandDesignation.objects.filter(org_unit=unit)
    assert set(rows.as_of(date(2025, 12, 31)).values_list("designation", flat=True)) == {"border"}
    assert set(rows.as_of(date(2026, 1, 1)).values_list("designation", flat=True)) == {
        "coastal",
        "type_1",
    }
    # The same set again changes nothing and writes no event.
    set_(
        org_unit=unit,
        designations={"coastal", "type_1"},
        valid_from=date(2026, 2, 1),
        acting_user=None,
    )
    events = _events("orgs.designation.set")
    assert [e.data["after"] for e in events] == [["border"], ["coastal", "type_1"]]
    assert events[1].data["before"] == ["border"]


def test_command_designations_refuse_bad_input(country: list[AdminUnit]) -> None:
    adc = OrgUnit.objects.get(code="PTKV-01-1")
    with pytest.raises(InvalidInput) as caught:
        actions.command_designations_set(
            org_unit=adc, designations={"mountain"}, valid_from=date(2026, 1, 1), acting_user=None
        )
    assert [e.code for e in caught.value.errors] == ["DESIGNATION_UNKNOWN", "NOT_A_COMMUNE_COMMAND"]
    assert not CommandDesignation.objects.exists()
