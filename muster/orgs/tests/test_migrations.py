"""Data migrations of orgs, run on a database shaped as earlier builds left it."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from muster.geo.models import AdminUnit, Edition, Level
from muster.orgs import actions
from muster.orgs.models import Appointment, OrgKind, OrgUnit, Position, Territory
from muster.orgs.tests.factories import LEGACY_END, REFORM, small_country

pytestmark = pytest.mark.django_db

one_command_per_city = importlib.import_module("muster.orgs.migrations.0004_one_command_per_city")


def _province(edition: str, code: str) -> AdminUnit:
    return AdminUnit.objects.get(edition=edition, level=Level.PROVINCE, code=code)


def _old_shape() -> None:
    """Hà Nội's command twice (BTLTD and BCHQS-01 / BCHQS-L-01 under it) and Ho Chi Minh City's
    split at the reform (BCHQS-L-79 until 2025-06-30, BCHQS-79 after), as builds before
    migration 0004 made them."""
    btltd, hcmc = OrgUnit.objects.get(code="BTLTD"), OrgUnit.objects.get(code="BCHQS-79")
    name = "Bộ Tư lệnh Thủ đô Hà Nội"
    hanoi = OrgUnit.objects.create(
        code="BCHQS-01", name=name, kind=OrgKind.PROVINCIAL_COMMAND, parent=btltd, valid_from=REFORM
    )
    Territory.objects.create(org_unit=hanoi, admin_unit=_province("2025", "01"), valid_from=REFORM)
    OrgUnit.objects.filter(parent=btltd, kind=OrgKind.AREA_DEFENCE_COMMAND).update(parent=hanoi)
    legacy_hanoi = OrgUnit.objects.create(
        code="BCHQS-L-01",
        name=name,
        kind=OrgKind.PROVINCIAL_COMMAND,
        parent=btltd,
        valid_to=LEGACY_END,
    )
    OrgUnit.objects.filter(parent=btltd, kind=OrgKind.DISTRICT_COMMAND).update(parent=legacy_hanoi)
    commander = Position.objects.create(
        org_unit=hanoi, kind="commander", title="Tư lệnh", ordinal=1
    )
    Appointment.objects.create(position=commander, holder_name="Nguyễn Văn An", valid_from=REFORM)
    Position.objects.create(org_unit=hanoi, kind="assistant", title="Trợ lý", ordinal=9)
    legacy_hcmc = OrgUnit.objects.create(
        code="BCHQS-L-79",
        name="Bộ Tư lệnh Thành phố Hồ Chí Minh",
        kind=OrgKind.PROVINCIAL_COMMAND,
        parent=hcmc.parent,
        valid_to=LEGACY_END,
    )
    Territory.objects.filter(org_unit=hcmc, admin_unit__edition=Edition.LEGACY).update(
        org_unit=legacy_hcmc
    )
    OrgUnit.objects.filter(pk=hcmc.pk).update(valid_from=REFORM)


def test_the_duplicates_merge_into_the_one_command_of_each_city() -> None:
    small_country()
    actions.orgs_build(include_legacy=True)
    _old_shape()
    one_command_per_city.forwards(apps, None)

    assert not OrgUnit.objects.filter(code__in=["BCHQS-01", "BCHQS-L-01", "BCHQS-L-79"]).exists()
    btltd, hcmc = OrgUnit.objects.get(code="BTLTD"), OrgUnit.objects.get(code="BCHQS-79")
    assert set(OrgUnit.objects.filter(parent=btltd).values_list("kind", flat=True)) == {
        OrgKind.AREA_DEFENCE_COMMAND,
        OrgKind.DISTRICT_COMMAND,
    }
    # Each province covered once by the city's command, in each edition.
    for command, code in ((btltd, "01"), (hcmc, "79")):
        assert sorted(
            Territory.objects.filter(
                org_unit=command, admin_unit__level=Level.PROVINCE
            ).values_list("admin_unit__edition", "admin_unit__code", "valid_to")
        ) == [("2025", code, None), ("legacy", code, LEGACY_END)]
    assert hcmc.valid_from is None
    # The duplicate's commander is now the Capital Command's; its extra position moved over.
    [appointment] = Appointment.objects.all()
    assert (appointment.position.org_unit, appointment.position.ordinal) == (btltd, 1)
    assert btltd.positions.filter(ordinal=9).exists()
    # A second run finds nothing to merge.
    one_command_per_city.forwards(apps, None)
    assert OrgUnit.objects.filter(code__startswith="BCHQS-L-").count() == 61
    assert OrgUnit.objects.get(code="BCHQS-79").valid_from is None
