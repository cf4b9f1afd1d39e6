"""The what-if of a province's assignment (a read): the saved proposal (the draft waiting for
approval). With none saved nothing is computed here: solving a province is heavy, so it runs
only when a person asks for a proposal (`unit_actions.proposal_draft`, which saves it). Per unit the staffing
rate, the exact-match rate and the category-1 share; for the province the same and who moves;
the persons shown are those living in the viewer's jurisdiction, their read logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from muster.accounts.models import User
from muster.accounts.scope import Scope, scope_for
from muster.core.text import vi_sort_key
from muster.people.models import Person
from muster.people.queries import persons_read
from muster.reserve import assignment_rules as r
from muster.reserve import figures
from muster.reserve.assignment_input import assignment_input
from muster.reserve.models_units import AssignmentProposal, ReservePost, ReserveUnit
from muster.reserve.solver import Placement
from muster.reserve.unit_queries import Province, draft_of

WHATIF_READ = "reserve.assignments.viewed"
MOVES_SHOWN = 500  # a page stays light; the plan file (CLI) holds everyone


@dataclass(frozen=True)
class MoveRow:
    person: Person
    before: ReservePost | None
    after: ReservePost | None
    pinned: bool
    excluded: bool


@dataclass
class WhatIf:
    province: Province
    day: date
    draft: AssignmentProposal | None
    units: list[tuple[ReserveUnit, figures.UnitFigures]]
    total: figures.UnitFigures
    moves: list[MoveRow]
    moves_count: int  # in the viewer's jurisdiction
    moves_all: int  # in the province
    refused_pins: dict[int, str]
    posts: list[ReservePost]


def _placements(draft: AssignmentProposal) -> list[Placement]:
    rows = draft.rows.values_list("person_id", "post_id", "match", "spare", "pinned")
    return [
        Placement(p, q, r.EXACT if m == r.EXACT else r.NEAR, s, pinned)
        for p, q, m, s, pinned in rows
    ]


def _persons(ids: list[int], scope: Scope | None) -> dict[int, Person]:
    """The persons of `ids` living in `scope` (None: all), read in chunks (SQLite's limit on
    parameters; a first proposal moves every reservist of the province)."""
    found: dict[int, Person] = {}
    unique = sorted(set(ids))
    for start in range(0, len(unique), 5000):
        chunk = Person.objects.filter(pk__in_array=unique[start : start + 5000])
        if scope is not None:
            chunk = chunk.filter(scope.filter())
        found.update((p.pk, p) for p in chunk)
    return found


def what_if(user: User | None, province: Province, day: date, *, channel: str = "web") -> WhatIf:
    """The saved proposal (its own day) with figures and moves; with none, an empty what-if on
    `day` (nothing solved, nobody read)."""
    draft = draft_of(province)
    if draft is None:
        return WhatIf(
            province=province, day=day, draft=None, units=[], total=figures.total([]),
            moves=[], moves_count=0, moves_all=0, refused_pins={}, posts=[],
        )  # fmt: skip
    day = draft.day
    found = assignment_input(province, day, draft)
    placements = _placements(draft)
    rows = figures.unit_figures(found.problem.posts, found.problem.candidates, placements)
    by_unit = {f.unit_id: f for f in rows}
    moved = figures.moves(found.problem.candidates, placements)
    moved += [figures.Move(pid, found.held[pid], None) for pid in found.gone]
    pins = dict(draft.pins.values_list("person_id", "post_id"))
    scope = scope_for(user, day) if user is not None else None
    people = _persons([m.person_id for m in moved] + list(pins), scope)
    shown_moves = [m for m in moved if m.person_id in people]
    for person_id in pins:  # a pinned person who does not move is still listed, to release
        if person_id in people and all(m.person_id != person_id for m in shown_moves):
            post = found.held.get(person_id)
            shown_moves.append(figures.Move(person_id, post, post))
    shown_moves.sort(key=lambda m: (vi_sort_key(people[m.person_id].full_name), m.person_id))
    listed = shown_moves[:MOVES_SHOWN]
    persons_read(user, [m.person_id for m in listed], action=WHATIF_READ, channel=channel)
    posts = found.posts
    return WhatIf(
        province=province,
        day=day,
        draft=draft,
        units=[(unit, by_unit[uid]) for uid, unit in found.units.items() if uid in by_unit],
        total=figures.total(rows),
        moves=[
            MoveRow(
                person=people[m.person_id],
                before=posts.get(m.from_post_id or 0),
                after=posts.get(m.to_post_id or 0),
                pinned=pins.get(m.person_id) is not None,
                excluded=m.person_id in pins and pins[m.person_id] is None,
            )
            for m in listed
        ],
        moves_count=len(shown_moves),
        moves_all=len(moved),
        refused_pins={},
        posts=sorted(posts.values(), key=lambda p: (p.unit_id, p.position)),
    )
