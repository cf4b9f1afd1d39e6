"""`muster import registrations|health|deferrals`: file-level refusals change nothing, rows are
checked and reported, re-runs change nothing. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from muster.accounts.tests.factories import World, build_world
from muster.audit.models import AuditEvent
from muster.conscription.imports.file import ImportRefused
from muster.conscription.imports.records import records_import
from muster.conscription.models import GroundDecision, HealthExam, Registration
from muster.core.sealed import unseal
from muster.people.tests.factories import make_person

REG_HEADER = "personal_id,registered_on,education_level,occupation"
HEALTH_HEADER = "personal_id,examined_on,health_class,myopia_diopters,hyperopia,bmi,drug_addiction"
DEF_HEADER = "personal_id,kind,ground_code,decided_on,valid_until"


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def people(world):
    c1 = world.communes[0]
    return {
        "man": make_person(c1, "Trần Văn Nam", birth_date=date(2005, 6, 1)),
        "boy": make_person(c1, "Trần Văn Bé", birth_date=date(2009, 6, 1)),
        "woman": make_person(c1, "Trần Thị Lan", sex="F", birth_date=date(2000, 6, 1)),
        "old": make_person(c1, "Trần Văn Già", birth_date=date(1980, 6, 1)),
    }


def write(
    tmp_path: Path, header: str, *lines: str, name: str = "in.csv", bom: bool = False
) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "\n".join([header, *lines, ""]).encode())
    return path


def rejects(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run(kind: str, path: Path, tmp_path: Path):
    return records_import(kind, path, rejects=tmp_path / "rejects.csv", batch_rows=2)


# ── Registrations ─────────────────────────────────────────────────────────────────────────


def test_registrations_load_reject_and_rerun_unchanged(tmp_path, people):
    man, boy, woman = people["man"], people["boy"], people["woman"]
    path = write(
        tmp_path,
        REG_HEADER,
        f"{man.personal_id},2022-04-10,grade_12,Học sinh",
        f"{woman.personal_id},2024-05-01,university,Y tá",
        f"{boy.personal_id},2025-04-01,,",  # turns 17 in 2026: too early
        "099999999999,2024-05-01,,",  # unknown ID
        f"{man.personal_id},2023-04-10,grade_13,",  # bad education level
        f"{man.personal_id},2024/04/10,,",  # bad date
    )
    result = run("registrations", path, tmp_path)
    assert (result.read, result.inserted, result.rejected) == (6, 2, 4)
    report = {(r["line"], r["field"]) for r in rejects(tmp_path / "rejects.csv")}
    assert report == {
        ("4", "registered_on"),
        ("5", "personal_id"),
        ("6", "education_level"),
        ("7", "registered_on"),
    }
    assert all(r["action"] == "rejected" for r in rejects(tmp_path / "rejects.csv"))
    kinds = dict(Registration.objects.values_list("person__personal_id", "kind"))
    assert kinds == {man.personal_id: "first", woman.personal_id: "female"}
    again = run("registrations", path, tmp_path)
    assert (again.inserted, again.updated, again.unchanged, again.rejected) == (0, 0, 2, 4)
    assert AuditEvent.objects.filter(action="conscription.import.completed").count() == 2


def test_changed_values_update_and_a_later_registration_is_a_transfer(tmp_path, people):
    man = people["man"]
    run(
        "registrations",
        write(tmp_path, REG_HEADER, f"{man.personal_id},2022-04-10,grade_11,"),
        tmp_path,
    )
    path = write(
        tmp_path,
        REG_HEADER,
        f"{man.personal_id},2022-04-10,grade_12,",
        f"{man.personal_id},2024-01-02,grade_12,",
    )
    result = run("registrations", path, tmp_path)
    assert (result.inserted, result.updated, result.unchanged) == (1, 1, 0)
    assert list(
        Registration.objects.order_by("registered_on").values_list("kind", "education_level")
    ) == [
        ("first", "grade_12"),
        ("transfer", "grade_12"),
    ]


def test_duplicate_rows_identical_skipped_conflicting_rejected_naming_the_first(tmp_path, people):
    pid = people["man"].personal_id
    path = write(
        tmp_path,
        REG_HEADER,
        f"{pid},2022-04-10,grade_12,",
        f"{pid},2022-04-10,grade_12,",
        f"{pid},2022-04-10,grade_9,",
    )
    result = run("registrations", path, tmp_path)
    assert (result.inserted, result.skipped, result.rejected) == (1, 1, 1)
    rows = rejects(tmp_path / "rejects.csv")
    assert [(r["line"], r["action"]) for r in rows] == [("3", "warned"), ("4", "rejected")]
    assert rows[1]["reason"].startswith("ROW_CONFLICTING_COPY: ")
    assert rows[0]["reason"].startswith("ROW_IDENTICAL_COPY: ")
    assert all(" 2 " in row["reason"] or " 2;" in row["reason"] for row in rows)  # line 2


# ── File-level refusals ───────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("content", "check"),
    [
        (b"", "columns: the file is empty"),
        (
            b"personal_id,registered_on,education_level\n1,2024-01-01,\n",
            "columns: missing occupation",
        ),
        (f"{REG_HEADER},extra\n1,2,3,4,5\n".encode(), "columns: unexpected extra"),
        (f"{REG_HEADER}\n".encode(), "rows: the file has a header but no data rows"),
        (f"{REG_HEADER}\n001,2024-01-01,,Th\xe1\n".encode("latin-1"), "encoding: byte 0xE1"),
    ],
)
def test_file_level_problems_refuse_the_whole_file(tmp_path, people, content, check):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ImportRefused, match=check.replace("(", r"\(")):
        run("registrations", path, tmp_path)
    assert not Registration.objects.exists()
    assert not (tmp_path / "rejects.csv").exists()


def test_a_bom_is_accepted(tmp_path, people):
    path = write(tmp_path, REG_HEADER, f"{people['man'].personal_id},2022-04-10,,", bom=True)
    assert run("registrations", path, tmp_path).inserted == 1


def test_the_command_exits_non_zero_only_for_a_refused_file(tmp_path, people):
    good = write(
        tmp_path,
        REG_HEADER,
        f"{people['man'].personal_id},2022-04-10,,",
        "099999999999,2022-04-10,,",
    )
    out = StringIO()
    call_command(
        "import", "registrations", str(good), "--rejects", str(tmp_path / "r.csv"), stdout=out
    )
    assert "inserted 1" in out.getvalue()
    assert "rejected 1" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe")
    with pytest.raises(SystemExit) as exc:
        call_command("import", "health", str(bad), stdout=StringIO())
    assert exc.value.code == 2


# ── Health ────────────────────────────────────────────────────────────────────────────────


def test_health_rows_are_checked_sealed_and_idempotent(tmp_path, people):
    man, boy = people["man"], people["boy"]
    path = write(
        tmp_path,
        HEALTH_HEADER,
        f"{man.personal_id},2025-11-20,3,2.0,no,21.5,no",
        f"{boy.personal_id},2025-11-20,7,,,,",  # class 7
        f"{boy.personal_id},2025-11-21,2,,maybe,,",  # yes|no
        f"{boy.personal_id},2025-11-22,2,1,5,,,",  # too many fields
        f"{boy.personal_id},2025-11-23,,,,,",  # class required
        f"{boy.personal_id},2025-11-24,2,,,,yes",
    )
    result = run("health", path, tmp_path)
    assert (result.inserted, result.rejected) == (2, 4)
    fields = [(r["line"], r["field"]) for r in rejects(tmp_path / "rejects.csv")]
    assert fields == [
        ("3", "health_class"),
        ("4", "hyperopia"),
        ("5", "line"),
        ("6", "health_class"),
    ]
    assert rejects(tmp_path / "rejects.csv")[0]["reason"].startswith("HEALTH_CLASS_RANGE: ")
    exam = HealthExam.objects.get(person=man)
    assert exam.outcome_codes == "HC3;HC3_MYOPIA"
    assert exam.source == "import"
    assert unseal(exam.sealed_details)["bmi"] == 21.5
    assert HealthExam.objects.get(person=boy).outcome_codes == "HC2;EXC_DRUG"
    again = run("health", path, tmp_path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    changed = write(
        tmp_path, HEALTH_HEADER, f"{man.personal_id},2025-11-20,2,2.0,no,21.5,no", name="b.csv"
    )
    assert run("health", changed, tmp_path).updated == 1
    assert HealthExam.objects.get(person=man).outcome_codes == "HC2"


# ── Deferrals ─────────────────────────────────────────────────────────────────────────────


def test_deferral_rows_are_checked_against_the_grounds_table(tmp_path, people):
    man, woman, old = people["man"], people["woman"], people["old"]
    path = write(
        tmp_path,
        DEF_HEADER,
        f"{man.personal_id},deferral,DEF_STUDENT,2025-09-01,2026-06-30",
        f"{man.personal_id},deferral,DEF_SOLE_CARER,2025-09-01,2025-08-01",  # ends before it starts
        f"{woman.personal_id},deferral,DEF_STUDENT,2025-09-01,",  # not for women
        f"{old.personal_id},exemption,EX_MARTYR_CHILD,2025-09-01,",  # age 45
        f"{man.personal_id},exemption,DEF_HEALTH,2025-09-01,",  # kind/ground mismatch
        f"{man.personal_id},deferral,DEF_UNKNOWN,2025-09-01,",  # unknown ground
        f"{man.personal_id},deferral,NR_SENTENCE,2025-09-01,",  # not a call-up ground
        f"{man.personal_id},completion,DONE_RESERVE_OFFICER,2025-09-01,",  # kind not allowed
    )
    result = run("deferrals", path, tmp_path)
    assert (result.inserted, result.rejected) == (1, 7)
    report = rejects(tmp_path / "rejects.csv")
    reasons = {r["line"]: (r["field"], r["reason"]) for r in report}
    assert reasons["3"][0] == "valid_until"
    # The code first, then its wording (in the active language).
    codes = {line: reason.split(": ", 1)[0] for line, (_field, reason) in reasons.items()}
    assert codes["3"] == "DECISION_ENDS_BEFORE_DECIDED"
    assert codes["4"] == "GROUND_SEX"
    assert codes["5"] == "GROUND_AGE"
    assert codes["6"] == "GROUND_KIND_MISMATCH"
    assert codes["7"] == "GROUND_UNKNOWN"
    assert codes["8"] == "GROUND_NOT_FOR_CALLUP"
    assert all(reason.split(": ", 1)[1] for _field, reason in reasons.values())
    assert {r["field"] for r in report if r["line"] == "9"} == {"kind", "ground_code"}
    again = run("deferrals", path, tmp_path)
    assert (again.inserted, again.unchanged, again.rejected) == (0, 1, 7)
    assert GroundDecision.objects.get().source == "import"


def test_one_per_family_grounds_in_the_file_and_the_registry(tmp_path, world):
    brothers = [
        make_person(world.communes[0], f"Lê Văn {n}", birth_date=date(2004, 1, 1))
        for n in ("A", "B", "C")
    ]
    for person in brothers:
        person.household_id = "HH-1"
        person.save()
    path = write(
        tmp_path,
        DEF_HEADER,
        *(f"{p.personal_id},exemption,EX_MARTYR_SIBLING,2025-09-01," for p in brothers),
    )
    result = records_import("deferrals", path, rejects=tmp_path / "r.csv", batch_rows=1)
    assert (result.inserted, result.rejected) == (1, 2)
    reasons = [r["reason"] for r in rejects(tmp_path / "r.csv")]
    assert all(r.startswith("GROUND_ONE_PER_FAMILY") for r in reasons)
    assert all("41" in r for r in reasons)  # the article, in either language


def test_control_and_invisible_characters_are_rejected_in_any_cell(tmp_path, people):
    """Issue #13 findings 7 and 8: a NUL (PostgreSQL cannot store it), an escape sequence or a
    bidirectional override in a cell rejects that row with its reason; the rest loads."""
    man, woman, old = people["man"], people["woman"], people["old"]
    path = write(
        tmp_path,
        REG_HEADER,
        f"{man.personal_id},2022-04-10,grade_12,Nông\x00dân",
        f"{woman.personal_id},2024-05-01,university,\x1b[31mY tá",
        f"{old.personal_id}\u202e,1998-05-01,,",
        f"{old.personal_id},1998-05-01,,Thợ\tmộc",  # a tab is white space
    )
    result = run("registrations", path, tmp_path)
    assert (result.read, result.inserted, result.rejected) == (4, 1, 3)
    report = rejects(tmp_path / "rejects.csv")
    assert [(r["line"], r["field"]) for r in report] == [
        ("2", "occupation"),
        ("3", "occupation"),
        ("4", "personal_id"),
    ]
    # The reason names the character by its code point and where it is, in either language.
    for row, (character, position) in zip(
        report, [("U+0000", 5), ("U+001B", 1), ("U+202E", 13)], strict=True
    ):
        assert row["reason"].startswith("TEXT_FORBIDDEN_CHARACTER: ")
        assert f"({character})" in row["reason"]
        assert f" {position}:" in row["reason"]
    assert report[2]["personal_id"] == f"{old.personal_id}\ufffd"
    assert Registration.objects.get().occupation == "Thợ mộc"
