"""Statutory lists and the annual report: the right people on each list, files that open."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from muster.accounts.tests.factories import World, build_world
from muster.conscription.models import CallupCycle, GroundDecision, HealthExam, Registration
from muster.conscription.reports import files as report_files
from muster.conscription.reports import statutory as reports
from muster.core.text import fold
from muster.people.models import Person

pytestmark = pytest.mark.django_db
CALLUP = date(2027, 3, 1)


def _man(world: World, pid: str, name: str, born: date, commune: int = 0) -> Person:
    return Person.objects.create(
        personal_id=pid,
        full_name=name,
        search_key=fold(name),
        given_key=fold(name),
        sex="M",
        birth_date=born,
        residence_commune=world.communes[commune],
        address="Thôn 3",
    )


def _registered(person: Person, occupation: str = "Nông dân") -> None:
    Registration.objects.create(
        person=person,
        registered_on=date(2024, 4, 10),
        commune=person.residence_commune,
        education_level="grade_12",
        occupation=occupation,
    )


@pytest.fixture
def report(db) -> reports.Report:
    world = build_world()
    eligible = _man(world, "099205000001", "Nguyễn Văn Bình", date(2005, 6, 1))
    _registered(eligible, "Thợ mộc")
    HealthExam.objects.create(
        person=eligible, examined_on=date(2026, 11, 20), health_class=2,
        outcome_codes="HC2", rules_version="2025-07",
    )  # fmt: skip
    deferred = _man(world, "099205000002", "Trần Văn Cường", date(2006, 1, 5))
    _registered(deferred)
    GroundDecision.objects.create(
        person=deferred, kind="deferral", ground_code="DEF_STUDENT",
        decided_on=date(2026, 9, 1), valid_until=date(2027, 6, 30),
    )  # fmt: skip
    exempt = _man(world, "099205000003", "Lê Văn Dũng", date(2004, 2, 2), commune=1)
    _registered(exempt)
    GroundDecision.objects.create(
        person=exempt, kind="exemption", ground_code="EX_MARTYR_CHILD", decided_on=date(2026, 8, 1)
    )
    cycle = CallupCycle.objects.create(
        year=2027, province=world.province, callup_date=CALLUP, target=2, rules_version="2025-07"
    )
    return reports.report_for(cycle, world.communes, world.province.name)


def test_each_list_holds_the_people_of_its_statuses(report):
    names = {
        kind: [row.full_name for row in reports.statutory_list(report, kind, "vi")]
        for kind in ("eligible", "deferred", "exempt", "called")
    }
    assert names == {
        "eligible": ["Nguyễn Văn Bình"],
        "deferred": ["Trần Văn Cường"],
        "exempt": ["Lê Văn Dũng"],
        "called": [],
    }


def test_list_rows_carry_the_published_fields_and_the_reason_explained(report):
    (row,) = reports.statutory_list(report, "deferred", "vi")
    assert (row.number, row.birth_date, row.address) == (1, date(2006, 1, 5), "Thôn 3")
    assert row.occupation == "Nông dân"
    assert row.reason.startswith("DEF_STUDENT – Đang học")


def test_annual_counts_per_commune(report):
    counts = {c.commune_code: c for c in reports.annual_counts(report)}
    first, second = report.communes[0].code, report.communes[1].code
    assert counts[first].statuses == {"eligible": 1, "deferred": 1}
    assert counts[first].health["HC2"] == 1
    assert counts[second].statuses == {"exempt": 1}


def test_excel_list_opens_with_the_rows(report):
    rows = reports.statutory_list(report, "eligible", "vi")
    body = report_files.list_file(report, "eligible", rows, "xlsx", issuer=None)
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Nguyễn Văn Bình" in values
    assert "099205000001" in values
    # The birth date is a real date cell shown day-first.
    born = next(c for row in sheet.iter_rows() for c in row if c.value == datetime(2005, 6, 1))
    assert born.number_format == "dd/mm/yyyy"


def test_pdf_annual_report_carries_the_heading_and_signature_of_the_issuer(report):
    from muster.orgs.models import Appointment, OrgUnit, Position, PositionKind

    command = OrgUnit.objects.get(code="BCHQS-99")
    position = Position.objects.create(
        org_unit=command, kind=PositionKind.COMMANDER, title="Chỉ huy trưởng"
    )
    Appointment.objects.create(
        position=position, holder_name="Đỗ Văn Hùng", valid_from=date(2025, 7, 1)
    )
    counts = reports.annual_counts(report)
    body = report_files.annual_file(report, counts, "pdf", issuer=command)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert report.communes[0].name in text
    for expected in (
        "QK-T\nBCHQS-99",  # the issuer under the body it answers to
        "Số: ………/………",  # a number to write in
        "Thử, ngày",  # place and date
        "CHỈ HUY TRƯỞNG\n(Ký, ghi rõ họ tên)\nĐỗ Văn Hùng",  # the signature block
    ):
        assert expected in text


def test_csv_list_is_for_excel(report):
    rows = reports.statutory_list(report, "eligible", "vi")
    body = report_files.list_file(report, "eligible", rows, "csv", issuer=None)
    assert body.startswith("\ufeff".encode())
    assert "01/06/2005" in body.decode("utf-8-sig")


def test_cli_writes_the_province_report(report, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "annual.xlsx"
    call_command(
        "callup", "report", "--year", "2027", "--province", report.cycle.province.code,
        "--doc", "annual", "--format", "xlsx", "--out", str(out),
    )  # fmt: skip
    book = load_workbook(out)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "Xã/phường")  # Vietnamese
    assert (rows[0][0], rows[1][0]) == ("QK-T", "BCHQS-99")  # the province's command issues
    total = rows[header + 1 + len(report.communes)]
    assert total[1] == 3  # total men on the lists


def test_cli_refuses_a_year_without_a_cycle(report, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="year: CALLUP_NO_CYCLE_THERE"):
        call_command(
            "callup", "report", "--year", "2031", "--commune", report.communes[0].code,
            "--out", str(tmp_path / "x.xlsx"),
        )  # fmt: skip
