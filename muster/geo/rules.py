"""Pure decisions about administrative geography: no ORM, no I/O."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TypeVar

from muster.geo.models import SuccessionKind

# Resolution 202/2025/QH15 (12 Jun 2025) and the Standing Committee resolutions on commune
# arrangement put the two-tier model in force from 1 Jul 2025; the legacy units held
# until the day before.
REFORM_EFFECTIVE_ON = date(2025, 7, 1)
LEGACY_VALID_TO = date(2025, 6, 30)

J = TypeVar("J")
K = TypeVar("K")


def succession_kind(*, successors_of_predecessor: int, predecessors_of_successor: int) -> str:
    """How one predecessor → successor link is classed under the 2025 arrangement.

    Resolution 202/2025/QH15 and the commune-arrangement resolutions of the NA Standing
    Committee either move a whole unit into a new one (with others: "merged"; alone:
    "continued") or divide a unit's territory between several new units ("split").
    A split wins over a merge: the predecessor's people must choose among successors.
    """
    if successors_of_predecessor < 1 or predecessors_of_successor < 1:
        raise ValueError("a succession link needs at least one unit on each side")
    if successors_of_predecessor > 1:
        return SuccessionKind.SPLIT
    if predecessors_of_successor > 1:
        return SuccessionKind.MERGED
    return SuccessionKind.CONTINUED


def apportion_area(
    successor_area: Mapping[K, float | None], links: Iterable[tuple[J, K]]
) -> dict[J, float]:
    """Estimate each predecessor's area from its successors' (surveyed) areas, in km².

    The legacy data has no areas (only geocoder boxes, often of the wrong place). Each
    2025 unit's area is shared equally among its predecessors; a predecessor sums its
    shares. Totals are kept: the predecessors' areas add up to the successors'.
    """
    by_successor: dict[K, list[J]] = defaultdict(list)
    for predecessor, successor in links:
        by_successor[successor].append(predecessor)
    areas: dict[J, float] = defaultdict(float)
    for successor, predecessors in by_successor.items():
        area = successor_area.get(successor)
        if area is None:
            continue
        for predecessor in predecessors:
            areas[predecessor] += area / len(predecessors)
    return dict(areas)


def majority_choice(shares: dict[str, tuple[int, float]]) -> str:
    """The key with most predecessor units; ties → the larger summed area, then lowest key.

    Used to attach a 2025 commune to the legacy district most of it came from (for grouping
    communes under Area Defence Commands, MoD Decision 2786/QĐ-BQP of 14 Jun 2025).
    `shares` maps a key (a district code) to (number of predecessor wards, their area km²).
    """
    if not shares:
        raise ValueError("shares: at least one candidate is needed")
    return min(shares, key=lambda key: (-shares[key][0], -shares[key][1], key))
