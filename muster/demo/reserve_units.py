"""The demo province's reserve units, filled by the solver (issue 17), through the actions as
staff would: reservists the demo discharged get a specialty and rank (the register's action),
the provincial command raises units sized to its reservists, provincial staff ("tinh") propose
the assignment and region staff ("quankhu") approve it — the two-person rule; a registry file of
technical means is imported and assigned by capability. Re-running changes nothing.
"""

from __future__ import annotations

import csv
import random
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from muster.accounts.models import User
from muster.geo.models import AdminUnit
from muster.orgs.models import OrgKind, OrgUnit
from muster.reserve import means_actions, means_rules, rules, unit_actions
from muster.reserve.actions import reserve_member_update
from muster.reserve.models import ReserveMembership
from muster.reserve.models_units import MeansNeed, ReserveAssignment, TechnicalMeans
from muster.reserve.unit_queries import access_province

# Trades of discharged soldiers, roughly as units need them; infantry and drivers the most.
TRADES = (
    ("INFANTRY", 8),
    ("DRIVER", 5),
    ("RECON", 2),
    ("SIGNAL_RADIO", 2),
    ("ARTILLERY", 2),
    ("ENGINEER", 2),
    ("MEDIC", 2),
    ("VEHICLE_MECHANIC", 1),
    ("LOGISTICS", 1),
    ("COOK", 1),
)
# A unit's establishment: position, specialty, share of the unit's seats.
POSTS = (
    ("Tiểu đội trưởng bộ binh", "INFANTRY", "HA_SI", 1),
    ("Xạ thủ bộ binh", "INFANTRY", "", 6),
    ("Lái xe", "DRIVER", "", 3),
    ("Trinh sát viên", "RECON", "", 1),
    ("Báo vụ vô tuyến điện", "SIGNAL_RADIO", "", 1),
    ("Pháo thủ", "ARTILLERY", "", 1),
    ("Công binh", "ENGINEER", "", 1),
    ("Y tá", "MEDIC", "", 1),
)
ROLES = ("combat", "support", "logistics")


@dataclass(frozen=True)
class ReserveUnitsResult:
    units: int
    seats: int
    assigned: int
    exact: int
    means: int
    means_assigned: int


def _specialties(province: AdminUnit, seed: int) -> int:
    """Give the province's soldiers in the reserve without a specialty one (and a rank)."""
    rng = random.Random(seed + 17)
    codes, weights = zip(*TRADES, strict=True)
    updated = 0
    for membership in (
        ReserveMembership.objects.filter(
            kind=rules.SOLDIER,
            specialty="",
            valid_to__isnull=True,
            person__residence_commune__parent=province,
        )
        .select_related("person__residence_commune")
        .order_by("person_id")
    ):
        specialty = rng.choices(codes, weights)[0]
        rank = membership.rank or rng.choice(("BINH_NHAT", "BINH_NHAT", "HA_SI", "TRUNG_SI"))
        reserve_member_update(
            membership=membership, rank=rank, specialty=specialty, acting_user=None
        )
        updated += 1
    return updated


def _units(command: OrgUnit, reservists: int) -> int:
    """Units of 17 seats (plus spare) for about nine reservists in ten."""
    areas = list(
        OrgUnit.objects.filter(kind=OrgKind.AREA_DEFENCE_COMMAND, parent=command).order_by("code")
    )
    per_unit = sum(share for *_rest, share in POSTS)
    count = max(2, (reservists * 9 // 10) // per_unit)
    for n in range(count):
        unit = unit_actions.reserve_unit_save(
            command=command,
            code=f"DBDV-{command.code.removeprefix('BCHQS-')}-{n + 1:02d}",
            name=f"Đại đội dự bị động viên {n + 1}",
            force="main" if n % 2 == 0 else "local",
            role=ROLES[n % len(ROLES)],
            spare_percent=10,
            area=areas[n % len(areas)] if areas else None,
            acting_user=None,
        )
        for position, specialty, min_rank, seats in POSTS:
            unit_actions.reserve_post_save(
                unit=unit,
                position=position,
                specialty=specialty,
                min_rank=min_rank,
                count=seats,
                acting_user=None,
            )
    return count


def _means(province: AdminUnit, command: OrgUnit, seed: int, day: date) -> int:
    """A road-vehicle registry's file for the province, imported; trucks and radios needed."""
    rng = random.Random(seed + 18)
    communes = list(
        AdminUnit.objects.filter(parent=province, valid_to__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    kinds = {c.code: c.kind for c in means_rules.CAPABILITIES.values()}
    offered = ("cargo_truck", "cargo_truck", "tanker_truck", "pickup", "bus", "radio_set")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"phuong-tien-{province.code}-{day.year}.csv"
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(means_rules.MEANS_COLUMNS)
            for n in range(min(40, max(8, len(communes) // 2))):
                capability = offered[n % len(offered)]
                writer.writerow(
                    (
                        kinds[capability],
                        f"{province.code}C-{n + 1:03d}.{rng.randint(10, 99)}",
                        capability,
                        rng.choice(("2,5 t", "5 t", "8 t", "16 chỗ", "30 chỗ")),
                        f"Hợp tác xã vận tải số {n % 7 + 1}",
                        rng.choice(communes),
                        "ready" if n % 9 else "repair",
                        "Sở Xây dựng",
                    )
                )
        means_actions.means_import(path=path, year=day.year, acting_user=None)
    for unit in command.reserve_units.all():
        if not MeansNeed.objects.filter(unit=unit).exists():
            trucks = 3 if unit.role == "logistics" else 1
            means_actions.means_need_set(
                unit=unit, capability="cargo_truck", count=trucks, acting_user=None
            )
            means_actions.means_need_set(
                unit=unit, capability="radio_set", count=1, acting_user=None
            )
    where = access_province(None, province.code, day=day)
    counts = means_actions.means_assign(province=where, day=day, acting_user=None)
    return counts["assigned"]


def reserve_units_stage(*, province: AdminUnit, seed: int, day: date) -> ReserveUnitsResult:
    """Units raised, filled by the solver through a proposal and its approval, means assigned."""
    where = access_province(None, province.code, day=day)
    _specialties(province, seed)
    reservists = ReserveMembership.objects.filter(
        kind=rules.SOLDIER, valid_to__isnull=True, person__residence_commune__parent=province
    ).count()
    count = _units(where.command, reservists)
    held = ReserveAssignment.objects.filter(
        post__unit__command=where.command, valid_to__isnull=True
    )
    if not held.exists():
        drafter = User.objects.filter(username="tinh").first()
        approver = User.objects.filter(username="quankhu").first()
        proposal, _solution = unit_actions.proposal_draft(
            province=where, day=day, acting_user=drafter
        )
        unit_actions.proposal_approve(province=where, proposal=proposal, acting_user=approver)
    means_assigned = _means(province, where.command, seed, day)
    seats = sum(p.count for u in where.command.reserve_units.all() for p in u.posts.all())
    return ReserveUnitsResult(
        units=count,
        seats=seats,
        assigned=held.count(),
        exact=held.filter(match="exact").count(),
        means=TechnicalMeans.objects.filter(commune__parent=province).count(),
        means_assigned=means_assigned,
    )


def reserve_units_summary(result: ReserveUnitsResult) -> str:
    return (
        f"{result.units} reserve units, {result.seats} seats: {result.assigned} reservists "
        f"assigned by the solver ({result.exact} exact specialty), {result.means_assigned} of "
        f"{result.means} technical means assigned; see /reserve/units/"
    )
