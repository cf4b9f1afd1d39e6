"""The assignment solver on small worlds whose best answer is known, against the law's order
(LLDBĐV Art. 16-17, Decree 14/2016 Art. 4), with the greedy anchor and the exact bound."""

from __future__ import annotations

import random

import pytest

from muster.reserve import assignment_rules as r
from muster.reserve import figures
from muster.reserve.solver import Problem, exact_bound, greedy, solve


def c(pid: int, spec: str = "INF", **kw: object) -> r.Candidate:
    base: dict[str, object] = {
        "person_id": pid,
        "specialty": spec,
        "area_id": 1,
        "category": 1,
        "sex": "M",
        "age": 25,
        "rank": 0,
    }
    base.update(kw)
    return r.Candidate(**base)  # type: ignore[arg-type]


def p(pid: int, spec: str = "INF", seats: int = 1, **kw: object) -> r.Post:
    base: dict[str, object] = {
        "post_id": pid,
        "unit_id": pid,
        "specialty": spec,
        "min_rank": 0,
        "seats": seats,
        "spare": 0,
        "force": r.MAIN,
        "role": r.COMBAT,
        "area_id": 1,
    }
    base.update(kw)
    return r.Post(**base)  # type: ignore[arg-type]


NEAR = {"INF": frozenset({"REC"}), "REC": frozenset({"INF"})}


def placed(problem: Problem) -> dict[int, tuple[int, str, bool]]:
    return {x.person_id: (x.post_id, x.match, x.spare) for x in solve(problem).placements}


def test_exact_before_near() -> None:
    """Art. 16(1): the exact specialty takes the seat; the near one only covers a shortfall."""
    got = placed(Problem([c(1, "REC"), c(2, "INF")], [p(10)], NEAR))
    assert got == {2: (10, "exact", False)}
    got = placed(Problem([c(1, "REC"), c(2, "INF")], [p(10, seats=2)], NEAR))
    assert got == {1: (10, "near", False), 2: (10, "exact", False)}


def test_same_area_then_category_1_then_main_force() -> None:
    """Art. 16(1) the same area, (2) category 1 before 2, (3) main force before local."""
    assert placed(Problem([c(1, area_id=2), c(2, area_id=1)], [p(10)], NEAR)) == {
        2: (10, "exact", False)
    }
    assert placed(Problem([c(1, category=2), c(2, category=1)], [p(10)], NEAR)) == {
        2: (10, "exact", False)
    }
    units = [p(10, force=r.LOCAL), p(11, force=r.MAIN)]
    assert placed(Problem([c(1)], units, NEAR)) == {1: (11, "exact", False)}


def test_filling_more_seats_beats_a_better_match() -> None:
    """Staffing first: the exact man goes where only he fits, the near one where he can."""
    posts = [p(10, "INF"), p(11, "SIG")]
    near = {"INF": frozenset({"REC"}), "SIG": frozenset({"INF"})}
    got = placed(Problem([c(1, "INF"), c(2, "REC")], posts, near))
    assert got == {1: (11, "near", False), 2: (10, "near", False)}


def test_age_women_and_rank_keep_people_out() -> None:
    """Art. 17(2) age caps; Decree 14/2016 Art. 4 women; the minimum rank."""
    people = [
        c(1, age=36),  # too old for combat
        c(2, sex="F", age=25),  # no woman in a combat unit
        c(3, rank=0),  # below the minimum rank of post 12
        c(4, sex="F", age=32),  # group B: logistics only
    ]
    posts = [
        p(10),
        p(11, seats=2, role=r.SUPPORT),
        p(12, role=r.SUPPORT, min_rank=2),
        p(13, seats=2, role=r.LOGISTICS),
    ]
    got = placed(Problem(people, posts, NEAR))
    assert got[1][0] in (11, 13)
    assert got[2][0] in (11, 13)
    assert got[4][0] == 13
    assert got[3][0] in (10, 11, 13)  # fits anywhere but the sergeant's post
    assert 12 not in {post for post, _m, _s in got.values()}


def test_spare_seats_after_establishment() -> None:
    """Art. 15(2): spare seats are filled only once the establishment is."""
    got = placed(Problem([c(1), c(2)], [p(10, spare=1), p(11)], NEAR))
    assert sorted(got.values()) == [(10, "exact", False), (11, "exact", False)]
    got = placed(Problem([c(1), c(2), c(3)], [p(10, spare=1), p(11)], NEAR))
    assert sorted(v[2] for v in got.values()) == [False, False, True]


def test_holders_keep_their_posts() -> None:
    """Among equals, who already holds the post stays (the what-if's moves stay few)."""
    people = [c(1), c(2, current_post_id=11), c(3, current_post_id=10)]
    got = placed(Problem(people, [p(10), p(11)], NEAR))
    assert got == {2: (11, "exact", False), 3: (10, "exact", False)}


def test_pins_and_exclusions() -> None:
    people = [c(1), c(2), c(3, "REC")]
    solution = solve(Problem(people, [p(10)], NEAR, pins={3: 10}, excluded=frozenset({1})))
    assert [(x.person_id, x.post_id, x.match, x.pinned) for x in solution.placements] == [
        (3, 10, "near", True)
    ]
    refused = solve(Problem([c(1, age=50)], [p(10)], NEAR, pins={1: 10})).refused_pins
    assert refused == {1: r.AGE}
    assert solve(Problem([c(1, "SIG")], [p(10)], NEAR, pins={1: 10})).refused_pins == {
        1: r.SPECIALTY
    }


def test_empty_problems() -> None:
    assert solve(Problem([], [p(10)], NEAR)).placements == []
    assert solve(Problem([c(1)], [], NEAR)).placements == []
    assert exact_bound(Problem([], [], NEAR)) == 0


def world(seed: int, people: int, units: int) -> Problem:
    rng = random.Random(seed)
    specs = ["INF", "REC", "SIG", "ART", "DRV", "MED"]
    near = {s: frozenset({specs[(i + 1) % len(specs)]}) for i, s in enumerate(specs)}
    candidates = [
        c(
            i,
            rng.choice(specs),
            area_id=rng.randint(1, 3),
            category=rng.choice((1, 1, 2)),
            sex=rng.choice("MMMMF"),
            age=rng.randint(20, 46),
            rank=rng.randint(0, 4),
        )
        for i in range(people)
    ]
    posts = [
        p(
            u * 10 + k,
            rng.choice(specs),
            seats=rng.randint(1, 4),
            spare=rng.randint(0, 1),
            unit_id=u,
            force=rng.choice(r.FORCES),
            role=rng.choice(r.ROLES),
            area_id=rng.randint(1, 3),
            min_rank=rng.choice((0, 0, 1, 3)),
        )
        for u in range(units)
        for k in range(3)
    ]
    return Problem(candidates, posts, near)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_solution_is_lawful_and_beats_greedy(seed: int) -> None:
    problem = world(seed, 120, 12)
    solution, anchor = solve(problem), greedy(problem)
    people = {x.person_id: x for x in problem.candidates}
    posts = {x.post_id: x for x in problem.posts}
    assert len({x.person_id for x in solution.placements}) == len(solution.placements)
    for x in solution.placements:
        post = posts[x.post_id]
        match, why = r.pairing(
            people[x.person_id], post, problem.near.get(post.specialty, frozenset())
        )
        assert why is None
        assert match == x.match
    used: dict[tuple[int, bool], int] = {}
    for x in solution.placements:
        used[(x.post_id, x.spare)] = used.get((x.post_id, x.spare), 0) + 1
    for (post_id, spare), n in used.items():
        assert n <= (posts[post_id].spare if spare else posts[post_id].seats)
    assert solution.objective >= anchor.objective
    rows = figures.total(
        figures.unit_figures(problem.posts, problem.candidates, solution.placements)
    )
    exact_in_seats = sum(1 for x in solution.placements if x.match == "exact" and not x.spare)
    assert exact_in_seats <= exact_bound(problem)
    assert rows.filled + rows.spare_filled == len(solution.placements)
