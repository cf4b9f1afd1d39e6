"""Who may fill which post of a reserve unit, and in what order (pure: no ORM, no I/O).

The Law on Reserve Forces (LLDBĐV, 53/2019/QH14) Art. 16 orders the choice of reservists for a
unit's posts: (1) fit, with the exact military specialty of the post and from the recruitment
area matched to the unit, then — short of those — a near specialty; (2) professional soldiers
and category-1 NCOs and soldiers before category 2; (3) the reserve units of main-force units
before those of local-force units. Art. 17(2) caps the age by the kind of unit, and Decree
14/2016/NĐ-CP Art. 4 says where women reservists go. Art. 15(2) keeps a spare margin of
10–15 %. The solver (`reserve.solver`) and its greedy anchor both take their order from here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Literal

MAIN: Final = "main"  # reserve unit of a main-force unit (chủ lực)
LOCAL: Final = "local"  # of a local-force unit (địa phương)
COMBAT: Final = "combat"  # chiến đấu
SUPPORT: Final = "support"  # combat support of services, arms and local forces (bảo đảm chiến đấu)
LOGISTICS: Final = "logistics"  # logistics, technical and specialised units (hậu cần, kỹ thuật)
FORCES: Final = (MAIN, LOCAL)
ROLES: Final = (COMBAT, SUPPORT, LOGISTICS)

EXACT: Final = "exact"
NEAR: Final = "near"
Match = Literal["exact", "near"]

SPARE_MIN, SPARE_MAX = 10, 15  # per cent, LLDBĐV Art. 15(2)

# What a refused pairing is refused for (worded in reserve/wording.py).
AGE = "RESERVE_ASSIGN_AGE"
WOMEN = "RESERVE_ASSIGN_WOMEN"
RANK = "RESERVE_ASSIGN_RANK"
SPECIALTY = "RESERVE_ASSIGN_SPECIALTY"
PIN_FULL = "RESERVE_PIN_FULL"  # a pin on a post whose seats are all pinned already
PIN_UNKNOWN = "RESERVE_PIN_NOT_A_CANDIDATE"  # not a reservist who may be assigned that day

# The weight of each priority in one assignment's reward. Each step outweighs the sum of all
# below it, so for one post the order is the law's: a filled establishment seat, then a spare
# seat (Art. 15(2)); the exact specialty (Art. 16(1)); the same recruitment area (Art. 16(1));
# category 1 (Art. 16(2)); a main-force unit (Art. 16(3)).
W_ESTABLISHMENT: Final = 100_000
W_SPARE: Final = 50_000
W_EXACT: Final = 10_000
W_AREA: Final = 1_000
W_CATEGORY_1: Final = 100
W_MAIN_FORCE: Final = 10


@dataclass(frozen=True)
class Candidate:
    """A reservist as the assignment sees him or her on the assignment day."""

    person_id: int
    specialty: str  # the specialty code; "" when none is recorded
    area_id: int | None  # the area defence command covering the residence commune
    category: int  # 1 or 2 (MSL Art. 24)
    sex: str  # "M" | "F"
    age: int  # whole years on the day
    rank: int  # the rank's order (`specialties.rank_order`; 0: none recorded)
    professional: bool = False  # a reserve professional soldier (quân nhân chuyên nghiệp)
    current_post_id: int | None = None  # the post held before this proposal (who moves)


@dataclass(frozen=True)
class Post:
    """One row of a unit's establishment table, as seats to fill."""

    post_id: int
    unit_id: int
    specialty: str
    min_rank: int  # the minimum rank's order (0: any)
    seats: int  # the establishment count
    spare: int  # spare seats on top (spare_seats_by_post)
    force: str  # MAIN | LOCAL
    role: str  # COMBAT | SUPPORT | LOGISTICS
    area_id: int | None  # the recruitment area matched to the unit's mobilisation area


def spare_percent_allowed(percent: int) -> bool:
    """A unit's spare margin is 10–15 % of its personnel (LLDBĐV Art. 15(2))."""
    return SPARE_MIN <= percent <= SPARE_MAX


def spare_seats_by_post(counts: list[int], percent: int) -> list[int]:
    """The spare seats of each establishment row: the unit's total is the margin of its whole
    establishment rounded up (LLDBĐV Art. 15(2)), shared among its rows in proportion, the
    remainders going to the largest fractions (then the first rows)."""
    total = sum(counts)
    if total == 0:
        return [0 for _ in counts]
    wanted = math.ceil(total * percent / 100)
    exact = [count * wanted / total for count in counts]
    shares = [math.floor(x) for x in exact]
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: wanted - sum(shares)]:
        shares[i] += 1
    return shares


def age_cap(*, role: str, sex: str, professional: bool) -> int:
    """The oldest age (to its end) a unit of `role` takes (LLDBĐV Art. 17(2)): combat units
    take reserve professional soldiers to 40 and NCOs and soldiers to 35; combat-support (and
    logistics) units take men to 45 and women to 40."""
    if role == COMBAT:
        return 40 if professional else 35
    return 45 if sex == "M" else 40


def women_group(age: int) -> str:
    """A woman's reserve group: A to the end of age 30, B from 31 (MSL Art. 26)."""
    return "A" if age <= 30 else "B"


def women_may_serve(*, role: str, age: int) -> bool:
    """Decree 14/2016/NĐ-CP Art. 4: women go to no combat unit; group A to the combat-support
    units of services, arms and local forces; groups A and B to logistics and technical units,
    specialised reserve units and others."""
    if role == COMBAT:
        return False
    if role == SUPPORT:
        return women_group(age) == "A"
    return True


def ineligibility(candidate: Candidate, post: Post) -> str | None:
    """Why `candidate` may not fill `post` whatever the specialty, or None: the age cap
    (LLDBĐV Art. 17(2)), women's units (Decree 14/2016 Art. 4), the post's minimum rank."""
    cap = age_cap(role=post.role, sex=candidate.sex, professional=candidate.professional)
    if candidate.age > cap:
        return AGE
    if candidate.sex == "F" and not women_may_serve(role=post.role, age=candidate.age):
        return WOMEN
    if candidate.rank < post.min_rank:
        return RANK
    return None


def specialty_match(
    person_specialty: str, post_specialty: str, near: frozenset[str]
) -> Match | None:
    """`exact` when the reservist's specialty is the post's, `near` when it is one of the
    post specialty's near specialties (`near`), else None (LLDBĐV Art. 16(1))."""
    if not person_specialty:
        return None
    if person_specialty == post_specialty:
        return EXACT
    if person_specialty in near:
        return NEAR
    return None


def reward(*, match: Match, same_area: bool, category: int, force: str, spare: bool) -> int:
    """The weight of one assignment in the law's priority order (module docstring): the
    solver maximises the sum, the greedy anchor takes pairs from the highest."""
    return (
        (W_SPARE if spare else W_ESTABLISHMENT)
        + (W_EXACT if match == EXACT else 0)
        + (W_AREA if same_area else 0)
        + (W_CATEGORY_1 if category == 1 else 0)
        + (W_MAIN_FORCE if force == MAIN else 0)
    )


def pairing(
    candidate: Candidate, post: Post, near: frozenset[str]
) -> tuple[Match | None, str | None]:
    """The match of `candidate` on `post` and, when they may not pair, the code saying why
    (eligibility first, then the specialty)."""
    refused = ineligibility(candidate, post)
    if refused is not None:
        return None, refused
    match = specialty_match(candidate.specialty, post.specialty, near)
    return match, (None if match else SPECIALTY)
