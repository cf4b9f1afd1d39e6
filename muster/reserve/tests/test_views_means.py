"""The register of reserve technical means from the pages (LLDBĐV Art. 2(3), 13, 18):
provincial staff register an item, change it and take it off the register; the list keeps to
the communes of the user's jurisdiction, filters, pages and exports; a commune command's staff
read it without the forms; another commune's item is absent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.audit.models import AuditEvent
from muster.reserve import means_actions
from muster.reserve.models_units import MeansAssignment, MeansNeed, TechnicalMeans
from muster.reserve.tests.factories_units import province, unit

TODAY = timezone.localdate()


def _means(world: World, registration: str, commune: int = 0, **change: str) -> TechnicalMeans:
    data = {
        "kind": "vehicle",
        "capability": "cargo_truck",
        "capacity": "5 t",
        "owner": "Hợp tác xã Vận tải Một",
        "state": "ready",
        "registry": "Sở Xây dựng",
        **change,
    }
    return TechnicalMeans.objects.create(
        registration=registration,
        commune=world.communes[commune],
        registered_year=2026,
        **data,
    )


@pytest.fixture
def staff(world: World) -> Client:
    client = Client()
    client.force_login(world.user("tinh", Role.PROVINCE_STAFF, world.provincial))
    return client


def _posted(data: dict[str, object], prefix: str = "") -> dict[str, str]:
    return {(f"{prefix}-{k}" if prefix else k): str(v) for k, v in data.items()}


def test_province_staff_register_change_and_retire_from_the_pages(world, staff):
    index = staff.get("/reserve/means/").content.decode()
    assert 'id="means-new"' in index
    form = staff.get("/reserve/means/new/").content.decode()
    assert 'value="99003"' in form  # every commune of the province is offered
    good = {
        "kind": "vehicle",
        "registration": "24C-777.77",
        "capability": "cargo_truck",
        "capacity": "5 t",
        "owner": "Công ty Vận tải Ba",
        "commune": "99001",
        "state": "ready",
        "registry": "Sở Xây dựng",
        "registered_year": TODAY.year,
    }
    # A machine's capability for a vehicle: refused beside the field, nothing written.
    wrong = staff.post("/reserve/means/new/", _posted({**good, "capability": "excavator"}))
    assert wrong.status_code == 200
    assert 'id="id_capability_error"' in wrong.content.decode()
    assert not TechnicalMeans.objects.exists()
    saved = staff.post("/reserve/means/new/", _posted(good))
    made = TechnicalMeans.objects.get()
    assert saved.status_code == 302
    assert saved["Location"] == f"/reserve/means/{made.pk}/?saved=registered"
    # The same kind and number twice: the coded refusal on the page.
    again = staff.post("/reserve/means/new/", _posted(good))
    assert again.status_code == 200
    assert "24C-777.77" in again.content.decode()
    assert TechnicalMeans.objects.count() == 1
    detail = staff.get(f"/reserve/means/{made.pk}/").content.decode()
    assert "Xe tải chở hàng" in detail  # the capability in words, not its code
    assert 'id="means-edit"' in detail
    changed = staff.post(
        f"/reserve/means/{made.pk}/edit/",
        _posted({**good, "state": "repair", "commune": "99002"}, "edit"),
    )
    assert changed.status_code == 302
    made.refresh_from_db()
    assert (made.state, made.commune.code) == ("repair", "99002")
    ahead = staff.post(
        f"/reserve/means/{made.pk}/retire/",
        _posted({"retired_on": TODAY + timedelta(days=3), "reason": "scrapped"}, "retire"),
    )
    assert ahead.status_code == 200
    assert 'id="means-retire" open' in ahead.content.decode()
    retired = staff.post(
        f"/reserve/means/{made.pk}/retire/",
        _posted({"retired_on": TODAY, "reason": "scrapped"}, "retire"),
    )
    assert retired.status_code == 302
    made.refresh_from_db()
    assert (made.retired_on, made.retired_reason) == (TODAY, "scrapped")
    assert [
        e.action
        for e in AuditEvent.objects.filter(action__startswith="reserve.means.").order_by("id")
    ] == [
        "reserve.means.registered",
        "reserve.means.updated",
        "reserve.means.retired",
    ]
    # Off the register: gone from the default list, shown among those that left, no forms.
    assert "24C-777.77" not in staff.get("/reserve/means/").content.decode()
    assert "24C-777.77" in staff.get("/reserve/means/?register=retired").content.decode()
    assert 'id="means-edit"' not in staff.get(f"/reserve/means/{made.pk}/").content.decode()


def test_list_filters_pages_exports_and_shows_the_unit(world, staff):
    truck = _means(world, "24C-100.01")
    _means(world, "24C-100.02", commune=2, kind="vessel", capability="barge")
    needing = unit(world, "DBDV-5", [], role="logistics")
    MeansNeed.objects.create(unit=needing, capability="cargo_truck", count=1)
    means_actions.means_assign(
        province=province(world), day=TODAY - timedelta(days=10), acting_user=None
    )
    assert MeansAssignment.objects.get().means == truck
    page = staff.get("/reserve/means/").content.decode()
    assert "24C-100.01" in page
    assert "24C-100.02" in page
    assert "/reserve/units/unit/DBDV-5/" in page
    only = staff.get("/reserve/means/?kind=vessel").content.decode()
    assert "24C-100.01" not in only
    assert "24C-100.02" in only
    assert "24C-100.01" in staff.get("/reserve/means/?q=24c-100.0").content.decode()
    by_owner = staff.get("/reserve/means/?q=Vận tải Một&kind=vessel").content.decode()
    assert "24C-100.02" in by_owner
    assert "24C-100.02" not in staff.get("/reserve/means/?q=Khác").content.decode()
    csv = staff.get("/reserve/means/?commune=99001&export=csv")
    text = csv.content.decode("utf-8-sig")
    assert "24C-100.01" in text
    assert "24C-100.02" not in text
    assert "cargo_truck" in text  # the code in its own column
    assert "DBDV-5" in text
    assert staff.get("/reserve/means/?page=2").status_code == 200
    assert staff.get("/reserve/means/?page=x").status_code == 404


def test_commune_staff_read_their_communes_only_without_forms(world):
    mine = _means(world, "24C-200.01")
    theirs = _means(world, "24C-200.03", commune=2)
    client = Client()
    client.force_login(world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0]))
    page = client.get("/reserve/means/").content.decode()
    assert "24C-200.01" in page
    assert "24C-200.03" not in page
    assert 'id="means-new"' not in page
    assert client.get(f"/reserve/means/{mine.pk}/").status_code == 200
    assert 'id="means-edit"' not in client.get(f"/reserve/means/{mine.pk}/").content.decode()
    assert client.get(f"/reserve/means/{theirs.pk}/").status_code == 404
    assert client.get("/reserve/means/new/").status_code == 403
    refused = client.post(
        f"/reserve/means/{mine.pk}/retire/",
        {"retire-retired_on": TODAY.isoformat(), "retire-reason": "scrapped"},
    )
    assert refused.status_code == 403
    mine.refresh_from_db()
    assert mine.retired_on is None


def test_reserve_pages_link_to_the_means(world, staff):
    assert 'id="means-link"' in staff.get("/reserve/register/").content.decode()
    assert 'id="means-link"' in staff.get("/reserve/units/").content.decode()
