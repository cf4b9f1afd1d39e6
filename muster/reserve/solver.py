"""The assignment of reservists to reserve units' posts, as a min-cost flow (OR-Tools).

Pure: dataclasses in (`assignment_rules.Candidate`, `Post`), dataclasses out; no ORM.

Reservists who are interchangeable for every post — same specialty, recruitment area and
category, and the same set of post kinds (role × minimum rank) they may fill under the age,
women's and rank rules — form one class, a node supplying as many units of flow as it has
members. Posts that are interchangeable for every class — same specialty, area, role, minimum
rank and force — share a hub. Arcs class → hub exist where the pairing is lawful with an exact
or near specialty, costed by minus the law's priority weights (`assignment_rules.reward`
without the seat term); hub → post arcs carry each post's establishment seats and its spare
seats (behind a node of their own) with the seat reward. Each class can also send its members
to the sink unassigned at no cost. The minimum-cost flow then maximises the weighted sum:
the more seats filled, exact before near, the same area, category 1, main force first.

The class flows are then handed out to persons: within a class, whoever already holds a post
of the hub keeps it (fewer moves), the rest in person order. Pinned persons are placed first
and take their seats out of the problem; excluded persons stay out.

`greedy` is the anchor: the same pairs taken from the highest reward down. `exact_bound` is
the LP bound for exact matches: a maximum flow over exact pairs alone (the bipartite LP has an
integral optimum, so the flow is the bound).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ortools.graph.python import max_flow, min_cost_flow

from muster.reserve import assignment_rules as r


@dataclass(frozen=True)
class Placement:
    """One seat filled: who, which post, how the specialty matches, establishment or spare."""

    person_id: int
    post_id: int
    match: r.Match
    spare: bool
    pinned: bool = False


@dataclass
class Problem:
    candidates: Sequence[r.Candidate]
    posts: Sequence[r.Post]
    near: Mapping[str, frozenset[str]]  # post specialty → its near specialties
    pins: Mapping[int, int] = field(default_factory=dict)  # person id → post id
    excluded: frozenset[int] = frozenset()  # persons kept out of this proposal


@dataclass
class Solution:
    placements: list[Placement]
    refused_pins: dict[int, str]  # person id → why the pin could not hold
    objective: int  # the weighted sum reached (the flow's cost, negated)


@dataclass(frozen=True)
class _Class:
    key: tuple[str, int | None, int, int]  # specialty, area, category, eligibility mask
    members: list[r.Candidate]


@dataclass(frozen=True)
class _Hub:
    specialty: str
    area_id: int | None
    role: str
    min_rank: int
    force: str


def _kinds(posts: Iterable[r.Post]) -> list[tuple[str, int]]:
    return sorted({(p.role, p.min_rank) for p in posts})


def _mask(candidate: r.Candidate, kinds: list[tuple[str, int]]) -> int:
    mask = 0
    for bit, (role, min_rank) in enumerate(kinds):
        probe = r.Post(0, 0, "", min_rank, 0, 0, r.MAIN, role, None)
        if r.ineligibility(candidate, probe) is None:
            mask |= 1 << bit
    return mask


def _classes(candidates: Iterable[r.Candidate], kinds: list[tuple[str, int]]) -> list[_Class]:
    masks: dict[tuple[str, int, int, bool], int] = {}
    grouped: dict[tuple[str, int | None, int, int], list[r.Candidate]] = defaultdict(list)
    for c in candidates:
        if not c.specialty:
            continue  # no specialty matches no post (Art. 16(1))
        traits = (c.sex, c.age, c.rank, c.professional)
        if traits not in masks:
            masks[traits] = _mask(c, kinds)
        if masks[traits]:
            grouped[(c.specialty, c.area_id, c.category, masks[traits])].append(c)
    return [
        _Class(key, sorted(members, key=lambda c: c.person_id))
        for key, members in sorted(grouped.items(), key=lambda kv: str(kv[0]))
    ]


def _hub_of(post: r.Post) -> _Hub:
    return _Hub(post.specialty, post.area_id, post.role, post.min_rank, post.force)


@dataclass
class _Pairs:
    """Lawful class → hub pairs with their match and reward (seat term left out)."""

    classes: list[_Class]
    hubs: list[_Hub]
    hub_posts: dict[_Hub, list[r.Post]]
    arcs: list[tuple[int, int, r.Match, int]]  # class index, hub index, match, reward


def _pairs(
    candidates: Sequence[r.Candidate], posts: Sequence[r.Post], near: Mapping[str, frozenset[str]]
) -> _Pairs:
    kinds = _kinds(posts)
    bit = {kind: 1 << i for i, kind in enumerate(kinds)}
    classes = _classes(candidates, kinds)
    hub_posts: dict[_Hub, list[r.Post]] = defaultdict(list)
    for post in posts:
        if post.seats + post.spare > 0:
            hub_posts[_hub_of(post)].append(post)
    hubs = sorted(
        hub_posts, key=lambda h: (h.specialty, str(h.area_id), h.role, h.min_rank, h.force)
    )
    # A hub is reached from its own specialty (exact) and from each near one.
    by_specialty: dict[str, list[tuple[int, r.Match]]] = defaultdict(list)
    for index, hub in enumerate(hubs):
        by_specialty[hub.specialty].append((index, r.EXACT))
        for other in near.get(hub.specialty, frozenset()):
            if other != hub.specialty:
                by_specialty[other].append((index, r.NEAR))
    arcs: list[tuple[int, int, r.Match, int]] = []
    for ci, klass in enumerate(classes):
        specialty, area, category, mask = klass.key
        for hi, match in by_specialty.get(specialty, ()):
            hub = hubs[hi]
            if not mask & bit[(hub.role, hub.min_rank)]:
                continue
            gain = (
                r.reward(
                    match=match,
                    same_area=area is not None and area == hub.area_id,
                    category=category,
                    force=hub.force,
                    spare=False,
                )
                - r.W_ESTABLISHMENT
            )
            arcs.append((ci, hi, match, gain))
    return _Pairs(classes, hubs, dict(hub_posts), arcs)


def _place_pins(
    problem: Problem,
) -> tuple[list[Placement], dict[int, str], dict[int, tuple[int, int]]]:
    """Pinned persons on their posts (a pin must still be lawful); the seats left per post."""
    posts = {p.post_id: p for p in problem.posts}
    left = {p.post_id: (p.seats, p.spare) for p in problem.posts}
    by_id = {c.person_id: c for c in problem.candidates}
    placed: list[Placement] = []
    refused: dict[int, str] = {}
    for person_id, post_id in sorted(problem.pins.items()):
        candidate, post = by_id.get(person_id), posts.get(post_id)
        if candidate is None or post is None:
            refused[person_id] = r.PIN_UNKNOWN
            continue
        match, why = r.pairing(candidate, post, problem.near.get(post.specialty, frozenset()))
        seats, spare = left[post_id]
        if match is None:
            refused[person_id] = why or r.SPECIALTY
        elif seats + spare == 0:
            refused[person_id] = r.PIN_FULL
        else:
            left[post_id] = (seats - 1, spare) if seats else (seats, spare - 1)
            placed.append(Placement(person_id, post_id, match, spare=seats == 0, pinned=True))
    return placed, refused, left


def solve(problem: Problem) -> Solution:
    """The proposal: pins first, then the min-cost flow over everyone else (module docstring)."""
    pinned, refused, left = _place_pins(problem)
    taken = {p.person_id for p in pinned} | set(problem.excluded) | set(refused)
    free = [c for c in problem.candidates if c.person_id not in taken]
    pairs = _pairs(free, _seats_left(problem.posts, left), problem.near)
    class_flows, seat_flows = _min_cost_flow(pairs)
    placements = pinned + _hand_out(pairs, class_flows, seat_flows)
    return Solution(placements, refused, objective(problem, placements))


def objective(problem: Problem, placements: Iterable[Placement]) -> int:
    """The weighted sum of `placements` in the law's order (`assignment_rules.reward`)."""
    people = {c.person_id: c for c in problem.candidates}
    posts = {p.post_id: p for p in problem.posts}
    total = 0
    for placed in placements:
        candidate, post = people[placed.person_id], posts[placed.post_id]
        total += r.reward(
            match=placed.match,
            same_area=candidate.area_id is not None and candidate.area_id == post.area_id,
            category=candidate.category,
            force=post.force,
            spare=placed.spare,
        )
    return total


def _seats_left(posts: Sequence[r.Post], left: Mapping[int, tuple[int, int]]) -> list[r.Post]:
    return [
        r.Post(
            p.post_id,
            p.unit_id,
            p.specialty,
            p.min_rank,
            left[p.post_id][0],
            left[p.post_id][1],
            p.force,
            p.role,
            p.area_id,
        )
        for p in posts
    ]


SeatFlows = dict[int, tuple[int, int]]  # post id → (establishment seats, spare seats) filled


def _min_cost_flow(pairs: _Pairs) -> tuple[dict[tuple[int, int], int], SeatFlows]:
    """Flows class → hub, and the seats filled per post."""
    total = sum(len(k.members) for k in pairs.classes)
    if not total or not pairs.arcs:
        return {}, {}
    flow = min_cost_flow.SimpleMinCostFlow()
    posts = [post for hub in pairs.hubs for post in pairs.hub_posts[hub]]
    hub_base = len(pairs.classes)
    post_base = hub_base + len(pairs.hubs)
    spare_base = post_base + len(posts)
    sink = spare_base + len(posts)
    for ci, klass in enumerate(pairs.classes):
        flow.set_node_supply(ci, len(klass.members))
        flow.add_arc_with_capacity_and_unit_cost(ci, sink, len(klass.members), 0)
    flow.set_node_supply(sink, -total)
    class_arcs = [
        flow.add_arc_with_capacity_and_unit_cost(
            ci, hub_base + hi, len(pairs.classes[ci].members), -gain
        )
        for ci, hi, _match, gain in pairs.arcs
    ]
    seat_arcs: list[tuple[int, int, int]] = []  # post id, establishment arc, spare arc
    index = 0
    for hi, hub in enumerate(pairs.hubs):
        for post in pairs.hub_posts[hub]:
            node, spare_node = post_base + index, spare_base + index
            flow.add_arc_with_capacity_and_unit_cost(
                hub_base + hi, node, post.seats + post.spare, 0
            )
            est = flow.add_arc_with_capacity_and_unit_cost(
                node, sink, post.seats, -r.W_ESTABLISHMENT
            )
            flow.add_arc_with_capacity_and_unit_cost(node, spare_node, post.spare, 0)
            spare = flow.add_arc_with_capacity_and_unit_cost(
                spare_node, sink, post.spare, -r.W_SPARE
            )
            seat_arcs.append((post.post_id, est, spare))
            index += 1
    if flow.solve() != flow.OPTIMAL:  # cannot happen: every class may go unassigned
        raise RuntimeError("the assignment flow found no optimum")
    class_flows = {
        (ci, hi): amount
        for (ci, hi, _m, _g), arc in zip(pairs.arcs, class_arcs, strict=True)
        if (amount := flow.flow(arc))
    }
    seat_flows = {post_id: (flow.flow(est), flow.flow(spare)) for post_id, est, spare in seat_arcs}
    return class_flows, seat_flows


def _hand_out(
    pairs: _Pairs, class_flows: Mapping[tuple[int, int], int], seat_flows: SeatFlows
) -> list[Placement]:
    """Turn class → hub flows and seats per post into persons on seats; a class member who
    already holds one of the hub's posts keeps it (fewer moves), the others in person order."""
    match_of = {(ci, hi): m for ci, hi, m, _g in pairs.arcs}
    by_hub: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (ci, hi), amount in sorted(class_flows.items()):
        by_hub[hi].append((ci, amount))
    used: set[int] = set()
    placements: list[Placement] = []
    for hi, sources in sorted(by_hub.items()):
        slots: list[tuple[int, bool]] = []  # (post id, spare?), establishment seats first
        for post in pairs.hub_posts[pairs.hubs[hi]]:
            est, spare = seat_flows.get(post.post_id, (0, 0))
            slots += [(post.post_id, False)] * est + [(post.post_id, True)] * spare
        held = {post_id for post_id, _spare in slots}
        for ci, amount in sources:
            members = [c for c in pairs.classes[ci].members if c.person_id not in used]
            members.sort(key=lambda c: (c.current_post_id not in held, c.person_id))
            for candidate in members[:amount]:
                at = next((i for i, s in enumerate(slots) if s[0] == candidate.current_post_id), 0)
                post_id, spare = slots.pop(at)
                used.add(candidate.person_id)
                placements.append(
                    Placement(candidate.person_id, post_id, match_of[(ci, hi)], spare)
                )
    return placements


def greedy(problem: Problem) -> Solution:
    """The anchor: the same lawful pairs, taken from the highest reward down (establishment
    seats, then spare seats), each as many as the class and the hub still allow."""
    pinned, refused, left = _place_pins(problem)
    taken = {p.person_id for p in pinned} | set(problem.excluded) | set(refused)
    free = [c for c in problem.candidates if c.person_id not in taken]
    pairs = _pairs(free, _seats_left(problem.posts, left), problem.near)
    remaining = [len(k.members) for k in pairs.classes]
    class_flows: dict[tuple[int, int], int] = defaultdict(int)
    seat_flows: dict[int, list[int]] = {}
    hub_seats: dict[int, list[int]] = {}  # hub → [establishment, spare] left
    for hi, hub in enumerate(pairs.hubs):
        hub_posts = pairs.hub_posts[hub]
        hub_seats[hi] = [sum(p.seats for p in hub_posts), sum(p.spare for p in hub_posts)]
    for spare_round in (0, 1):
        for ci, hi, _match, _gain in sorted(pairs.arcs, key=lambda a: (-a[3], a[0], a[1])):
            amount = min(remaining[ci], hub_seats[hi][spare_round])
            if amount:
                remaining[ci] -= amount
                hub_seats[hi][spare_round] -= amount
                class_flows[(ci, hi)] += amount
    for hi, hub in enumerate(pairs.hubs):
        filled = [
            sum(p.seats for p in pairs.hub_posts[hub]) - hub_seats[hi][0],
            sum(p.spare for p in pairs.hub_posts[hub]) - hub_seats[hi][1],
        ]
        for post in pairs.hub_posts[hub]:
            est, spare = min(filled[0], post.seats), min(filled[1], post.spare)
            filled[0] -= est
            filled[1] -= spare
            seat_flows[post.post_id] = [est, spare]
    seats = {k: (v[0], v[1]) for k, v in seat_flows.items()}
    placements = pinned + _hand_out(pairs, class_flows, seats)
    return Solution(placements, refused, objective(problem, placements))


def exact_bound(problem: Problem) -> int:
    """The most establishment seats exact-specialty reservists could fill, pins aside: the
    LP bound for exact matches, as a maximum flow over the exact pairs alone."""
    _pinned, _refused, left = _place_pins(problem)
    pins = set(problem.pins) | set(problem.excluded)
    free = [c for c in problem.candidates if c.person_id not in pins]
    pairs = _pairs(free, _seats_left(problem.posts, left), problem.near)
    graph = max_flow.SimpleMaxFlow()
    source = len(pairs.classes) + len(pairs.hubs)
    sink = source + 1
    for ci, klass in enumerate(pairs.classes):
        graph.add_arc_with_capacity(source, ci, len(klass.members))
    for ci, hi, match, _gain in pairs.arcs:
        if match == r.EXACT:
            graph.add_arc_with_capacity(ci, len(pairs.classes) + hi, len(pairs.classes[ci].members))
    for hi, hub in enumerate(pairs.hubs):
        seats = sum(p.seats for p in pairs.hub_posts[hub])
        graph.add_arc_with_capacity(len(pairs.classes) + hi, sink, seats)
    if not pairs.arcs or graph.solve(source, sink) != graph.OPTIMAL:
        return 0
    return int(graph.optimal_flow())
