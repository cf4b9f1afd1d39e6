"""Self-defence rules, table-driven: Art. 17's founding conditions at their boundaries (24
months of operation, a squad of eligible workers) and the forces a self-defence force forms
(DQTV Art. 6, 15)."""

from __future__ import annotations

from datetime import date

import pytest

from muster.militia import rules

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("operating_since", "founded_on", "workers", "codes"),
    [
        (date(2024, 6, 1), date(2026, 6, 1), 9, set()),  # exactly 24 months (Art. 17)
        (date(2024, 6, 2), date(2026, 6, 1), 9, {"SELF_DEFENCE_TOO_YOUNG"}),  # a day short
        (date(2020, 1, 1), date(2026, 6, 1), 8, {"SELF_DEFENCE_TOO_FEW_WORKERS"}),  # < a squad
        (date(2020, 1, 1), date(2026, 6, 1), 9, set()),  # a squad exactly
        (
            date(2025, 1, 1),
            date(2026, 6, 1),
            3,
            {"SELF_DEFENCE_TOO_YOUNG", "SELF_DEFENCE_TOO_FEW_WORKERS"},
        ),
        (date(2020, 1, 1), date(2026, 12, 7), 50, {"DATE_IN_FUTURE"}),
        (date(2024, 2, 29), date(2026, 3, 1), 9, set()),  # a leap day: 24 months on 1 March
        (date(2024, 2, 29), date(2026, 2, 28), 9, {"SELF_DEFENCE_TOO_YOUNG"}),
    ],
)
def test_founding_conditions(operating_since, founded_on, workers, codes):
    problems = rules.self_defence_founding_problems(
        operating_since=operating_since,
        founded_on=founded_on,
        eligible_workers=workers,
        squad_size=9,
        today=TODAY,
    )
    assert {p.code for p in problems} == codes


def test_squad_size_is_a_parameter():
    kw = {"operating_since": date(2020, 1, 1), "founded_on": date(2026, 1, 1), "today": TODAY}
    assert rules.self_defence_founding_problems(eligible_workers=7, squad_size=7, **kw) == []
    assert rules.self_defence_founding_problems(eligible_workers=7, squad_size=12, **kw)


@pytest.mark.parametrize(
    ("force_kind", "vessels", "codes"),
    [
        ("in_place", False, set()),
        ("mobile", False, set()),
        ("specialised", False, set()),
        ("naval", True, set()),  # maritime self-defence with vessels (Art. 15)
        ("naval", False, {"SELF_DEFENCE_NO_VESSELS"}),
        ("standing", True, {"SELF_DEFENCE_FORCE"}),  # standing militia only (Art. 6)
    ],
)
def test_self_defence_forces(force_kind, vessels, codes):
    problems = rules.self_defence_force_problems(force_kind, has_vessels=vessels)
    assert {p.code for p in problems} == codes
