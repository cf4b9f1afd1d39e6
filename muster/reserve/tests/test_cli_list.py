"""`muster reserve list`: the contract's columns, category/group/status as of the day,
codes and ISO dates, every person written logged as read."""

from __future__ import annotations

import csv
import io
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from muster.accounts.tests.factories import World
from muster.audit.models import ReadEvent
from muster.people.tests.factories import make_person
from muster.reserve import actions, rules

HEADER = "personal_id,full_name,sex,birth_date,category,group,basis,rank,specialty,unit,status"


def _people(world: World) -> None:
    young = make_person(world.communes[0], "Hoàng Văn Dự", personal_id="099200000111",
                        birth_date=date(1990, 4, 2))  # fmt: skip
    woman = make_person(world.communes[1], "Lê Thị Hoa", personal_id="099200000222", sex="F",
                        birth_date=date(1985, 1, 10))  # fmt: skip
    elsewhere = make_person(world.communes[2], "Trần Văn Xa", personal_id="099200000333")
    m, _ = actions.reserve_enter(person=young, entry=rules.ReserveEntry(2, "RES_CAT2_D"),
                                 entered_on=date(2020, 5, 1), source="t", rank="BINH_NHI",
                                 specialty="DRIVER", acting_user=None)  # fmt: skip
    actions.reserve_category1_record(membership=m, training_from=date(2024, 1, 2),
                                     training_to=date(2024, 7, 1), acting_user=None)  # fmt: skip
    actions.reserve_enter(person=woman, entry=rules.ReserveEntry(2, "RES_CAT2_DD"),
                          entered_on=date(2010, 5, 1), source="t", acting_user=None)  # fmt: skip
    actions.reserve_enter(person=elsewhere, entry=rules.ReserveEntry(1, "RES_CAT1_A"),
                          entered_on=date(2022, 5, 1), source="t", acting_user=None)  # fmt: skip


def test_commune_csv_as_of_a_day(world, tmp_path):
    _people(world)
    out = tmp_path / "r.csv"
    call_command("reserve", "list", "--commune", "99001", "--as-of", "2024-06-30",
                 "--format", "csv", "--out", str(out), stdout=StringIO())  # fmt: skip
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == HEADER
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["personal_id"], r["category"], r["group"], r["status"]) for r in rows] == [
        ("099200000111", "2", "A", "in_reserve")  # 34, category 1 only from 01/07/2024
    ]
    assert rows[0]["birth_date"] == "1990-04-02"
    assert (rows[0]["basis"], rows[0]["rank"], rows[0]["specialty"]) == (
        "RES_CAT2_D", "BINH_NHI", "DRIVER",
    )  # fmt: skip
    later = StringIO()
    call_command("reserve", "list", "--commune", "99001", "--as-of", "2026-06-30",
                 "--format", "csv", stdout=later)  # fmt: skip
    row = next(csv.DictReader(io.StringIO(later.getvalue())))
    assert (row["category"], row["group"]) == ("1", "B")
    assert ReadEvent.objects.filter(action="reserve.register.viewed", channel="cli").count() == 2


def test_province_xlsx_and_the_age_limit(world, tmp_path):
    _people(world)
    out = tmp_path / "r.xlsx"
    call_command("reserve", "list", "--province", world.province.code, "--as-of", "2026-01-10",
                 "--format", "xlsx", "--out", str(out), stdout=StringIO())  # fmt: skip
    sheet = load_workbook(out).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert tuple(values[0]) == tuple(HEADER.split(","))
    status = {row[0]: row[-1] for row in values[1:]}
    # Lê Thị Hoa is 41 from 10/01/2026: out at the age limit of 40 (MSL Art. 25).
    assert status == {"099200000111": "in_reserve", "099200000222": "aged_out",
                      "099200000333": "in_reserve"}  # fmt: skip


def test_unknown_area(world):
    out = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("reserve", "list", "--commune", "12345", "--format", "csv", stdout=out)
    assert exc.value.code == 2
    assert "12345" in out.getvalue()
