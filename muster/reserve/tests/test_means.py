"""Reserve technical means: the registry file's rows (LLDBĐV Art. 2(3), 13), capabilities and
their similar ones, the assignment to units (Art. 18), the import run twice, and staff's
registration, changes and retirement of one item."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from muster.accounts.models import Role, User
from muster.accounts.tests.factories import World
from muster.audit.models import AuditEvent
from muster.core.errors import InvalidInput, PermissionDenied
from muster.reserve import means_actions, means_rules
from muster.reserve.means_rules import Means, Need, assign_means, capability_match
from muster.reserve.models_units import MeansAssignment, MeansNeed, TechnicalMeans
from muster.reserve.tests.factories_units import province, unit

COMMUNES = frozenset({"99001"})
GOOD = {
    "kind": "vehicle",
    "registration": "29C-123.45",
    "capability": "cargo_truck",
    "capacity": "5 t",
    "owner": "Công ty Vận tải Một",
    "commune": "99001",
    "state": "ready",
    "registry": "Sở Xây dựng",
}


@pytest.mark.parametrize(
    ("change", "codes"),
    [
        ({}, []),
        ({"kind": "aircraft"}, ["MEANS_KIND", "MEANS_CAPABILITY"]),
        ({"capability": "excavator"}, ["MEANS_CAPABILITY"]),  # a machine, not a vehicle
        ({"registration": " "}, ["MEANS_REGISTRATION_REQUIRED"]),
        ({"owner": ""}, ["MEANS_OWNER_REQUIRED"]),
        ({"commune": "12345"}, ["MEANS_COMMUNE"]),
        ({"state": "lost"}, ["MEANS_STATE"]),
    ],
)
def test_row_problems(change: dict[str, str], codes: list[str]) -> None:
    found = means_rules.means_row_problems({**GOOD, **change}, COMMUNES)
    assert [e.code for e in found] == codes


@pytest.mark.parametrize(
    ("needed", "offered", "match"),
    [
        ("cargo_truck", "cargo_truck", "exact"),
        ("cargo_truck", "tanker_truck", "near"),  # Art. 18: a similar capability
        ("cargo_truck", "excavator", None),
    ],
)
def test_capability_match(needed: str, offered: str, match: str | None) -> None:
    assert capability_match(needed, offered) == match


def test_assign_means_exact_first_main_force_first_ready_only() -> None:
    needs = [
        Need(unit_id=1, capability="cargo_truck", count=1, force="local", area_id=5),
        Need(unit_id=2, capability="cargo_truck", count=1, force="main", area_id=6),
    ]
    means = [
        Means(10, "cargo_truck", 5, True),
        Means(11, "tanker_truck", 5, True),
        Means(12, "cargo_truck", 6, False),  # in repair: not assigned
    ]
    placed = {(p.means_id, p.unit_id, p.match) for p in assign_means(needs, means)}
    # The main-force unit takes the one exact truck; the local one a similar one (Art. 18).
    assert placed == {(10, 2, "exact"), (11, 1, "near")}


def test_area_first_within_a_unit() -> None:
    needs = [Need(unit_id=1, capability="radio_set", count=1, force="main", area_id=6)]
    means = [Means(10, "radio_set", 5, True), Means(11, "radio_set", 6, True)]
    assert [p.means_id for p in assign_means(needs, means)] == [11]


@pytest.mark.django_db
def test_import_is_rerun_safe_and_means_go_to_units(world, tmp_path: Path) -> None:
    path = tmp_path / "xe-2026.csv"
    header = ",".join(means_rules.MEANS_COLUMNS)
    bad = {**GOOD, "registration": "29C-999.99", "state": "lost"}
    lines = [header, ",".join(GOOD.values()), ",".join(bad.values())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = means_actions.means_import(path=path, year=2026, acting_user=None)
    assert (first.created, first.updated, first.unchanged) == (1, 0, 0)
    assert [(line, [e.code for e in errors]) for line, errors in first.rejects] == [
        (3, ["MEANS_STATE"])
    ]
    again = means_actions.means_import(path=path, year=2026, acting_user=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert TechnicalMeans.objects.count() == 1
    assert AuditEvent.objects.filter(action="reserve.means.imported").count() == 1

    made = unit(world, "DBDV-1", [], role="logistics")
    MeansNeed.objects.create(unit=made, capability="cargo_truck", count=2)
    counts = means_actions.means_assign(
        province=province(world), day=date(2026, 3, 1), acting_user=None
    )
    assert counts == {"assigned": 1, "kept": 0, "opened": 1, "closed": 0}
    assert MeansAssignment.objects.get().match == "exact"
    counts = means_actions.means_assign(
        province=province(world), day=date(2026, 4, 1), acting_user=None
    )
    assert counts["kept"] == 1


@pytest.mark.django_db
def test_header_must_be_exact(world, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("kind,registration\n", encoding="utf-8")
    with pytest.raises(InvalidInput):
        means_actions.means_import(path=path, year=2026, acting_user=None)


@pytest.mark.django_db
def test_a_means_need_is_audited_under_its_own_name(world) -> None:
    made = unit(world, "DBDV-2", [], role="logistics")
    need = means_actions.means_need_set(
        unit=made, capability="cargo_truck", count=3, acting_user=None
    )
    assert need is not None
    assert need.count == 3
    event = AuditEvent.objects.get(action="reserve.means.need_set")
    assert event.data == {"capability": "cargo_truck", "count": 3}
    assert not AuditEvent.objects.filter(action="reserve.post.saved").exists()


# ── Staff's register: one item registered, changed and taken off by hand (LLDBĐV Art. 13) ──


def _register(world: World, user: User | None = None, **change: object) -> TechnicalMeans:
    data: dict[str, Any] = {
        "kind": "vehicle",
        "registration": "24C-555.01",
        "capability": "cargo_truck",
        "capacity": "8 t",
        "owner": "Công ty Vận tải Hai",
        "commune": world.communes[0],
        "state": "ready",
        "registry": "Sở Xây dựng",
        "registered_year": 2026,
        **change,
    }
    return means_actions.means_register(acting_user=user, **data)


@pytest.mark.django_db
def test_staff_register_one_item_checked_like_a_file_row(world: World) -> None:
    staff = world.user("tinh", Role.PROVINCE_STAFF, world.provincial)
    made = _register(world, staff)
    event = AuditEvent.objects.get(action="reserve.means.registered")
    assert (event.commune_code, event.data["registration"]) == ("99001", "24C-555.01")
    assert made.registered_year == 2026
    # The same kind and number again, a machine's capability for a vehicle, a year ahead.
    with pytest.raises(InvalidInput) as refused:
        _register(world, staff, capability="excavator", registered_year=2099)
    assert [e.code for e in refused.value.errors] == [
        "MEANS_CAPABILITY",
        "MEANS_YEAR",
        "MEANS_DUPLICATE",
    ]
    with pytest.raises(InvalidInput) as long:
        _register(world, staff, registration="X" * 41)
    assert [e.code for e in long.value.errors] == ["TOO_LONG"]
    # A commune command's staff see the register but do not keep it (reserve.means.edit).
    commune_staff = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    with pytest.raises(PermissionDenied):
        _register(world, commune_staff, registration="24C-555.02")
    assert TechnicalMeans.objects.count() == 1


@pytest.mark.django_db
def test_staff_change_an_item_but_not_its_identity_nor_once_retired(world: World) -> None:
    staff = world.user("tinh", Role.PROVINCE_STAFF, world.provincial)
    made = _register(world, staff)
    changed = means_actions.means_update(
        means=made,
        capability="tanker_truck",
        capacity="10 m³",
        owner="Công ty Vận tải Hai",
        commune=world.communes[2],
        state="repair",
        registry="Sở Xây dựng",
        acting_user=staff,
    )
    assert (changed.capability, changed.state, changed.commune) == (
        "tanker_truck",
        "repair",
        world.communes[2],
    )
    event = AuditEvent.objects.get(action="reserve.means.updated")
    assert event.data["commune"] == "99003"
    assert event.data["state"] == "repair"
    assert "owner" not in event.data  # only what changed
    means_actions.means_retire(
        means=changed, retired_on=date(2026, 5, 1), reason="scrapped", acting_user=staff
    )
    with pytest.raises(InvalidInput) as refused:
        means_actions.means_update(
            means=changed,
            capability="tanker_truck",
            capacity="",
            owner="X",
            commune=world.communes[2],
            state="ready",
            registry="X",
            acting_user=staff,
        )
    assert [e.code for e in refused.value.errors] == ["MEANS_RETIRED"]


@pytest.mark.django_db
def test_retired_means_leave_their_unit_and_are_no_longer_assigned(world: World) -> None:
    made = _register(world)
    spare = _register(world, registration="24C-555.02")
    needing = unit(world, "DBDV-3", [], role="logistics")
    MeansNeed.objects.create(unit=needing, capability="cargo_truck", count=1)
    means_actions.means_assign(province=province(world), day=date(2026, 3, 1), acting_user=None)
    held = MeansAssignment.objects.get()
    assert held.means == made
    bad: list[tuple[dict[str, Any], list[str]]] = [
        ({"retired_on": date(2026, 2, 1), "reason": "scrapped"}, ["MEANS_RETIRED_BEFORE_ASSIGNED"]),
        ({"retired_on": date(2099, 1, 1), "reason": "scrapped"}, ["DATE_IN_FUTURE"]),
        ({"retired_on": date(2026, 4, 1), "reason": "stolen"}, ["MEANS_RETIRE_REASON"]),
    ]
    for data, codes in bad:
        with pytest.raises(InvalidInput) as refused:
            means_actions.means_retire(means=made, acting_user=None, **data)
        assert [e.code for e in refused.value.errors] == codes
    means_actions.means_retire(
        means=made, retired_on=date(2026, 4, 30), reason="transferred", acting_user=None
    )
    held.refresh_from_db()
    assert held.valid_to == date(2026, 4, 30)
    event = AuditEvent.objects.get(action="reserve.means.retired")
    assert event.data["assignment_closed"] == held.pk
    with pytest.raises(InvalidInput) as twice:
        means_actions.means_retire(
            means=made, retired_on=date(2026, 5, 1), reason="scrapped", acting_user=None
        )
    assert [e.code for e in twice.value.errors] == ["MEANS_RETIRED"]
    # The next assignment run takes the other truck; the retired one stays out.
    means_actions.means_assign(province=province(world), day=date(2026, 6, 1), acting_user=None)
    current = MeansAssignment.objects.get(valid_to__isnull=True)
    assert current.means == spare
