"""`muster demo --legacy`: a small legacy demo, built twice, on the real geo data."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import polars as pl
import pytest
from django.core.management import call_command
from rich.console import Console

from muster.accounts.models import Role, User
from muster.core.validity import valid_on
from muster.demo.build import DemoResult
from muster.demo.legacy import (
    LEGACY_COMMUNE_PREFIX,
    build_legacy_demo,
    legacy_commune_command_code,
    legacy_provinces,
    legacy_wards,
)
from muster.demo.legacy_population import AMBIGUOUS_PERCENT, with_split_villages
from muster.geo.models import AdminUnit, Edition, Level
from muster.militia.models import MilitiaMembership, MilitiaTarget
from muster.orgs.models import Appointment, OrgKind, OrgUnit, Territory
from muster.people.models import Person, ResidencePeriod
from muster.restructure.apply import plan_apply, plan_revert
from muster.restructure.compute import plan_compute
from muster.restructure.plans import builtin_plan_build

PEOPLE = 3_000
BEFORE = date(2025, 6, 30)


@dataclass
class Built:
    first: DemoResult
    second: DemoResult
    counts_after_first: tuple[int, ...]


def _counts() -> tuple[int, ...]:
    return (
        Person.objects.count(),
        ResidencePeriod.objects.count(),
        OrgUnit.objects.count(),
        Appointment.objects.count(),
        User.objects.count(),
        MilitiaMembership.objects.count(),
        MilitiaTarget.objects.count(),
    )


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[Built]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        try:
            console = Console(quiet=True)
            kwargs = {
                "province": "Lào Cai",
                "people": PEOPLE,
                "seed": 7,
                "password": "pw-legacy-demo",
            }
            first, _ = build_legacy_demo(**kwargs, db_path=None, console=console)  # type: ignore[arg-type]
            counts = _counts()
            second, _ = build_legacy_demo(**kwargs, db_path=None, console=console)  # type: ignore[arg-type]
            yield Built(first, second, counts)
        finally:
            # Leave the shared test database empty again for other modules, whatever tables
            # later demo stages fill (a hand-kept list of them went stale) and even when the
            # build failed half-way: as a transactional test's teardown does.
            call_command("flush", interactive=False, verbosity=0)


pytestmark = pytest.mark.django_db


def _province() -> AdminUnit:
    return AdminUnit.objects.get(edition=Edition.V2025, level=Level.PROVINCE, code="15")


def test_legacy_provinces_are_lao_cai_and_yen_bai(built: Built) -> None:
    names = [p.name for p in legacy_provinces(_province())]
    assert names == ["Tỉnh Lào Cai", "Tỉnh Yên Bái"]
    assert built.first.communes == len(legacy_wards(_province())) > 250


def test_everyone_lives_in_a_legacy_ward_as_of_2025_06_30(built: Built) -> None:
    assert built.first.people_loaded == PEOPLE
    assert Person.objects.exclude(residence_commune__edition=Edition.LEGACY).count() == 0
    periods = ResidencePeriod.objects.as_of(BEFORE)
    assert periods.count() == PEOPLE
    assert periods.filter(commune__edition=Edition.LEGACY, valid_to__isnull=True).count() == PEOPLE
    assert not ResidencePeriod.objects.filter(valid_from__isnull=True).exists()
    assert not ResidencePeriod.objects.filter(valid_from__lt=date(2020, 1, 1)).exists()
    # Old three-level addresses: "<village>, <ward>, <district>, <province>".
    person = Person.objects.select_related("residence_commune__parent__parent").first()
    assert person is not None
    ward = person.residence_commune
    assert ward.parent is not None
    assert ward.parent.parent is not None
    assert person.address.endswith(f", {ward.name}, {ward.parent.name}, {ward.parent.parent.name}")
    assert len(person.address.split(", ")) == 4


def test_district_and_commune_commands_of_the_legacy_units(built: Built) -> None:
    wards = legacy_wards(_province())
    districts = {w.parent_id for w in wards}
    covered = set(
        Territory.objects.as_of(BEFORE)
        .filter(org_unit__kind=OrgKind.DISTRICT_COMMAND, admin_unit_id__in=districts)
        .values_list("admin_unit_id", flat=True)
    )
    assert covered == districts
    communes = OrgUnit.objects.filter(code__in=[legacy_commune_command_code(w.code) for w in wards])
    assert communes.count() == len(wards)
    assert {c.valid_to for c in communes} == {BEFORE}
    assert not communes.filter(parent__isnull=True).exists()
    assert {c.parent.kind for c in communes.select_related("parent") if c.parent} == {
        OrgKind.DISTRICT_COMMAND
    }
    assert Appointment.objects.filter(position__org_unit__in=communes).exists()


def test_users_have_legacy_jurisdictions(built: Built) -> None:
    jurisdictions = {a.username: a.jurisdiction_code for a in built.first.accounts}
    assert jurisdictions["tinh10"] == "BCHQS-L-10"
    assert jurisdictions["tinh15"] == "BCHQS-L-15"
    assert jurisdictions["huyen"].startswith("BCHQS-H-")
    assert jurisdictions["xa"].startswith("BCHQS-X-L-")
    assert User.objects.get(username="huyen").role == Role.AREA_STAFF
    xa = User.objects.select_related("jurisdiction").get(username="xa")
    assert xa.jurisdiction is not None
    assert xa.jurisdiction.valid_to == BEFORE


def test_the_region_user_sees_the_legacy_province_as_of_2025_06_30(built: Built) -> None:
    from muster.accounts.scope import scope_for
    from muster.readiness.queries import jurisdiction_figures

    region = User.objects.select_related("jurisdiction").get(username="quankhu")
    assert region.jurisdiction is not None
    assert region.jurisdiction.code == "QK2"
    wards = legacy_wards(_province())
    assert {w.pk for w in wards} <= (scope_for(region, BEFORE).commune_ids or set())
    figures = jurisdiction_figures(region, as_of=BEFORE)
    assert figures.people == Person.objects.filter(residence_commune__in=wards).count()
    # Lào Cai and Yên Bái are Military Region 2's, like Lào Cai 2025 after the reform.
    for code in ("BCHQS-L-10", "BCHQS-L-15"):
        assert OrgUnit.objects.get(code=code).parent == region.jurisdiction


def test_a_second_run_changes_nothing(built: Built) -> None:
    assert _counts() == built.counts_after_first
    assert built.second.people_loaded == PEOPLE


def test_split_wards_name_a_successor_for_most_households() -> None:
    frame = pl.DataFrame(
        {
            "residence_commune_code": ["00001"] * 400 + ["00002"] * 10,
            "household_id": [f"h{i // 2}" for i in range(410)],
            "address": ["Thôn 3, Xã A, Huyện B, Tỉnh C"] * 400
            + ["Tổ dân phố 1, Phường D, Quận E, Tỉnh C"] * 10,
        }
    )
    out = with_split_villages(frame, {"00001": ["Tân Lập", "Hòa Bình"]})
    split = out.filter(pl.col("residence_commune_code") == "00001")["address"]
    named = split.str.starts_with("Thôn Tân Lập,") | split.str.starts_with("Thôn Hòa Bình,")
    assert named.all() == False  # noqa: E712 — some stay ambiguous
    share = 100 - named.mean() * 100  # type: ignore[operator]
    assert AMBIGUOUS_PERCENT / 3 < share < AMBIGUOUS_PERCENT * 2
    assert split.str.ends_with(", Xã A, Huyện B, Tỉnh C").all()
    assert (
        out.filter(pl.col("residence_commune_code") == "00002")["address"].to_list()
        == ["Tổ dân phố 1, Phường D, Quận E, Tỉnh C"] * 10
    )


def _rosters() -> list[tuple[object, ...]]:
    return list(
        MilitiaMembership.objects.order_by("id").values_list(
            "id", "person_id", "unit_id", "valid_from", "valid_to", "left_reason", "term_ends_on"
        )
    )


def test_legacy_commune_commands_keep_the_militia_rosters(built: Built) -> None:
    open_rows = MilitiaMembership.objects.filter(valid_to__isnull=True)
    assert open_rows.count() > 0
    assert not open_rows.exclude(unit__code__startswith=LEGACY_COMMUNE_PREFIX).exists()
    # Intakes from 2021: the first intake's 4-year terms were completed before the reform.
    assert MilitiaMembership.objects.filter(left_reason="completed").exists()
    assert MilitiaTarget.objects.filter(unit__code__startswith=LEGACY_COMMUNE_PREFIX).exists()
    assert built.first.militia_summary is not None
    assert f"{open_rows.count():,} members" in built.first.militia_summary


def test_the_plan_lists_only_the_gaps_of_the_province_it_moves(built: Built) -> None:
    summary = plan_compute(builtin_plan_build(), record_cases=False)
    province = _province()
    ours = {province.code} | set(
        AdminUnit.objects.filter(parent=province).values_list("code", flat=True)
    )
    assert summary.gaps
    for gap in summary.gaps:
        if gap.kind == "jurisdiction_lost":
            continue  # the demo's users, all of this province
        if gap.kind == "commune_without_command":
            assert gap.unit_code in ours, gap
            continue
        covered = set(
            Territory.objects.filter(
                valid_on(date(2025, 7, 1)), org_unit__code=gap.unit_code
            ).values_list("admin_unit__code", flat=True)
        )
        assert covered, gap
        assert covered <= ours, gap


def test_applying_vn_2025_moves_every_roster_and_revert_restores_them(built: Built) -> None:
    plan = builtin_plan_build()
    summary = plan_compute(plan)
    assert summary.covered
    before = _rosters()
    serving = MilitiaMembership.objects.filter(valid_to__isnull=True).count()
    as_of_before = MilitiaMembership.objects.filter(valid_on(BEFORE)).count()
    moving = sum(m.count for m in summary.moves if m.record_type == "militia")
    assert moving == serving
    plan_apply(plan, accept_proposals=True)
    open_rows = MilitiaMembership.objects.filter(valid_to__isnull=True)
    commands_2025 = OrgUnit.objects.filter(
        kind=OrgKind.COMMUNE_COMMAND, valid_from=date(2025, 7, 1), valid_to__isnull=True
    )
    assert open_rows.count() == serving
    assert not open_rows.exclude(unit__in=commands_2025).exists()
    assert MilitiaMembership.objects.filter(valid_on(BEFORE)).count() == as_of_before
    assert MilitiaMembership.objects.filter(valid_on(date(2025, 7, 1))).count() == serving
    assert not Person.objects.filter(residence_commune__edition=Edition.LEGACY).exists()
    plan_revert(plan)
    assert _rosters() == before
