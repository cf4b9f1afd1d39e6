"""`muster callup candidates`: the CSV of a commune's candidate list, and its errors."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from muster.accounts.tests.factories import World, build_world
from muster.conscription.models import CallupCycle
from muster.conscription.rules.callup import years_before
from muster.conscription.tests.test_candidates import person_make

REF = date(2027, 2, 25)


@pytest.fixture
def world(db: None) -> World:
    world = build_world()
    CallupCycle.objects.create(
        year=2027, province=world.province, callup_date=REF, rules_version="2025-07"
    )
    person_make(world.communes[0], years_before(REF, 20))
    person_make(world.communes[0], years_before(REF, 17))
    person_make(world.communes[2], years_before(REF, 20))
    return world


def _run(*args: str) -> list[list[str]]:
    out = io.StringIO()
    call_command("callup", "candidates", *args, stdout=out)
    return list(csv.reader(io.StringIO(out.getvalue())))


def test_csv_of_the_commune_on_the_cycle_date(world: World) -> None:
    rows = _run("--year", "2027", "--commune", world.communes[0].code)
    assert rows[0] == ["personal_id", "full_name", "birth_date", "status", "reasons"]
    assert sorted((r[2], r[3], r[4]) for r in rows[1:]) == [
        ("2007-02-25", "unregistered", "REG_FIRST_AGE_MALE"),
        ("2010-02-25", "out_of_age", "CALLUP_AGE"),
    ]


def test_reference_date_given(world: World) -> None:
    rows = _run(
        "--year", "2027", "--commune", world.communes[0].code, "--reference-date", "2027-02-24"
    )
    assert [r[3] for r in rows[1:]] == ["unregistered"]  # the 17-year-old is not 17 yet


def test_out_file_and_json(world: World, tmp_path: Path) -> None:
    target = tmp_path / "list.csv"
    call_command(
        "callup", "candidates", "--year", "2027", "--commune", world.communes[0].code,
        "--out", str(target),
    )  # fmt: skip
    assert target.read_text(encoding="utf-8").startswith("personal_id,full_name,")
    out = io.StringIO()
    call_command(
        "callup", "candidates", "--year", "2027", "--commune", world.communes[0].code,
        "--format", "json", stdout=out,
    )  # fmt: skip
    assert '"status": "unregistered"' in out.getvalue()


def test_no_cycle_and_no_reference_date(world: World) -> None:
    with pytest.raises(CommandError, match="reference_date: CALLUP_NO_CYCLE"):
        _run("--year", "2030", "--commune", world.communes[0].code)
    assert len(_run("--year", "2030", "--commune", world.communes[0].code,
                    "--reference-date", "2030-02-20")) == 3  # fmt: skip


def test_unknown_commune(world: World) -> None:
    with pytest.raises(CommandError, match="commune: COMMUNE_NOT_2025"):
        _run("--year", "2027", "--commune", "12345")


def test_bad_date(world: World) -> None:
    with pytest.raises(CommandError, match="not a date"):
        _run(
            "--year", "2027", "--commune", world.communes[0].code, "--reference-date", "2027-13-01"
        )


def test_a_formula_name_is_neutralised_and_the_contract_kept(world: World) -> None:
    """Issue #13 finding 7: the machine CSV keeps ISO dates, codes and no BOM, and a name a
    spreadsheet would run gets a leading apostrophe."""
    from muster.people.models import Person

    Person.objects.filter(residence_commune=world.communes[0]).update(
        full_name='=HYPERLINK("http://evil.example","x")'
    )
    out = io.StringIO()
    call_command("callup", "candidates", "--year", "2027", "--commune", world.communes[0].code,
                 stdout=out)  # fmt: skip
    text = out.getvalue()
    assert not text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert {r[1] for r in rows[1:]} == {'\'=HYPERLINK("http://evil.example","x")'}
    assert sorted(r[2] for r in rows[1:]) == ["2007-02-25", "2010-02-25"]
