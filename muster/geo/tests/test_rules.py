"""Pure rules: succession kinds, area apportioning, majority choice (no database)."""

from __future__ import annotations

import pytest

from muster.geo import rules
from muster.geo.models import SuccessionKind


@pytest.mark.parametrize(
    ("out", "into", "kind"),
    [
        (1, 1, SuccessionKind.CONTINUED),
        (1, 4, SuccessionKind.MERGED),
        (2, 1, SuccessionKind.SPLIT),
        (3, 5, SuccessionKind.SPLIT),
    ],
)
def test_succession_kind(out: int, into: int, kind: str) -> None:
    assert (
        rules.succession_kind(successors_of_predecessor=out, predecessors_of_successor=into) == kind
    )


def test_succession_kind_refuses_empty_side() -> None:
    with pytest.raises(ValueError, match="at least one"):
        rules.succession_kind(successors_of_predecessor=0, predecessors_of_successor=1)


def test_apportion_area_keeps_totals_and_shares_equally() -> None:
    links = [("a", "X"), ("b", "X"), ("b", "Y"), ("c", "Z")]
    areas = rules.apportion_area({"X": 10.0, "Y": 4.0, "Z": None}, links)
    assert areas == {"a": 5.0, "b": 9.0}
    assert sum(areas.values()) == 14.0


def test_majority_choice_count_then_area_then_code() -> None:
    assert rules.majority_choice({"002": (3, 1.0), "001": (2, 99.0)}) == "002"
    assert rules.majority_choice({"002": (2, 5.0), "001": (2, 4.0)}) == "002"
    assert rules.majority_choice({"002": (2, 5.0), "001": (2, 5.0)}) == "001"
    with pytest.raises(ValueError, match="shares"):
        rules.majority_choice({})
