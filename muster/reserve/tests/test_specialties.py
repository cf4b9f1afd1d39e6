"""The specialty and rank tables: near specialties are symmetric and known (LLDBĐV Art.
16(1)), every entry is named in both languages, ranks are ordered across ladders."""

from __future__ import annotations

import pytest

from muster.reserve.specialties import (
    RANKS,
    SPECIALTIES,
    near_specialties,
    rank_at_least,
    rank_order,
    specialty_match,
)


@pytest.mark.parametrize("code", sorted(SPECIALTIES))
def test_near_is_known_symmetric_and_not_itself(code):
    for near in near_specialties(code):
        assert near in SPECIALTIES
        assert near != code
        assert code in near_specialties(near)


@pytest.mark.parametrize("table", [SPECIALTIES, RANKS])
def test_named_in_both_languages(table):
    for item in table.values():
        assert item.name("vi")
        assert item.name("en")
        assert item.name("vi") != item.name("en")


# LLDBĐV Art. 16(1): exact first, then near.
@pytest.mark.parametrize(
    ("required", "held", "match"),
    [
        ("SIGNAL_RADIO", "SIGNAL_RADIO", "exact"),
        ("SIGNAL_RADIO", "SIGNAL_WIRE", "near"),
        ("SIGNAL_WIRE", "SIGNAL_RADIO", "near"),
        ("SIGNAL_RADIO", "COOK", None),
        ("SIGNAL_RADIO", "", None),
        ("UNKNOWN", "UNKNOWN", "exact"),
    ],
)
def test_specialty_match(required, held, match):
    assert specialty_match(required, held) == match


@pytest.mark.parametrize(
    ("held", "minimum", "ok"),
    [
        ("HA_SI", "HA_SI", True),
        ("TRUNG_SI", "HA_SI", True),
        ("BINH_NHAT", "HA_SI", False),
        ("", "HA_SI", False),
        ("", "", True),
        ("QNCN_THIEU_UY", "THUONG_SI", True),
        ("THIEU_UY", "QNCN_THUONG_TA", True),
    ],
)
def test_rank_at_least(held, minimum, ok):
    assert rank_at_least(held, minimum) is ok


def test_rank_orders_are_distinct():
    orders = [rank_order(code) for code in RANKS]
    assert len(set(orders)) == len(orders)
    assert rank_order("NONE") == 0
