"""What a proposal amounts to, per unit and for the province (pure): the staffing rate, the
exact-match rate, the category-1 share, and who moves against the assignments in force.

The staffing rate counts establishment seats filled over establishment seats (the spare margin
of LLDBĐV Art. 15(2) is shown apart); the exact-match rate and the category-1 share are over
everyone placed in the unit, spare seats included.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from muster.reserve import assignment_rules as r
from muster.reserve.solver import Placement


@dataclass(frozen=True)
class UnitFigures:
    unit_id: int
    seats: int
    filled: int  # establishment seats filled
    spare_seats: int
    spare_filled: int
    exact: int  # placed with the exact specialty (establishment and spare)
    category_1: int  # placed who are category 1
    moves_in: int  # placed here who were elsewhere or nowhere before
    moves_out: int  # held a post here before and are placed elsewhere or nowhere

    @property
    def placed(self) -> int:
        return self.filled + self.spare_filled

    @property
    def staffing_rate(self) -> float:
        return self.filled / self.seats if self.seats else 0.0

    @property
    def exact_rate(self) -> float:
        return self.exact / self.placed if self.placed else 0.0

    @property
    def category_1_share(self) -> float:
        return self.category_1 / self.placed if self.placed else 0.0


@dataclass(frozen=True)
class Move:
    """One person whose post changes: None on either side is no post."""

    person_id: int
    from_post_id: int | None
    to_post_id: int | None


def unit_figures(
    posts: Sequence[r.Post],
    candidates: Iterable[r.Candidate],
    placements: Iterable[Placement],
) -> list[UnitFigures]:
    """Per unit, in the order units first appear in `posts`."""
    unit_of = {p.post_id: p.unit_id for p in posts}
    people = {c.person_id: c for c in candidates}
    seats: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for post in posts:
        seats[post.unit_id][0] += post.seats
        seats[post.unit_id][1] += post.spare
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    placed_at: dict[int, int] = {}
    for placed in placements:
        unit = unit_of[placed.post_id]
        placed_at[placed.person_id] = unit
        row = counts[unit]
        row["spare" if placed.spare else "filled"] += 1
        row["exact"] += placed.match == r.EXACT
        row["category_1"] += people[placed.person_id].category == 1
        before = people[placed.person_id].current_post_id
        row["in"] += before is None or unit_of.get(before) != unit
    for person in people.values():
        before_unit = unit_of.get(person.current_post_id or 0)
        if before_unit is not None and placed_at.get(person.person_id) != before_unit:
            counts[before_unit]["out"] += 1
    return [
        UnitFigures(
            unit_id=unit,
            seats=seats[unit][0],
            filled=counts[unit]["filled"],
            spare_seats=seats[unit][1],
            spare_filled=counts[unit]["spare"],
            exact=counts[unit]["exact"],
            category_1=counts[unit]["category_1"],
            moves_in=counts[unit]["in"],
            moves_out=counts[unit]["out"],
        )
        for unit in dict.fromkeys(p.unit_id for p in posts)
    ]


def total(figures: Iterable[UnitFigures]) -> UnitFigures:
    """The province's figures: the units' summed."""
    rows = list(figures)
    return UnitFigures(
        unit_id=0,
        seats=sum(f.seats for f in rows),
        filled=sum(f.filled for f in rows),
        spare_seats=sum(f.spare_seats for f in rows),
        spare_filled=sum(f.spare_filled for f in rows),
        exact=sum(f.exact for f in rows),
        category_1=sum(f.category_1 for f in rows),
        moves_in=sum(f.moves_in for f in rows),
        moves_out=sum(f.moves_out for f in rows),
    )


def moves(candidates: Iterable[r.Candidate], placements: Iterable[Placement]) -> list[Move]:
    """Everyone whose post the proposal changes, by person id."""
    to: Mapping[int, int] = {p.person_id: p.post_id for p in placements}
    found = [
        Move(c.person_id, c.current_post_id, to.get(c.person_id))
        for c in candidates
        if c.current_post_id != to.get(c.person_id)
    ]
    return sorted(found, key=lambda m: m.person_id)
