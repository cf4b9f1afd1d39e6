"""The whole country: real geo data loaded once for this module, the structure built on it."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from muster.audit.models import AuditEvent
from muster.geo.bulk import load_admin_units
from muster.geo.models import AdminUnit, Edition, Level, Succession, UnitShape
from muster.orgs import actions, queries
from muster.orgs.bulk import BuildResult
from muster.orgs.models import OrgKind, OrgUnit, Territory

DAY = date(2025, 8, 1)


@dataclass
class Built:
    first: BuildResult
    second: BuildResult
    seconds: float


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[Built]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        load_admin_units()
        started = time.perf_counter()
        first = actions.orgs_build(include_legacy=True)
        seconds = time.perf_counter() - started
        second = actions.orgs_build(include_legacy=True)
        yield Built(first, second, seconds)
        # Leave the shared test database empty again for other modules.
        OrgUnit.objects.update(parent=None)
        OrgUnit.objects.all().delete()
        UnitShape.objects.all().delete()
        Succession.objects.all().delete()
        for level in (Level.COMMUNE, Level.DISTRICT, Level.PROVINCE):
            AdminUnit.objects.filter(level=level).delete()
        AuditEvent.objects.filter(id__gt=last_event).delete()


pytestmark = pytest.mark.django_db


def _communes() -> list[AdminUnit]:
    return list(AdminUnit.objects.filter(edition=Edition.V2025, level=Level.COMMUNE))


def test_counts_and_idempotency(built: Built) -> None:
    assert built.first.regions == 8
    assert built.first.provincial_commands == 33  # Hà Nội's command is the Capital Command
    assert built.first.commune_commands == 3321
    assert built.first.legacy_provincial_commands == 61  # the cities' commands span the reform
    assert built.first.district_commands > 600
    assert not built.second.changed
    assert built.seconds < 90  # ~5-10 s on an idle machine; generous for loaded CI
    assert AuditEvent.objects.filter(action="orgs.structure.loaded").count() == 1


def test_every_commune_has_one_commune_command_and_one_area_command(built: Built) -> None:
    communes = _communes()
    assert len(communes) == 3321
    for kind in (OrgKind.COMMUNE_COMMAND, OrgKind.AREA_DEFENCE_COMMAND):
        covering = Counter(
            Territory.objects.as_of(DAY)
            .filter(org_unit__kind=kind)
            .values_list("admin_unit_id", flat=True)
        )
        assert set(covering) == {c.pk for c in communes}, kind
        assert set(covering.values()) == {1}, kind
    # A commune command sits under the area command covering its commune, in its province.
    adc_of = dict(
        Territory.objects.as_of(DAY)
        .filter(org_unit__kind=OrgKind.AREA_DEFENCE_COMMAND)
        .values_list("admin_unit__code", "org_unit__code")
    )
    for code, parent_code in OrgUnit.objects.filter(kind=OrgKind.COMMUNE_COMMAND).values_list(
        "code", "parent__code"
    ):
        assert parent_code == adc_of[code.removeprefix("BCHQS-X-")]


def test_area_commands_per_province(built: Built) -> None:
    adcs = OrgUnit.objects.filter(kind=OrgKind.AREA_DEFENCE_COMMAND)
    per_province = Counter(adcs.values_list("parent__code", flat=True))
    assert len(per_province) == 34
    assert all(1 <= n <= 7 for n in per_province.values()), per_province
    sizes = Counter(
        Territory.objects.filter(org_unit__kind=OrgKind.AREA_DEFENCE_COMMAND).values_list(
            "org_unit_id", flat=True
        )
    )
    within = sum(20 <= n <= 50 for n in sizes.values())
    assert within >= 0.8 * len(sizes), sorted(sizes.values())
    assert min(sizes.values()) >= 10
    assert max(sizes.values()) <= 50
    assert all(a.name.startswith(f"Ban Chỉ huy PTKV {a.code.rsplit('-', 1)[1]} – ") for a in adcs)


def test_org_tree_is_a_few_queries_and_counts_communes(built: Built) -> None:
    with CaptureQueriesContext(connection) as captured:
        roots = queries.org_tree(None, DAY)
    assert len(captured.captured_queries) <= 4
    assert sorted(r.unit.code for r in roots) == sorted(
        ["BTLTD", "QK1", "QK2", "QK3", "QK4", "QK5", "QK7", "QK9"]
    )
    assert sum(r.commune_count for r in roots) == 3321
    hanoi = next(r for r in roots if r.unit.code == "BTLTD")
    # Hà Nội's one command is the Capital Command: its area defence commands sit right under it.
    assert {c.unit.kind for c in hanoi.children} == {OrgKind.AREA_DEFENCE_COMMAND}
    assert hanoi.commune_count == sum(c.commune_count for c in hanoi.children) == 126
    # Before the reform: the same regions, with the legacy provinces' commands under them (62:
    # Hà Nội's is the Capital Command itself, Ho Chi Minh City's the same unit as after).
    legacy = queries.org_tree(None, date(2025, 6, 1))
    assert sorted(r.unit.code for r in legacy) == sorted(r.unit.code for r in roots)
    provincial = [c for r in legacy for c in r.children if c.unit.kind != "district_command"]
    assert len(provincial) == 62
    assert "BCHQS-79" in {c.unit.code for c in provincial}
    assert {c.unit.kind for c in next(r for r in legacy if r.unit.code == "BTLTD").children} == {
        OrgKind.DISTRICT_COMMAND
    }
    assert sum(n.commune_count for n in legacy) > 10_000


def test_communes_of_and_commune_command_of(built: Built) -> None:
    qk9 = queries.org_unit_get("QK9")
    communes = list(queries.communes_of(qk9, DAY))
    assert len(communes) == sum(n.commune_count for n in queries.org_tree(qk9, DAY)[0].children)
    commune = communes[0]
    command = queries.commune_command_of(commune, DAY)
    assert command is not None
    assert command.code == f"BCHQS-X-{commune.code}"
    assert queries.commune_command_of(commune, date(2025, 6, 1)) is None
    assert queries.org_units_list(kind="district_command", as_of=DAY).count() == 0
