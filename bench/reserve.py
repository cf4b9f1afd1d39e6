"""The assignment proposal of a whole province (issue 17): 60,000 reservists, 300 reserve units
of 60 seats (18,000 establishment seats, plus the 10-15 % spare margin).

    DATABASE_URL=sqlite:///$PWD/var/bench-reserve.sqlite3 muster bench reserve
    (or postgres://…/muster_reservebench; a fresh database, migrated here if empty)

The province "R9" is written straight into the tables (not through the actions: a benchmark's
fixture, not data anyone keeps): 120 communes under 12 area defence commands, reservists with
specialties from the register's table — a demand mix the supply does not quite follow, so
near specialties and other areas are needed — categories, ages, ranks and some women; 300
units of both forces and the three roles, six posts of 10 seats each. Then, timed:

  (x) the proposal as staff make it: `unit_actions.proposal_draft` (read the province, solve
      the min-cost flow, store the 18,000+ rows) — target under 30 s;
  the solver alone on the same input, and beside it the anchors:
  (g) a greedy assignment in the same priority order (`solver.greedy`);
  (b) the LP bound for exact matches (`solver.exact_bound`, a maximum flow over exact pairs).

Rates: staffing = establishment seats filled / seats; exact = exact placements in
establishment seats / seats; the bound is the most exact placements any assignment could make.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.management import call_command
from django.db import connection

PROVINCE = "R9"
AREAS = 12
COMMUNES = 120
RESERVISTS = 60_000
UNITS = 300
POSTS_PER_UNIT = 6
SEATS = 10
DAY = date(2026, 9, 1)
SEED = 17


def _world(log: Callable[[str], Any]) -> None:
    from muster.geo.models import AdminUnit, Edition, Level
    from muster.orgs.models import OrgKind, OrgUnit, Territory

    start = date(2025, 7, 1)
    province = AdminUnit.objects.create(
        edition=Edition.V2025,
        level=Level.PROVINCE,
        code=PROVINCE,
        name="Tỉnh Dự Bị",
        short_name="Dự Bị",
        unit_type="Tỉnh",
        search_key="tinh du bi",
        valid_from=start,
    )
    communes = AdminUnit.objects.bulk_create(
        AdminUnit(
            edition=Edition.V2025,
            level=Level.COMMUNE,
            code=f"{PROVINCE}{i:03d}",
            name=f"Xã Dự Bị {i}",
            short_name=f"Dự Bị {i}",
            unit_type="Xã",
            parent=province,
            search_key=f"xa du bi {i}",
            valid_from=start,
        )
        for i in range(COMMUNES)
    )
    command = OrgUnit.objects.create(
        code=f"BCHQS-{PROVINCE}",
        name="BCHQS Dự Bị",
        kind=OrgKind.PROVINCIAL_COMMAND,
        valid_from=start,
    )
    Territory.objects.create(org_unit=command, admin_unit=province, valid_from=start)
    areas = OrgUnit.objects.bulk_create(
        OrgUnit(
            code=f"PTKV-{PROVINCE}-{a}",
            name=f"Ban CHPTKV {a}",
            kind=OrgKind.AREA_DEFENCE_COMMAND,
            parent=command,
            valid_from=start,
        )
        for a in range(AREAS)
    )
    Territory.objects.bulk_create(
        Territory(org_unit=areas[i % AREAS], admin_unit=c, valid_from=start)
        for i, c in enumerate(communes)
    )
    log(f"province {PROVINCE}: {COMMUNES} communes, {AREAS} area commands")


def _reservists(rng: random.Random, log: Callable[[str], Any]) -> None:
    from muster.geo.models import AdminUnit
    from muster.people.models import Person
    from muster.reserve import rules, specialties
    from muster.reserve.models import ReserveMembership

    started = time.monotonic()
    communes = list(AdminUnit.objects.filter(parent__code=PROVINCE).values_list("id", flat=True))
    codes = list(specialties.SPECIALTIES)
    # Supply leans towards the common trades and leaves a few rare ones short; demand (below)
    # is flat, so near specialties and other areas are needed.
    common = {"INFANTRY", "DRIVER", "VEHICLE_MECHANIC", "SIGNAL_RADIO"}
    rare = {"PHYSICIAN", "PHARMACY", "IT", "MARINE_ENGINE", "SEAMAN", "CHEMICAL"}
    weights = [10.0 if c in common else 0.15 if c in rare else 2.0 for c in codes]
    ranks = ["BINH_NHI", "BINH_NHAT", "BINH_NHAT", "HA_SI", "TRUNG_SI", "THUONG_SI"]
    persons = []
    for i in range(RESERVISTS):
        sex = "F" if rng.random() < 0.08 else "M"
        born = date(DAY.year - rng.randint(20, 46 if sex == "M" else 41), rng.randint(1, 12), 1)
        persons.append(
            Person(
                personal_id=f"0{'0' if sex == 'M' else '1'}9{i:09d}",
                full_name=f"Người Dự Bị {i}",
                search_key=f"nguoi du bi {i}",
                given_key=f"{i} nguoi du bi",
                sex=sex,
                birth_date=born,
                residence_commune_id=rng.choice(communes),
            )
        )
    Person.objects.bulk_create(persons, batch_size=5000)
    ids = list(
        Person.objects.filter(full_name__startswith="Người Dự Bị").values_list("id", flat=True)
    )
    ReserveMembership.objects.bulk_create(
        (
            ReserveMembership(
                person_id=pid,
                kind=rules.SOLDIER,
                category=1 if rng.random() < 0.7 else 2,
                basis_code="RES_CAT1_A",  # the basis is not what the bench measures
                rank=rng.choice(ranks) if rng.random() < 0.97 else "QNCN_TRUNG_UY",
                specialty=rng.choices(codes, weights)[0] if rng.random() < 0.95 else "",
                valid_from=date(2020, 1, 1),
                source="bench",
            )
            for pid in ids
        ),
        batch_size=5000,
    )
    log(f"{len(ids):,} reservists written in {time.monotonic() - started:.0f} s")


def _units(rng: random.Random, log: Callable[[str], Any]) -> None:
    from muster.orgs.models import OrgUnit
    from muster.reserve import specialties
    from muster.reserve.models_units import ReservePost, ReserveUnit

    command = OrgUnit.objects.get(code=f"BCHQS-{PROVINCE}")
    areas = list(OrgUnit.objects.filter(parent=command).order_by("code"))
    codes = list(specialties.SPECIALTIES)
    units = ReserveUnit.objects.bulk_create(
        ReserveUnit(
            code=f"DBDV-{PROVINCE}-{u:03d}",
            name=f"Đơn vị dự bị {u}",
            command=command,
            area=areas[u % AREAS],
            force="main" if u % 3 else "local",
            role=("combat", "support", "logistics")[u % 3 if u % 5 else 1],
            spare_percent=10 + u % 6,
            valid_from=date(2025, 8, 1),
        )
        for u in range(UNITS)
    )
    ReservePost.objects.bulk_create(
        ReservePost(
            unit=unit,
            position=f"Vị trí {k + 1}",
            specialty=rng.choice(codes),
            min_rank="HA_SI" if k == 0 else "",
            count=SEATS,
        )
        for unit in units
        for k in range(POSTS_PER_UNIT)
    )
    log(f"{UNITS} units, {UNITS * POSTS_PER_UNIT * SEATS:,} establishment seats")


def _rates(problem: Any, placements: list[Any]) -> dict[str, float]:
    from muster.reserve import figures

    total = figures.total(figures.unit_figures(problem.posts, problem.candidates, placements))
    exact_in_seats = sum(1 for p in placements if p.match == "exact" and not p.spare)
    return {
        "staffing_rate": round(total.staffing_rate, 4),
        "exact_rate": round(exact_in_seats / total.seats, 4) if total.seats else 0.0,
        "spare_filled": total.spare_filled,
        "category_1_share": round(total.category_1_share, 4),
    }


def run(log: Callable[[str], Any] = print) -> dict[str, Any]:
    if "reserve_reserveunit" not in connection.introspection.table_names():
        call_command("migrate", verbosity=0, interactive=False)
    from muster.geo.models import AdminUnit
    from muster.reserve import unit_actions
    from muster.reserve.assignment_input import assignment_input
    from muster.reserve.models_units import AssignmentProposal
    from muster.reserve.solver import exact_bound, greedy, solve
    from muster.reserve.unit_queries import access_province

    rng = random.Random(SEED)
    if not AdminUnit.objects.filter(code=PROVINCE).exists():
        _world(log)
        _reservists(rng, log)
        _units(rng, log)
    else:
        log("reusing the province already written")
    AssignmentProposal.objects.filter(command__code=f"BCHQS-{PROVINCE}").update(status="discarded")
    province = access_province(None, PROVINCE, day=DAY)

    started = time.perf_counter()
    found = assignment_input(province, DAY)
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    solution = solve(found.problem)
    solve_s = time.perf_counter() - started
    started = time.perf_counter()
    anchor = greedy(found.problem)
    greedy_s = time.perf_counter() - started
    started = time.perf_counter()
    bound = exact_bound(found.problem)
    bound_s = time.perf_counter() - started
    started = time.perf_counter()
    _proposal, drafted = unit_actions.proposal_draft(province=province, day=DAY, acting_user=None)
    proposal_s = time.perf_counter() - started
    seats = sum(p.seats for p in found.problem.posts)
    figures_out = {
        "database": connection.vendor,
        "reservists": len(found.problem.candidates),
        "units": len(found.units),
        "seats": seats,
        "spare_seats": sum(p.spare for p in found.problem.posts),
        "x_proposal_s": round(proposal_s, 2),
        "read_s": round(read_s, 2),
        "solve_s": round(solve_s, 2),
        "greedy_s": round(greedy_s, 2),
        "bound_s": round(bound_s, 2),
        "solver": _rates(found.problem, solution.placements),
        "greedy": _rates(found.problem, anchor.placements),
        "exact_bound": bound,
        "exact_bound_rate": round(bound / seats, 4) if seats else 0.0,
        "objective_solver": solution.objective,
        "objective_greedy": anchor.objective,
        "proposal_rows": len(drafted.placements),
        "target_s": 30,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
    }
    log(
        f"proposal {proposal_s:.1f} s (read {read_s:.1f}, solve {solve_s:.1f}); "
        f"staffing {figures_out['solver']['staffing_rate']:.1%} vs greedy "
        f"{figures_out['greedy']['staffing_rate']:.1%}; exact {figures_out['solver']['exact_rate']:.1%} "
        f"vs greedy {figures_out['greedy']['exact_rate']:.1%}, bound {figures_out['exact_bound_rate']:.1%}"
    )
    return figures_out
