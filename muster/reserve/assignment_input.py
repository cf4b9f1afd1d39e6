"""The solver's input read from the database: a province's reservists and its units' posts on a
day, as `assignment_rules` dataclasses (no personal data leaves this module but ids; the pages
that show people log their reads through `unit_queries`).

A candidate is an NCO or soldier in the reserve on the day (`rules.status_on`: not aged out,
not unfit, not left) with a category (officers are kept apart, their own rules decide for them;
the uncategorised are not assigned), living in a commune of the province. Professional
soldiers rank with category 1 (LLDBĐV Art. 16(2)).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from muster.accounts.scope import area_communes
from muster.reserve import assignment_rules as r
from muster.reserve import rules, specialties
from muster.reserve.models import ReserveMembership
from muster.reserve.models_units import (
    AssignmentProposal,
    ReserveAssignment,
    ReservePost,
    ReserveUnit,
)
from muster.reserve.solver import Problem
from muster.reserve.unit_queries import Province, area_of_communes


@dataclass
class Input:
    """A problem and what the pages need to show it: posts and units by id."""

    problem: Problem
    posts: dict[int, ReservePost]
    units: dict[int, ReserveUnit]
    held: dict[int, int] = field(default_factory=dict)  # person id → post id held on the day
    gone: list[int] = field(default_factory=list)  # holders who are no candidates any more


def _professional(rank: str) -> bool:
    found = specialties.RANKS.get(rank)
    return found is not None and found.ladder == "professional"


def candidates(province: Province, day: date, held: dict[int, int]) -> list[r.Candidate]:
    """The province's reservists who may be assigned on `day` (module docstring)."""
    communes = area_communes(province.area.pk, day)
    area_of = area_of_communes(province.command, day)
    rows = (
        ReserveMembership.objects.filter(
            kind=rules.SOLDIER,
            person__residence_commune_id__in=list(communes),
            person__died_on__isnull=True,
        )
        .filter(category__isnull=False)
        .values_list(
            "person_id",
            "valid_from",
            "valid_to",
            "category",
            "category1_on",
            "unfit_on",
            "rank",
            "specialty",
            "person__sex",
            "person__birth_date",
            "person__residence_commune_id",
        )
        .order_by("person_id", "valid_from")
    )
    found: dict[int, r.Candidate] = {}
    for pid, start, end, category, cat1_on, unfit_on, rank, spec, sex, born, commune in rows:
        period = rules.PeriodFacts(
            kind=rules.SOLDIER,
            sex=sex,
            birth_date=born,
            valid_from=start,
            valid_to=end,
            category=category,
            category1_on=cat1_on,
            unfit_on=unfit_on,
        )
        if rules.status_on(period, day) != rules.IN_RESERVE:
            continue
        professional = _professional(rank)
        found[pid] = r.Candidate(
            person_id=pid,
            specialty=spec,
            area_id=area_of.get(commune),
            category=1 if professional else (rules.category_on(period, day) or 2),
            sex=sex,
            age=rules.age_on(born, day),
            rank=specialties.rank_order(rank),
            professional=professional,
            current_post_id=held.get(pid),
        )
    return sorted(found.values(), key=lambda c: c.person_id)


def posts_of(
    province: Province, day: date
) -> tuple[list[r.Post], dict[int, ReservePost], dict[int, ReserveUnit]]:
    """Every establishment row of the province's units in being on `day`, with spare seats."""
    units = {
        u.pk: u
        for u in ReserveUnit.objects.as_of(day).filter(command=province.command).order_by("code")
    }
    rows = list(
        ReservePost.objects.filter(unit_id__in=list(units))
        .select_related("unit")
        .order_by("unit__code", "position", "pk")
    )
    by_unit: dict[int, list[ReservePost]] = {}
    for post in rows:
        by_unit.setdefault(post.unit_id, []).append(post)
    posts: list[r.Post] = []
    for unit_id, unit_rows in by_unit.items():
        unit = units[unit_id]
        spare = r.spare_seats_by_post([p.count for p in unit_rows], unit.spare_percent)
        for post, extra in zip(unit_rows, spare, strict=True):
            posts.append(
                r.Post(
                    post_id=post.pk,
                    unit_id=unit_id,
                    specialty=post.specialty,
                    min_rank=specialties.rank_order(post.min_rank),
                    seats=post.count,
                    spare=extra,
                    force=unit.force,
                    role=unit.role,
                    area_id=unit.area_id,
                )
            )
    return posts, {p.pk: p for p in rows}, units


def near_table() -> dict[str, frozenset[str]]:
    """Post specialty → the specialties near it (the register's code table)."""
    return {code: frozenset(specialties.near_specialties(code)) for code in specialties.SPECIALTIES}


def assignment_input(
    province: Province, day: date, proposal: AssignmentProposal | None = None
) -> Input:
    """The problem for `province` on `day`, with `proposal`'s pins and exclusions."""
    posts, post_rows, units = posts_of(province, day)
    held = dict(
        ReserveAssignment.objects.as_of(day)
        .filter(post__unit__command=province.command)
        .values_list("person_id", "post_id")
    )
    people = candidates(province, day, held)
    pins: dict[int, int] = {}
    excluded: set[int] = set()
    if proposal is not None:
        for person_id, post_id in proposal.pins.values_list("person_id", "post_id"):
            if post_id is None:
                excluded.add(person_id)
            else:
                pins[person_id] = post_id
    present = {c.person_id for c in people}
    return Input(
        problem=Problem(people, posts, near_table(), pins, frozenset(excluded)),
        posts=post_rows,
        units=units,
        held=held,
        gone=sorted(set(held) - present),
    )
