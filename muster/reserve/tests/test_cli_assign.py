"""`muster reserve assign`: the plan file's columns exactly as the contract says, a proposal
only without --commit, assignments from the day with it."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from muster.reserve.management.subcommands.assign import PLAN_COLUMNS
from muster.reserve.models_units import ReserveAssignment
from muster.reserve.queries import assigned_reserve_unit_on
from muster.reserve.tests.factories_units import DAY, reservist, unit

pytestmark = pytest.mark.django_db


def test_plan_file_and_commit(world, tmp_path: Path) -> None:
    made = unit(world, "DBDV-1", [("Xạ thủ", "INFANTRY", 1), ("Lái xe", "DRIVER", 1)])
    exact = reservist(world.communes[0], name="Lê Văn Một")
    near = reservist(world.communes[1], specialty="VEHICLE_MECHANIC", category=2, name="Lê Văn Hai")
    out = tmp_path / "plan.csv"
    call_command(
        "reserve", "assign", "--province", "99", "--as-of", DAY.isoformat(), "--out", str(out),
        stdout=StringIO(),
    )  # fmt: skip
    assert PLAN_COLUMNS == (
        "unit_code",
        "position",
        "specialty",
        "personal_id",
        "match",
        "category",
    )
    with out.open(encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == list(PLAN_COLUMNS)
    assert sorted(rows[1:]) == sorted(
        [
            ["DBDV-1", "Xạ thủ", "INFANTRY", exact.personal_id, "exact", "1"],
            ["DBDV-1", "Lái xe", "DRIVER", near.personal_id, "near", "2"],
        ]
    )
    assert not ReserveAssignment.objects.exists()  # a proposal only
    said = StringIO()
    call_command(
        "reserve", "assign", "--province", "99", "--as-of", DAY.isoformat(), "--out", str(out),
        "--commit", stdout=said,
    )  # fmt: skip
    assert "committed from 2026-03-01: 2 opened" in said.getvalue()
    assert assigned_reserve_unit_on(near.pk, DAY) == made.code
