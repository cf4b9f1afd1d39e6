"""`muster import service|reserve`: the header exactly as the contract says, each row through
the actions (a service row enters the reserve by the discharge rules of MSL Art. 24), refusals
in the rejects report with the rule's code, a re-run changes nothing."""

from __future__ import annotations

import csv
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from muster.accounts.tests.factories import World, build_world
from muster.audit.models import AuditEvent
from muster.conscription.imports.file import ImportRefused
from muster.conscription.imports.history import HistoryResult, history_import
from muster.conscription.models import ServiceRecord
from muster.people.models import Person
from muster.people.tests.factories import make_person
from muster.reserve.models import ReserveMembership
from muster.worklists.models import WorkItem

SERVICE_HEADER = "personal_id, enlisted_on, discharged_on, unit"
RESERVE_HEADER = "personal_id, basis, entered_on, rank, specialty"


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


@pytest.fixture
def people(world: World) -> dict[str, Person]:
    c1 = world.communes[0]
    return {
        "soldier": make_person(c1, "Trần Văn Nam", birth_date=date(2000, 6, 1)),
        "short": make_person(c1, "Lê Văn Ngắn", birth_date=date(2001, 6, 1)),
        "older": make_person(c1, "Phạm Văn Lớn", birth_date=date(1990, 6, 1)),
        "woman": make_person(c1, "Trần Thị Lan", sex="F", birth_date=date(1996, 6, 1)),
    }


def write(tmp_path: Path, header: str, *lines: str) -> Path:
    path = tmp_path / "in.csv"
    path.write_text("\n".join([header, *lines, ""]), encoding="utf-8")
    return path


def rejects(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run(kind: str, path: Path, tmp_path: Path) -> HistoryResult:
    return history_import(kind, path, rejects=tmp_path / "rejects.csv")


def test_service_rows_become_service_and_reserve_entries(people, tmp_path):
    soldier, short = people["soldier"], people["short"]
    path = write(
        tmp_path,
        SERVICE_HEADER,
        f"{soldier.personal_id},2019-02-20,2021-02-20,Trung đoàn 1",
        f"{short.personal_id},2020-02-20,2020-06-01,Trung đoàn 2",
        "099000000000,2020-02-20,2022-02-20,Trung đoàn 3",
        f"{people['older'].personal_id},2020-02-20,,Trung đoàn 4",
    )
    result = run("service", path, tmp_path)
    assert (result.read, result.inserted, result.rejected) == (4, 2, 2)
    record = ServiceRecord.objects.get(person=soldier)
    assert (record.enlisted_on, record.discharged_on, record.source) == (
        date(2019, 2, 20),
        date(2021, 2, 20),
        "import",
    )
    entries = {
        m.person_id: (m.category, m.basis_code, m.valid_from)
        for m in ReserveMembership.objects.all()
    }
    assert entries == {
        soldier.pk: (1, "RES_CAT1_A", date(2021, 2, 20)),
        short.pk: (2, "RES_CAT2_A", date(2020, 6, 1)),
    }
    # A past discharge was registered back then: no report item waits for it.
    assert not WorkItem.objects.exists()
    assert {
        (r["line"], r["field"], r["reason"].split(":")[0])
        for r in rejects(tmp_path / "rejects.csv")
    } == {
        ("4", "personal_id", "PERSON_NOT_IN_REGISTRY"),
        ("5", "discharged_on", "REQUIRED"),
    }
    again = run("service", path, tmp_path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    assert ServiceRecord.objects.count() == 2
    assert ReserveMembership.objects.count() == 2
    assert AuditEvent.objects.filter(action="conscription.import.completed").count() == 2


def test_reserve_rows_on_their_basis(people, tmp_path):
    older, woman, soldier = people["older"], people["woman"], people["soldier"]
    path = write(
        tmp_path,
        RESERVE_HEADER,
        f"{older.personal_id},RES_CAT2_D,2020-01-15,,",
        f"{woman.personal_id},RES_CAT2_DD,2022-04-10,BINH_NHI,MEDIC",
        f"{soldier.personal_id},RES_CAT2_DD,2022-04-10,,",  # a man on the women's point
        f"{soldier.personal_id},RES_CAT9_Z,2022-04-10,,",
        f"{soldier.personal_id},RES_CAT1_E,2022-04-10,GENERAL,PILOT",
    )
    result = run("reserve", path, tmp_path)
    assert (result.inserted, result.rejected) == (2, 3)
    assert {
        m.person_id: (m.category, m.basis_code, m.rank, m.specialty, m.source)
        for m in ReserveMembership.objects.all()
    } == {
        older.pk: (2, "RES_CAT2_D", "", "", "import:RES_CAT2_D:2020-01-15"),
        woman.pk: (2, "RES_CAT2_DD", "BINH_NHI", "MEDIC", "import:RES_CAT2_DD:2022-04-10"),
    }
    reasons = {(r["line"], r["reason"].split(":")[0]) for r in rejects(tmp_path / "rejects.csv")}
    assert reasons == {
        ("4", "RESERVE_BASIS_SEX"),
        ("5", "RESERVE_BASIS_UNKNOWN"),
        ("6", "RESERVE_RANK_UNKNOWN"),
        ("6", "RESERVE_SPECIALTY_UNKNOWN"),
    }
    assert run("reserve", path, tmp_path).unchanged == 2
    assert ReserveMembership.objects.count() == 2
    changed = write(tmp_path, RESERVE_HEADER, f"{woman.personal_id},RES_CAT2_DD,2022-04-10,HA_SI,")
    assert run("reserve", changed, tmp_path).updated == 1
    assert ReserveMembership.objects.get(person=woman).rank == "HA_SI"


def test_conflicting_obligations_are_refused(people, tmp_path):
    soldier = people["soldier"]
    run(
        "reserve",
        write(tmp_path, RESERVE_HEADER, f"{soldier.personal_id},RES_CAT1_E,2020-01-01,,"),
        tmp_path,
    )
    result = run(
        "service",
        write(
            tmp_path, SERVICE_HEADER, f"{soldier.personal_id},2021-02-20,2023-02-20,Trung đoàn 1"
        ),
        tmp_path,
    )
    # The enlistment closed the militia-based period; the discharge opens a new one.
    assert result.inserted == 1
    periods = list(ReserveMembership.objects.filter(person=soldier).order_by("valid_from"))
    assert [(p.basis_code, p.valid_to, p.left_reason) for p in periods] == [
        ("RES_CAT1_E", date(2021, 2, 19), "active_service"),
        ("RES_CAT1_A", None, ""),
    ]
    again = run(
        "reserve",
        write(tmp_path, RESERVE_HEADER, f"{soldier.personal_id},RES_CAT1_E,2024-01-01,,"),
        tmp_path,
    )
    assert again.rejected == 1
    assert rejects(tmp_path / "rejects.csv")[0]["reason"].startswith("RESERVE_ALREADY_MEMBER")


@pytest.mark.parametrize(
    ("kind", "header"),
    [
        ("service", "personal_id, enlisted_on, discharged_on"),
        ("reserve", "personal_id, basis, entered_on, rank, specialty, unit"),
    ],
)
def test_the_header_is_a_contract(people, tmp_path, kind, header):
    with pytest.raises(ImportRefused, match="columns"):
        run(kind, write(tmp_path, header, "1,2,3"), tmp_path)
    assert not ReserveMembership.objects.exists()


def test_the_command(people, tmp_path):
    path = write(tmp_path, RESERVE_HEADER, f"{people['older'].personal_id},RES_CAT2_D,2020-01-15,,")
    out = StringIO()
    call_command("import", "reserve", str(path), "--rejects", str(tmp_path / "r.csv"), stdout=out)
    assert "inserted 1" in out.getvalue()
    assert (tmp_path / "r.csv").exists()
