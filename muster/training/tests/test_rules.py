"""Training rules, table-driven: the days of DQTV Art. 28(1) (MILITIA_TRAINING_DAYS) by force
and year of service, and what a session and an attendance may hold."""

from __future__ import annotations

from datetime import date

import pytest

from muster.training import rules


@pytest.mark.parametrize(
    ("force_kind", "year", "days"),
    [
        ("standing", 1, 60),  # Art. 28(1)(a): standing militia 60 days, also in year 1
        ("standing", 2, 60),
        ("in_place", 1, 15),  # Art. 28(1)(b): the first year 15 days
        ("mobile", 1, 15),
        ("naval", 1, 15),
        ("specialised", 1, 15),
        ("mobile", 2, 12),  # Art. 28(1)(c): mobile, naval, specialised from year 2
        ("naval", 3, 12),
        ("specialised", 4, 12),
        ("in_place", 2, 7),  # Art. 28(1)(d): in-place from year 2
        ("in_place", 6, 7),
    ],
)
def test_required_days(force_kind: str, year: int, days: int) -> None:
    assert rules.required_days(force_kind, year) == days


@pytest.mark.parametrize(
    ("joined_on", "year", "expected"),
    [(date(2025, 12, 31), 2025, 1), (date(2025, 12, 31), 2026, 2), (date(2024, 1, 1), 2026, 3)],
)
def test_service_year_by_calendar_year(joined_on: date, year: int, expected: int) -> None:
    assert rules.service_year(joined_on, year) == expected


@pytest.mark.parametrize(
    ("required", "attended", "planned", "short"),
    [(15, 0, 0, 15), (15, 10, 5, 0), (12, 10, 0, 2), (7, 9, 0, 0), (60, 30, 20, 10)],
)
def test_shortfall_counts_planned_days(required: int, attended: int, planned: int, short: int):
    assert rules.shortfall(required, attended, planned) == short


@pytest.mark.parametrize(
    ("day", "short", "listed"),
    [
        (date(2026, 9, 30), 5, False),  # before WORKLIST_FROM_MONTH
        (date(2026, 10, 1), 5, True),
        (date(2026, 12, 31), 1, True),
        (date(2026, 12, 31), 0, False),
    ],
)
def test_on_worklist_from_october(day: date, short: int, listed: bool) -> None:
    assert rules.on_worklist(day, short) is listed


D = date(2026, 5, 4)


@pytest.mark.parametrize(
    ("kw", "codes"),
    [
        ({}, set()),
        ({"title": " "}, {"REQUIRED"}),
        ({"ends_on": date(2026, 5, 3)}, {"TRAINING_ENDS_BEFORE_START"}),
        ({"days": 0}, {"TRAINING_DAYS_RANGE"}),
        ({"days": 6}, set()),  # 4 to 9 May: 6 calendar days
        ({"days": 7}, {"TRAINING_DAYS_RANGE"}),
        ({"force_kind": "self"}, {"NOT_ONE_OF"}),
        ({"force_kind": "standing"}, set()),
    ],
)
def test_session_problems(kw: dict[str, object], codes: set[str]) -> None:
    args: dict[str, object] = {
        "title": "Huấn luyện",
        "starts_on": D,
        "ends_on": date(2026, 5, 9),
        "days": 5,
        "force_kind": "",
        **kw,
    }
    assert {p.code for p in rules.session_problems(**args)} == codes  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kw", "codes"),
    [
        ({}, set()),
        ({"days": 0}, {"TRAINING_ABSENCE_REASON"}),
        ({"days": 0, "absence_reason": "ốm"}, set()),
        ({"days": 6}, {"TRAINING_DAYS_RANGE"}),
        ({"days": -1}, {"TRAINING_DAYS_RANGE"}),
        ({"on_roster": False}, {"TRAINING_NOT_ON_ROSTER"}),
        ({"force_matches": False}, {"TRAINING_OTHER_FORCE"}),
    ],
)
def test_attendance_problems(kw: dict[str, object], codes: set[str]) -> None:
    args: dict[str, object] = {
        "days": 5,
        "session_days": 5,
        "absence_reason": "",
        "on_roster": True,
        "force_matches": True,
        **kw,
    }
    assert {p.code for p in rules.attendance_problems(**args)} == codes  # type: ignore[arg-type]
