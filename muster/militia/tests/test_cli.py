"""`muster import militia` and `muster militia roster` (issue 16's contracts): the header
exactly, every good row through the join action with the decision `imported`, rejects whose
reason starts with the rule code, a re-run that changes nothing, xlsx like CSV; the roster's
columns, ISO dates in CSV, the statutory layout in xlsx."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from muster.accounts.tests.factories import World
from muster.audit.models import AuditEvent
from muster.militia import actions
from muster.militia.imports import COLUMNS
from muster.militia.models import MilitiaDecision, MilitiaMembership
from muster.militia.rules import CommuneFlags
from muster.people.models import Person
from muster.people.tests.factories import make_person

HEADER = ",".join(COLUMNS)


def run_import(path: Path, rejects: Path) -> str:
    out = io.StringIO()
    try:
        call_command("import", "militia", str(path), "--rejects", str(rejects), stdout=out)
    except SystemExit as exc:
        out.write(f"exit {exc.code}\n")
    return out.getvalue()


@pytest.fixture
def people(world: World) -> dict[str, Person]:
    actions.defence_commune_set(
        commune=world.communes[0],
        flags=CommuneFlags(border=True, key_defence=True),
        valid_from=date(2025, 7, 1),
        acting_user=None,
    )
    return {
        "an": make_person(world.communes[0], "Lò Văn An", birth_date=date(2000, 5, 17)),
        "binh": make_person(world.communes[0], "Lò Văn Bình", birth_date=date(2001, 1, 2)),
        "young": make_person(world.communes[0], "Lò Văn Chiến", birth_date=date(2008, 9, 1)),
        "far": make_person(world.communes[2], "Lò Văn Dũng", birth_date=date(1999, 3, 3)),
        "lan": make_person(world.communes[0], "Lò Thị Lan", sex="F", birth_date=date(2002, 2, 2)),
    }


def test_import_joins_good_rows_rejects_bad_ones_and_reruns_change_nothing(world, people, tmp_path):
    cmd = world.commune_commands[0].code
    lines = [
        HEADER,
        f"{people['an'].personal_id},{cmd},mobile,,2025-08-15,no",
        f"{people['binh'].personal_id},{cmd},standing,,2025-08-15,no",  # a key defence commune
        f"{people['lan'].personal_id},{cmd},specialised,medical,2025-08-15,no",
        f"{people['young'].personal_id},{cmd},in_place,,2026-08-31,no",  # 17 on the day
        f"{people['far'].personal_id},{cmd},in_place,,2025-08-15,no",  # lives in 99003
        f"{people['an'].personal_id},{cmd},mobile,,2025-08-15,no",  # an identical copy
        f"001099000000,{cmd},mobile,,2025-08-15,no",  # nobody
        f"{people['binh'].personal_id[:-1]}9,{cmd},naval,,2025-08-15,maybe",
    ]
    path = tmp_path / "militia.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    out = run_import(path, rejects)
    assert "read 8, joined 3, unchanged 0, rejected 4, warned 1" in out, out
    report = list(csv.DictReader(rejects.open(encoding="utf-8")))
    assert list(report[0]) == ["line", "personal_id", "field", "reason", "action"]
    by_line = {(int(r["line"]), r["field"]): r for r in report}
    assert by_line[(5, "joined_on")]["reason"].startswith("MILITIA_AGE: ")
    assert by_line[(6, "command_code")]["reason"].startswith("MILITIA_LIVES_ELSEWHERE: ")
    assert by_line[(7, "personal_id")]["action"] == "warned"
    assert by_line[(8, "personal_id")]["reason"].startswith("PERSON_NOT_IN_REGISTRY: ")
    assert by_line[(9, "volunteer")]["reason"].startswith("MILITIA_IMPORT_YES_NO: ")
    assert {r["action"] for r in report if int(r["line"]) != 7} == {"rejected"}
    joined = MilitiaMembership.objects.get(person=people["binh"])
    assert (joined.force_kind, joined.term_ends_on) == ("standing", date(2027, 8, 14))
    decision = MilitiaDecision.objects.get(membership=joined)
    assert (decision.number, decision.decided_on) == ("imported", date(2025, 8, 15))
    before = (
        MilitiaMembership.objects.count(),
        AuditEvent.objects.exclude(action="militia.import.completed").count(),
    )
    again = run_import(path, tmp_path / "again.csv")
    assert "read 8, joined 0, unchanged 3, rejected 4, warned 1" in again, again
    after = (
        MilitiaMembership.objects.count(),
        AuditEvent.objects.exclude(action="militia.import.completed").count(),
    )
    assert after == before


def test_import_refuses_a_wrong_header_whole(world, people, tmp_path):
    path = tmp_path / "militia.csv"
    path.write_text(
        "personal_id,command,force_kind,specialty,joined_on,volunteer\n"
        f"{people['an'].personal_id},{world.commune_commands[0].code},mobile,,2025-08-15,no\n",
        encoding="utf-8",
    )
    out = run_import(path, tmp_path / "r.csv")
    assert "refused, nothing changed — columns" in out
    assert "exit 2" in out
    assert not MilitiaMembership.objects.exists()


def test_import_reads_xlsx_like_csv(world, people, tmp_path):
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(list(COLUMNS))
    sheet.append(
        [
            people["an"].personal_id,
            world.commune_commands[0].code,
            "in_place",
            None,
            date(2025, 8, 15),
            "yes",
        ]
    )
    path = tmp_path / "militia.xlsx"
    book.save(path)
    out = run_import(path, tmp_path / "r.csv")
    assert "joined 1" in out, out
    assert MilitiaMembership.objects.get(person=people["an"]).volunteer


def roster(*args: str) -> str:
    out = io.StringIO()
    call_command("militia", "roster", *args, stdout=out)
    return out.getvalue()


def test_roster_csv_and_xlsx(world, people, tmp_path):
    command = world.commune_commands[0]
    for key, kind in (("an", "mobile"), ("binh", "in_place")):
        actions.militia_join(
            person=people[key], unit=command, joined_on=date(2025, 8, 15), force_kind=kind,
            acting_user=None,
        )  # fmt: skip
    rows = list(
        csv.reader(
            io.StringIO(
                roster("--command", command.code, "--as-of", "2026-01-01", "--format", "csv")
            )
        )
    )
    assert rows[0] == [
        "personal_id",
        "full_name",
        "force_kind",
        "specialty",
        "unit",
        "joined_on",
        "term_ends_on",
        "status",
    ]
    assert rows[1:] == [
        [
            people["binh"].personal_id,
            "Lò Văn Bình",
            "in_place",
            "",
            "",
            "2025-08-15",
            "2029-08-14",
            "serving",
        ],
        [
            people["an"].personal_id,
            "Lò Văn An",
            "mobile",
            "",
            "",
            "2025-08-15",
            "2029-08-14",
            "serving",
        ],
    ]
    assert (
        len(
            list(
                csv.reader(
                    io.StringIO(
                        roster(
                            "--command", command.code, "--as-of", "2025-08-14", "--format", "csv"
                        )
                    )
                )
            )
        )
        == 1
    )
    out = tmp_path / "roster.xlsx"
    roster(
        "--command", command.code, "--as-of", "2026-01-01", "--format", "xlsx", "--out", str(out)
    )
    sheet = load_workbook(out).worksheets[0]
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    text = " ".join(str(v) for row in values for v in row)
    assert "personal_id" in text
    assert people["an"].personal_id in text
    dated = [c for row in sheet.iter_rows() for c in row if getattr(c, "is_date", False)]
    assert dated
    assert all(c.number_format == "dd/mm/yyyy" for c in dated)
    header_row = next(i for i, row in enumerate(values) if row and row[0] == "personal_id")
    assert header_row > 0  # the heading block comes first
    assert len(values) > header_row + 3  # and the signature block after the members
