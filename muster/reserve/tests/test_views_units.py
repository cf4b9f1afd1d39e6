"""The reserve unit pages and the what-if: figures per unit, a proposal saved by one person and
approved by another through the pages, a pin, units and rows created by provincial staff."""

from __future__ import annotations

import pytest
from django.test import Client

from muster.accounts.models import Role
from muster.reserve.models_units import AssignmentProposal, ReserveAssignment, ReserveUnit
from muster.reserve.tests.factories_units import reservist, unit

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_whatif_propose_pin_and_approve(world):
    unit(world, "DBDV-1", [("Xạ thủ", "INFANTRY", 2)])
    first = reservist(world.communes[0], name="Đỗ Văn Đầu")
    second = reservist(world.communes[1], name="Đỗ Văn Sau")
    drafter = _client(world.user("tinh-1", Role.PROVINCE_STAFF, world.provincial))
    approver = _client(world.user("tinh-2", Role.REGION_STAFF, world.provincial))
    page = drafter.get("/reserve/units/99/assign/").content.decode()
    assert 'id="whatif-approve"' not in page  # nothing saved yet
    assert 'id="whatif-propose"' in page
    assert "100,0%" not in page  # nothing solved on a visit
    assert not AssignmentProposal.objects.exists()
    assert drafter.post("/reserve/units/99/assign/propose/", {}).status_code == 302
    page = drafter.get("/reserve/units/99/assign/").content.decode()
    assert "100,0%" in page  # the saved proposal: two seats, two exact reservists
    assert 'id="whatif-approve"' not in page  # the proposer does not approve
    response = drafter.post(
        "/reserve/units/99/assign/pin/", {"personal_id": second.personal_id, "post": ""}
    )
    assert response.status_code == 302
    page = approver.get("/reserve/units/99/assign/").content.decode()
    assert 'id="whatif-approve"' in page
    assert "50,0%" in page  # one kept out: one seat of two
    assert approver.post("/reserve/units/99/assign/approve/").status_code == 302
    assert list(ReserveAssignment.objects.values_list("person_id", flat=True)) == [first.pk]
    assert AssignmentProposal.objects.get().status == "committed"
    unit_page = approver.get("/reserve/units/unit/DBDV-1/").content.decode()
    assert first.full_name in unit_page
    assert approver.get("/reserve/units/unit/DBDV-1/?export=csv").status_code == 200
    assert approver.get("/reserve/units/99/assign/?export=xlsx").status_code == 200


def test_provincial_staff_create_units_and_rows(world):
    staff = _client(world.user("tinh", Role.PROVINCE_STAFF, world.provincial))
    response = staff.post(
        "/reserve/units/99/new/",
        {
            "code": "DBDV-7",
            "name": "Đại đội dự bị 7",
            "force": "local",
            "role": "support",
            "area": world.areas[1].code,
            "spare_percent": "12",
        },
    )
    assert response.status_code == 302
    made = ReserveUnit.objects.get(code="DBDV-7")
    assert (made.force, made.role, made.area, made.spare_percent) == (
        "local",
        "support",
        world.areas[1],
        12,
    )
    staff.post(
        "/reserve/units/unit/DBDV-7/posts/",
        {"position": "Y tá", "specialty": "MEDIC", "min_rank": "HA_SI", "count": "3"},
    )
    page = staff.get("/reserve/units/unit/DBDV-7/").content.decode()
    assert "Y tá" in page
    refused = staff.post(
        "/reserve/units/99/new/",
        {"code": "DBDV-8", "name": "X", "force": "main", "role": "combat", "spare_percent": "20"},
        follow=True,
    )
    assert "15" in refused.content.decode()  # the spare margin's bounds, worded
    assert not ReserveUnit.objects.filter(code="DBDV-8").exists()
    assert staff.get("/reserve/units/99/?export=csv").status_code == 200
    assert staff.get("/reserve/units/?export=xlsx").status_code == 200


def test_whatif_visit_without_a_proposal_does_not_solve(world, monkeypatch):
    unit(world, "DBDV-1", [("Xạ thủ", "INFANTRY", 2)])
    reservist(world.communes[0], name="Đỗ Văn Đầu")
    staff = _client(world.user("tinh-1", Role.PROVINCE_STAFF, world.provincial))

    def no_solving(*args: object, **kwargs: object) -> None:
        raise AssertionError("a visit solved the province")

    monkeypatch.setattr("muster.reserve.solver.solve", no_solving)
    monkeypatch.setattr("muster.reserve.unit_actions.solve", no_solving)
    assert staff.get("/reserve/units/99/assign/").status_code == 200
    assert staff.get("/reserve/units/99/assign/?export=csv").status_code == 200
    assert not AssignmentProposal.objects.exists()
