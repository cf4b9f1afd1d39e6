"""`muster cadres positions --command CODE --format csv`: the contract's columns exactly."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from muster.cadres import actions
from muster.cadres.tests.factories import certificate, positions_of
from muster.people.tests.factories import make_person


def test_positions_csv(world):
    unit = world.commune_commands[0]
    positions = positions_of(unit)
    person = make_person(world.communes[0], "Vũ Văn Long", personal_id="099200000030")
    certificate(person, "gm_college", date(2020, 1, 1))
    actions.position_appoint(
        position=positions[1], person=person, valid_from=date(2025, 9, 2), acting_user=None
    )
    actions.position_appoint(
        position=positions[3], person=person, valid_from=date(2025, 9, 2), acting_user=None
    )
    out = io.StringIO()
    call_command(
        "cadres",
        "positions",
        "--command",
        unit.code,
        "--as-of",
        "2026-01-01",
        "--format",
        "csv",
        stdout=out,
    )
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == [
        "position",
        "holder_personal_id",
        "holder_name",
        "since",
        "qualified",
        "gaps",
    ]
    assert rows[1] == [
        "Chỉ huy trưởng",
        "099200000030",
        "Vũ Văn Long",
        "2025-09-02",
        "no",
        "CADRE_POLITICAL_THEORY CADRE_RESERVE_OFFICER",
    ]
    assert rows[3] == ["Chỉ huy phó", "099200000030", "Vũ Văn Long", "2025-09-02", "yes", ""]
    # The second deputy is not established in an ordinary commune (Decree 72/2020 Art. 4).
    assert [r[0] for r in rows[1:]] == [
        "Chỉ huy trưởng",
        "Chính trị viên",
        "Chỉ huy phó",
        "Trợ lý tác chiến",
        "Trợ lý dân quân tự vệ",
        "Phó Chính trị viên",
    ]
    assert rows[2][1:] == ["", "", "", "", ""]  # vacant


def test_unknown_command(world):
    with pytest.raises(CommandError, match="NOPE"):
        call_command("cadres", "positions", "--command", "NOPE", "--format", "csv")
