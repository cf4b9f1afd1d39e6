"""Reserve technical means: the registry file's rows (LLDBĐV Art. 2(3), 13), capabilities and
their similar ones, the assignment to units (Art. 18), and the import run twice."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from muster.audit.models import AuditEvent
from muster.core.errors import InvalidInput
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
