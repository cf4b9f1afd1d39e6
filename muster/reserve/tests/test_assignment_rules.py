"""The assignment's rules, table-driven, each case citing its basis: age caps (LLDBĐV Art.
17(2)), women's units (Decree 14/2016/NĐ-CP Art. 4), the minimum rank, the specialty match and
the priority order (LLDBĐV Art. 16(1)-(3)), the spare margin (Art. 15(2))."""

from __future__ import annotations

import pytest

from muster.reserve import assignment_rules as r


def candidate(**kw: object) -> r.Candidate:
    base: dict[str, object] = {
        "person_id": 1,
        "specialty": "INF",
        "area_id": 7,
        "category": 1,
        "sex": "M",
        "age": 30,
        "rank": 0,
    }
    base.update(kw)
    return r.Candidate(**base)  # type: ignore[arg-type]


def post(**kw: object) -> r.Post:
    base: dict[str, object] = {
        "post_id": 1,
        "unit_id": 1,
        "specialty": "INF",
        "min_rank": 0,
        "seats": 1,
        "spare": 0,
        "force": r.MAIN,
        "role": r.COMBAT,
        "area_id": 7,
    }
    base.update(kw)
    return r.Post(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("role", "sex", "professional", "cap", "basis"),
    [
        (r.COMBAT, "M", False, 35, "LLDBĐV Art. 17(2): NCOs and soldiers in combat units to 35"),
        (r.COMBAT, "M", True, 40, "Art. 17(2): professional soldiers in combat units to 40"),
        (r.SUPPORT, "M", False, 45, "Art. 17(2): men in combat-support units to 45"),
        (r.SUPPORT, "F", False, 40, "Art. 17(2): women in combat-support units to 40"),
        (r.LOGISTICS, "M", False, 45, "Art. 17(2): support units, men to 45"),
        (r.LOGISTICS, "F", False, 40, "Art. 17(2): support units, women to 40"),
    ],
)
def test_age_cap(role: str, sex: str, professional: bool, cap: int, basis: str) -> None:
    assert r.age_cap(role=role, sex=sex, professional=professional) == cap, basis


@pytest.mark.parametrize(
    ("kw", "post_kw", "refused", "basis"),
    [
        ({"age": 35}, {}, None, "Art. 17(2): to the end of 35 in a combat unit"),
        ({"age": 36}, {}, r.AGE, "Art. 17(2): 36 is past the combat cap"),
        ({"age": 40, "professional": True}, {}, None, "Art. 17(2): professional to 40"),
        ({"age": 41, "professional": True}, {}, r.AGE, "Art. 17(2): professional past 40"),
        ({"age": 45}, {"role": r.SUPPORT}, None, "Art. 17(2): men to 45 in support"),
        ({"age": 46}, {"role": r.SUPPORT}, r.AGE, "Art. 17(2): 46 past the support cap"),
        ({"sex": "F", "age": 25}, {}, r.WOMEN, "Decree 14/2016 Art. 4: no combat unit"),
        ({"sex": "F", "age": 30}, {"role": r.SUPPORT}, None, "Art. 4: group A to support"),
        ({"sex": "F", "age": 31}, {"role": r.SUPPORT}, r.WOMEN, "Art. 4: group B not support"),
        ({"sex": "F", "age": 31}, {"role": r.LOGISTICS}, None, "Art. 4: A and B to logistics"),
        ({"sex": "F", "age": 40}, {"role": r.LOGISTICS}, None, "Art. 17(2): women to 40"),
        ({"sex": "F", "age": 41}, {"role": r.LOGISTICS}, r.AGE, "Art. 17(2): women past 40"),
        ({"rank": 1}, {"min_rank": 2}, r.RANK, "the establishment's minimum rank"),
        ({"rank": 2}, {"min_rank": 2}, None, "the minimum rank met"),
    ],
)
def test_ineligibility(
    kw: dict[str, object], post_kw: dict[str, object], refused: str | None, basis: str
) -> None:
    assert r.ineligibility(candidate(**kw), post(**post_kw)) == refused, basis


@pytest.mark.parametrize(
    ("mine", "theirs", "near", "match"),
    [
        ("INF", "INF", frozenset(), r.EXACT),  # Art. 16(1): the exact specialty
        ("REC", "INF", frozenset({"REC"}), r.NEAR),  # Art. 16(1): a near one when short
        ("SIG", "INF", frozenset({"REC"}), None),  # neither
        ("", "INF", frozenset({""}), None),  # no specialty recorded matches nothing
    ],
)
def test_specialty_match(mine: str, theirs: str, near: frozenset[str], match: str | None) -> None:
    assert r.specialty_match(mine, theirs, near) == match


def test_priority_order_follows_article_16() -> None:
    """Art. 16: a filled seat first, then (1) exact specialty, same area, (2) category 1,
    (3) main force; each step outweighs all below it together."""

    def w(**kw: object) -> int:
        base: dict[str, object] = {
            "match": r.NEAR,
            "same_area": False,
            "category": 2,
            "force": r.LOCAL,
            "spare": False,
        }
        base.update(kw)
        return r.reward(**base)  # type: ignore[arg-type]

    everything_below = w(same_area=True, category=1, force=r.MAIN)
    assert w(match=r.EXACT) > everything_below
    assert w(same_area=True) > w(category=1, force=r.MAIN)
    assert w(category=1) > w(force=r.MAIN)
    assert w(force=r.MAIN) > w()
    assert w(spare=True, match=r.EXACT, same_area=True, category=1, force=r.MAIN) < w()


@pytest.mark.parametrize(
    ("percent", "allowed"), [(9, False), (10, True), (12, True), (15, True), (16, False)]
)
def test_spare_percent(percent: int, allowed: bool) -> None:
    assert r.spare_percent_allowed(percent) is allowed  # LLDBĐV Art. 15(2)


@pytest.mark.parametrize(
    ("counts", "percent", "spare"),
    [
        ([10], 10, [1]),
        ([10], 15, [2]),  # 1.5 rounds up: the margin is at least the percentage
        ([9, 1], 10, [1, 0]),
        ([5, 5, 5], 10, [1, 1, 0]),  # 1.5 → 2 seats; the first rows take the remainders
        ([30, 10, 20], 12, [4, 1, 3]),  # 7.2 → 8
        ([], 10, []),
        ([0, 0], 10, [0, 0]),
    ],
)
def test_spare_seats_by_post(counts: list[int], percent: int, spare: list[int]) -> None:
    assert r.spare_seats_by_post(counts, percent) == spare
    assert sum(spare) >= sum(counts) * percent / 100
