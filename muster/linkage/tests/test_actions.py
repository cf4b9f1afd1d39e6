"""The command, the stored results, review decisions (audited, remembered) and the pages."""

import csv
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from muster.audit.models import AuditEvent
from muster.core.errors import InvalidInput
from muster.geo.models import AdminUnit, Edition, Level, Succession
from muster.linkage import actions, rules
from muster.linkage.models import CaseStatus, LegacyLink, ReviewCase
from muster.people.models import Person
from muster.people.tests.factories import World, make_person, make_world

pytestmark = pytest.mark.django_db


def _legacy_geo(world: World) -> None:
    province = AdminUnit.objects.create(
        edition=Edition.LEGACY,
        level=Level.PROVINCE,
        code="01",
        name="Thành phố Hà Nội",
        short_name="Hà Nội",
        unit_type="Thành phố",
        search_key="ha noi",
        valid_to=date(2025, 6, 30),
    )
    district = AdminUnit.objects.create(
        edition=Edition.LEGACY,
        level=Level.DISTRICT,
        code="001",
        name="Quận Ba Đình",
        short_name="Ba Đình",
        unit_type="Quận",
        parent=province,
        search_key="ba dinh",
        valid_to=date(2025, 6, 30),
    )
    for i, commune in enumerate(world.communes):
        ward = AdminUnit.objects.create(
            edition=Edition.LEGACY,
            level=Level.COMMUNE,
            code=f"0000{i + 1}",
            name=f"Phường Cũ {i + 1}",
            short_name=f"Cũ {i + 1}",
            unit_type="Phường",
            parent=district,
            search_key=f"cu {i + 1}",
            valid_to=date(2025, 6, 30),
        )
        Succession.objects.create(
            predecessor=ward, successor=commune, effective_on=date(2025, 7, 1), kind="merged"
        )


def _address(i: int) -> str:
    return f"Tổ 4, Phường Cũ {i + 1}, Quận Ba Đình, Thành phố Hà Nội"


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.DictWriter(fh, fieldnames=rules.LEGACY_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in rules.LEGACY_COLUMNS})


@pytest.fixture
def world(db):
    world = make_world()
    _legacy_geo(world)
    names = [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Hoàng Cường",
        "Phạm Minh Dũng",
        "Vũ Thị Hoa",
        "Đặng Quốc Huy",
        "Bùi Thị Lan",
        "Hoàng Văn Long",
    ]
    for i in range(60):
        make_person(
            world.communes[i % 3],
            names[i % 8],
            birth_date=date(1960 + i, 1 + i % 12, 1 + i % 27),
            sex="F" if "Thị" in names[i % 8] else "M",
        )
    return world


def _people() -> list[Person]:
    return list(Person.objects.order_by("id").select_related("residence_commune"))


def test_link_command_writes_matches_links_and_review_cases(world, tmp_path):
    people = _people()
    p0, p1, p2 = people[0], people[1], people[2]
    rows = [
        # exact ID, name without marks
        {
            "legacy_id": "A",
            "full_name": "Nguyen Van An",
            "birth_year": str(p0.birth_date.year),
            "personal_id": p0.personal_id,
            "sex": "M",
            "address": _address(0),
        },
        # no ID, full date, address of the right ward
        {
            "legacy_id": "B",
            "full_name": p1.full_name,
            "birth_date": p1.birth_date.isoformat(),
            "birth_year": str(p1.birth_date.year),
            "sex": p1.sex,
            "address": _address(1),
        },
        # nobody
        {"legacy_id": "C", "full_name": "Tạ Quang Bửu", "birth_year": "1931", "sex": "M"},
    ]
    src = tmp_path / "bd.csv"
    _write(src, rows)
    out = tmp_path / "m.csv"
    call_command("exchange", "link", str(src), "--out", str(out))
    with out.open(encoding="utf-8") as fh:
        got = list(csv.DictReader(fh))
    assert list(got[0]) == list(rules.OUTPUT_COLUMNS)
    by_id = {r["legacy_id"]: r for r in got}
    assert by_id["A"]["decision"] == "linked"
    assert by_id["A"]["personal_id"] == p0.personal_id
    assert by_id["A"]["match_probability"] == "1.0"
    assert by_id["B"]["personal_id"] == p1.personal_id
    assert by_id["B"]["decision"] != "unmatched"
    assert by_id["C"] == {
        "legacy_id": "C",
        "personal_id": "",
        "match_probability": by_id["C"]["match_probability"],
        "decision": "unmatched",
    }
    assert LegacyLink.objects.get(source="bd", legacy_id="A").person == p0
    assert AuditEvent.objects.filter(action="linkage.run.completed").count() == 1
    del p2


def _case(
    world: World, person: Person, probability: float = 0.8, legacy_id: str = "Q1"
) -> ReviewCase:
    return ReviewCase.objects.create(
        source="bd",
        legacy_id=legacy_id,
        person=person,
        commune=person.residence_commune,
        legacy={
            "full_name": person.full_name,
            "birth_date": "",
            "birth_year": str(person.birth_date.year),
            "sex": person.sex,
            "address": _address(0),
            "personal_id": "",
            "father_name": "",
            "mother_name": "",
            "legacy_id": legacy_id,
        },
        probability=probability,
    )


@pytest.mark.parametrize("status", ["accepted", "rejected", "not_duplicate"])
def test_decisions_are_audited_and_accept_links(world, status):
    person = _people()[0]
    case = _case(world, person)
    actions.review_case_decide(case=case, status=status, acting_user=world.staff[0])
    case.refresh_from_db()
    assert case.status == status
    assert case.decided_by == world.staff[0]
    assert case.decided_on
    assert AuditEvent.objects.filter(action=f"linkage.case.{status}").count() == 1
    assert LegacyLink.objects.filter(legacy_id="Q1").exists() == (status == "accepted")
    with pytest.raises(InvalidInput):
        actions.review_case_decide(case=case, status="accepted", acting_user=world.staff[0])


def test_decisions_are_remembered_on_rerun(world, tmp_path):
    person = _people()[3]
    row = {
        "legacy_id": "R",
        "full_name": person.full_name,
        "sex": person.sex,
        "birth_year": str(person.birth_date.year),
        "address": _address(0),
    }
    src = tmp_path / "bd.csv"
    _write(src, [row])
    case = _case(world, person, legacy_id="R")
    actions.review_case_decide(case=case, status="not_duplicate", acting_user=world.admin)
    outcome = actions.legacy_file_link(
        path=src, source="bd", thresholds=rules.Thresholds(), acting_user=None
    )
    assert outcome.matches["personal_id"][0] != person.personal_id
    assert ReviewCase.objects.filter(legacy_id="R", person=person).count() == 1


def test_linked_records_keep_their_person_on_rerun(world, tmp_path):
    people = _people()
    p = people[4]
    row = {
        "legacy_id": "K",
        "full_name": p.full_name,
        "sex": p.sex,
        "personal_id": p.personal_id,
        "birth_year": str(p.birth_date.year),
    }
    src = tmp_path / "bd.csv"
    _write(src, [row])
    actions.legacy_file_link(path=src, source="bd", thresholds=rules.Thresholds(), acting_user=None)
    first = LegacyLink.objects.get(source="bd", legacy_id="K").person_id
    _write(src, [row, {**row, "legacy_id": "K2", "personal_id": ""}])
    again = actions.legacy_file_link(
        path=src, source="bd", thresholds=rules.Thresholds(), acting_user=None
    )
    assert LegacyLink.objects.get(source="bd", legacy_id="K").person_id == first
    m = {r["legacy_id"]: r for r in again.matches.iter_rows(named=True)}
    assert m["K"]["method"] == "kept"
    # The new record of the same person points at the same person, through review.
    assert m["K2"]["personal_id"] in {p.personal_id, ""}
    assert m["K2"]["decision"] != "linked"


def test_bad_input_is_reported(world, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("legacy_id,full_name\nA,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="header: LEGACY_COLUMNS"):
        call_command("exchange", "link", str(bad), "--out", str(tmp_path / "o.csv"))
    latin = tmp_path / "latin.csv"
    latin.write_bytes(",".join(rules.LEGACY_COLUMNS).encode() + b"\nA,L\xea V\xe2n,,1990,M,,,,\n")
    with pytest.raises(CommandError, match="file: FILE_NOT_UTF8"):
        call_command("exchange", "link", str(latin), "--out", str(tmp_path / "o.csv"))
    rows = tmp_path / "rows.csv"
    _write(
        rows,
        [
            {"legacy_id": "1", "full_name": "", "birth_year": "1990"},
            {
                "legacy_id": "2",
                "full_name": "Lê Văn Tám",
                "birth_date": "1990-02-30",
                "birth_year": "1990",
            },
            {
                "legacy_id": "3",
                "full_name": "Lê Văn Tám",
                "birth_year": "1990",
                "personal_id": "12ab",
            },
        ],
    )
    out = tmp_path / "o.csv"
    call_command("exchange", "link", str(rows), "--out", str(out))
    rejects = list(csv.DictReader(out.with_suffix(".rejects.csv").open(encoding="utf-8")))
    assert [(r["line"], r["field"], r["action"]) for r in rejects] == [
        ("2", "full_name", "rejected"),
        ("3", "birth_date", "rejected"),
        ("4", "personal_id", "warned"),
    ]
    assert [r["legacy_id"] for r in csv.DictReader(out.open(encoding="utf-8"))] == ["3"]


def test_review_pages_render_and_decide(world):
    people = _people()
    # Legacy ids unlike anything a page (or its random CSRF token) could contain by chance.
    mine = _case(world, people[0], legacy_id="LEGACY-MINE-0001")
    theirs = _case(world, people[1], legacy_id="LEGACY-THEIRS-0002")  # commune 2: not staff[0]'s
    client = Client()
    client.force_login(world.staff[0])
    page = client.get("/linkage/")
    assert page.status_code == 200
    assert "LEGACY-MINE-0001" in page.content.decode()
    assert "LEGACY-THEIRS-0002" not in page.content.decode()
    detail = client.get(f"/linkage/{mine.pk}/")
    assert detail.status_code == 200
    assert "case-comparison" in detail.content.decode()
    assert client.get(f"/linkage/{theirs.pk}/").status_code == 404
    done = client.post(f"/linkage/{mine.pk}/", {"status": CaseStatus.REJECTED})
    assert done.status_code == 302
    mine.refresh_from_db()
    assert mine.status == CaseStatus.REJECTED


def test_legacy_rows_with_control_or_invisible_characters_are_rejected(world, tmp_path):
    """Issue #13 finding 7: the legacy linkage CSV is held to the same rule as every record
    (people.rules); a formula-like legacy ID stays text in the matches file."""
    rows = tmp_path / "rows.csv"
    _write(
        rows,
        [
            {"legacy_id": "1", "full_name": "Lê Văn\u202e Tám", "birth_year": "1990"},
            {"legacy_id": "2\x00", "full_name": "Lê Văn Tám", "birth_year": "1990"},
            {
                "legacy_id": "3",
                "full_name": "Lê Văn Tám",
                "mother_name": "Bà\u200b Tư",
                "birth_year": "1990",
            },
            {"legacy_id": "=1+1", "full_name": "Lê Văn Tám", "birth_year": "1990"},
        ],
    )
    out = tmp_path / "o.csv"
    call_command("exchange", "link", str(rows), "--out", str(out))
    rejects = list(csv.DictReader(out.with_suffix(".rejects.csv").open(encoding="utf-8")))
    assert [(r["line"], r["legacy_id"], r["field"]) for r in rejects] == [
        ("2", "1", "full_name"),
        ("3", "2\ufffd", "legacy_id"),
        ("4", "3", "mother_name"),
    ]
    # Each reason names the character by its code point and says where it is (either language).
    for reject, (character, position) in zip(
        rejects, [("U+202E", 7), ("U+0000", 2), ("U+200B", 3)], strict=True
    ):
        assert reject["reason"].startswith("TEXT_FORBIDDEN_CHARACTER: ")
        assert f"({character})" in reject["reason"]
        assert f" {position}:" in reject["reason"]
    assert [r["legacy_id"] for r in csv.DictReader(out.open(encoding="utf-8"))] == ["'=1+1"]
