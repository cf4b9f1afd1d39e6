"""Synthetic households, matched within each (commune, ethnic group) cell: couples by age rank,
children to a mother 18–42 years older, widowed elders and some young couples with a parent's
household, relatives up to a size limit. Pure numpy sorts, searches and gathers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from muster.demo import names as nt
from muster.demo.demography import (
    AGE_KEY,
    ELDER_WITH_CHILD,
    ELDER_WITH_CHILD_MINORITY,
    FEMALE_MARRIED,
    MALE_MARRIED,
    MAX_CHILDREN,
    MAX_HOUSEHOLD,
    MAX_HUSBAND_OLDER,
    MAX_WIFE_OLDER,
    MERGE_SHARE,
    MERGE_SHARE_MINORITY,
    MIN_AGE_ALONE,
    RELATIVE_SHARE,
    RELATIVE_SHARE_MINORITY,
    WITH_PARENTS,
    BoolArray,
    IntArray,
    by_age,
)
from muster.demo.person_names import MATRILINEAL


@dataclass(frozen=True)
class Households:
    household: IntArray  # per person: dense household index
    role: IntArray  # per person: 0 head, 1 spouse, 2 elder, 3 child or co-resident young couple
    serial: IntArray  # per person: household serial within the commune (1-based)
    commune: IntArray  # per household
    ethnicity: IntArray  # per household (the head's)


def _pick(
    keys: IntArray, order: IntArray, low: IntArray, high: IntArray, rng: np.random.Generator
) -> IntArray:
    """For each query, a random element whose sorted key lies in [low, high], or -1."""
    if not keys.size:
        return np.full(low.size, -1, dtype=np.int64)
    lo = np.searchsorted(keys, low, side="left")
    hi = np.searchsorted(keys, high, side="right")
    span = np.maximum(hi - lo, 0)
    pick = np.minimum(lo + (rng.random(low.size) * span).astype(np.int64), keys.size - 1)
    return np.where(span > 0, order[pick], -1).astype(np.int64)


def _over_quota(target: IntArray, count: int, quota: IntArray | int) -> BoolArray:
    """Which queries exceed their target's quota, taking queries in array order per target.

    ``target`` holds indexes below ``count`` (or -1 for none, never over quota).
    """
    slot = np.where(target >= 0, target, count)
    by_target = np.argsort(slot, kind="stable")
    first = np.searchsorted(slot[by_target], slot[by_target])
    queue = np.empty(slot.size, dtype=np.int64)
    queue[by_target] = np.arange(slot.size) - first
    limit = np.append(np.broadcast_to(np.asarray(quota, dtype=np.int64), (count,)), slot.size)
    return (target >= 0) & (queue >= limit[slot])


def _sorted_keys(key: IntArray) -> tuple[IntArray, IntArray]:
    order = np.argsort(key, kind="stable").astype(np.int64)
    return key[order], order


def _pair(
    group: IntArray, age: IntArray, male: BoolArray, rng: np.random.Generator
) -> tuple[IntArray, IntArray]:
    """Wives and husbands paired by age rank within each group (same commune and ethnicity)."""
    p_married = np.where(male, by_age(MALE_MARRIED)[age], by_age(FEMALE_MARRIED)[age])
    intends = rng.random(age.size) < p_married
    jitter = age + rng.normal(0.0, 2.0, age.size)
    women = np.flatnonzero(intends & ~male)
    men = np.flatnonzero(intends & male)
    women = women[np.lexsort((jitter[women], group[women]))]
    men = men[np.lexsort((jitter[men], group[men]))]
    n_groups = int(group.max()) + 1
    n_women = np.bincount(group[women], minlength=n_groups)
    n_men = np.bincount(group[men], minlength=n_groups)
    pairs = np.minimum(n_women, n_men)
    # Take `pairs` people evenly spread over each side's age ranking, so a surplus of one sex is
    # dropped across all ages rather than only at the young or old end.
    owner = np.repeat(np.arange(n_groups), pairs)
    rank = np.arange(pairs.sum()) - np.repeat(np.cumsum(pairs) - pairs, pairs)
    wife = women[np.cumsum(n_women)[owner] - n_women[owner] + rank * n_women[owner] // pairs[owner]]
    husband = men[np.cumsum(n_men)[owner] - n_men[owner] + rank * n_men[owner] // pairs[owner]]
    # Rank pairing in a lopsided group can match very different ages; those stay single.
    gap = age[husband] - age[wife]
    keep = (gap >= -MAX_WIFE_OLDER) & (gap <= MAX_HUSBAND_OLDER)
    return wife[keep].astype(np.int64), husband[keep].astype(np.int64)


def match_households(
    commune: IntArray,
    eth: IntArray,
    age: IntArray,
    male: BoolArray,
    surname: IntArray,
    n_communes: int,
    rng: np.random.Generator,
) -> Households:
    """Group people into households; rewrites ``surname`` in place for inherited surnames."""
    n = age.size
    group = commune * len(nt.ETHNICITIES) + eth
    wife, husband = _pair(group, age, male, rng)
    couples = wife.size
    unit = np.full(n, -1, dtype=np.int64)
    role = np.full(n, 3, dtype=np.int64)
    unit[wife] = np.arange(couples)
    unit[husband] = np.arange(couples)
    couple_group = group[wife]
    # The spouse whose surname the children take and whose parents the couple may live with.
    lineage = np.where(MATRILINEAL[eth[wife]], wife, husband)

    # Couples by mother's age: used to find a person's parents.
    mother_keys, mother_order = _sorted_keys(couple_group * AGE_KEY + age[wife])

    # Some young couples live with the lineage spouse's parents (one level only).
    minority_merge = np.array(
        [MERGE_SHARE.get(name, MERGE_SHARE_MINORITY) for name in nt.ETHNICITIES]
    )
    young = np.flatnonzero(
        (age[lineage] < 33) & (rng.random(couples) < minority_merge[eth[lineage]])
    )
    base = couple_group[young] * AGE_KEY
    parent = _pick(
        mother_keys,
        mother_order,
        base + age[lineage[young]] + 18,
        base + age[lineage[young]] + 42,
        rng,
    )
    moved_in = np.full(couples, -1, dtype=np.int64)
    # One married child's family per parents' home (often the youngest son stays).
    ok = (parent >= 0) & (parent != young) & ~_over_quota(parent, couples, 1)
    moved_in[young[ok]] = parent[ok]
    has_parent = moved_in >= 0
    moved_in = np.where(has_parent & has_parent[np.maximum(moved_in, 0)], -1, moved_in)
    has_parent = moved_in >= 0
    root = np.where(has_parent, moved_in, np.arange(couples))
    surname[lineage[has_parent]] = surname[lineage[moved_in[has_parent]]]
    role[wife[~has_parent]] = 1
    role[husband[~has_parent]] = 0

    # Unmarried children and young adults join a couple where the mother is 18–42 years older,
    # preferring a mother's age at birth near 27.
    with_parents = rng.random(n) < by_age(WITH_PARENTS)[age]
    child = np.flatnonzero((unit < 0) & with_parents)
    a = age[child]
    base = group[child] * AGE_KEY
    gap = np.clip(np.rint(rng.normal(27.0, 5.0, child.size)), 20, 40).astype(np.int64)
    home = _pick(mother_keys, mother_order, base + a + gap - 2, base + a + gap + 2, rng)
    missing = home < 0
    home[missing] = _pick(
        mother_keys,
        mother_order,
        base[missing] + a[missing] + 18,
        base[missing] + a[missing] + 42,
        rng,
    )
    # A mother already given MAX_CHILDREN is passed over once for another in the wide window.
    crowded = _over_quota(home, couples, MAX_CHILDREN)
    home[crowded] = _pick(
        mother_keys,
        mother_order,
        base[crowded] + a[crowded] + 18,
        base[crowded] + a[crowded] + 42,
        rng,
    )
    # Minors with no possible parent in their group live with another family of the commune.
    orphan = (home < 0) & (a < 18)
    commune_keys, commune_order = _sorted_keys(commune[wife])
    home[orphan] = _pick(
        commune_keys, commune_order, commune[child[orphan]], commune[child[orphan]], rng
    )
    found = home >= 0
    kid, kid_home = child[found], home[found]
    unit[kid] = kid_home
    # A child taken in by a family of another group is a relative and keeps a surname of its own.
    own = couple_group[kid_home] == group[kid]
    surname[kid[own]] = surname[lineage[kid_home[own]]]

    # Widowed elders live with a son (a daughter in matrilineal groups) who heads his own home.
    elder_share = np.array(
        [ELDER_WITH_CHILD.get(name, ELDER_WITH_CHILD_MINORITY) for name in nt.ETHNICITIES]
    )
    elder = np.flatnonzero((unit < 0) & (age >= 60) & (rng.random(n) < elder_share[eth]))
    heads = np.flatnonzero(~has_parent)
    lineage_keys, lineage_order = _sorted_keys(couple_group[heads] * AGE_KEY + age[lineage[heads]])
    base = group[elder] * AGE_KEY
    home = _pick(
        lineage_keys, heads[lineage_order], base + age[elder] - 42, base + age[elder] - 20, rng
    )
    found = home >= 0
    elder, home = elder[found], home[found]
    unit[elder] = home
    role[elder] = 2
    same_line = male[elder] != MATRILINEAL[eth[elder]]
    surname[elder[same_line]] = surname[lineage[home[same_line]]]

    # Most remaining adults (unmarried, widowed, or without a match) live with relatives rather
    # than alone: they join a family of their group, keeping their own surname.
    relative_share = np.array(
        [RELATIVE_SHARE.get(name, RELATIVE_SHARE_MINORITY) for name in nt.ETHNICITIES]
    )
    relative = np.flatnonzero(
        (unit < 0) & ((rng.random(n) < relative_share[eth]) | (age < MIN_AGE_ALONE))
    )
    group_keys, group_order = _sorted_keys(couple_group[heads])
    home = _pick(group_keys, heads[group_order], group[relative], group[relative], rng)
    # Small groups have few families to go round: a relative who would push a household past
    # MAX_HOUSEHOLD lives alone instead.
    size = np.bincount(root[unit[unit >= 0]], minlength=couples)
    room = np.maximum(MAX_HOUSEHOLD - size, 0)
    found = (home >= 0) & (~_over_quota(home, couples, room) | (age[relative] < MIN_AGE_ALONE))
    unit[relative[found]] = home[found]

    # Everyone else lives alone.
    alone = np.flatnonzero(unit < 0)
    unit[alone] = couples + np.arange(alone.size)
    role[alone] = 0
    root = np.concatenate([root, couples + np.arange(alone.size)])
    household_of_unit = np.unique(root, return_inverse=True)[1].astype(np.int64)
    household = household_of_unit[unit]

    count = int(household.max()) + 1
    hh_commune = np.zeros(count, dtype=np.int64)
    hh_commune[household] = commune
    hh_eth = np.zeros(count, dtype=np.int64)
    head = role == 0
    hh_eth[household[head]] = eth[head]
    # Serial numbers run 1.. within each commune in a shuffled order.
    order = np.lexsort((rng.random(count), hh_commune))
    first = np.searchsorted(hh_commune[order], np.arange(n_communes))
    serial = np.empty(count, dtype=np.int64)
    serial[order] = np.arange(count) - first[hh_commune[order]] + 1
    return Households(household, role, serial[household], hh_commune, hh_eth)
