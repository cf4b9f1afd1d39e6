"""Exercise rules at their boundaries (CD Law 2023 Art. 17; DQTV Art. 28 for the training days
an exercise counts)."""

from __future__ import annotations

from datetime import date

import pytest

from muster.core.errors import FieldError
from muster.exercises import rules

D = date(2026, 9, 10)


def _codes(problems: list[FieldError]) -> list[str]:
    return [p.code for p in problems]


@pytest.mark.parametrize(
    ("name", "ends_on", "days", "expected"),
    [
        ("Diễn tập lũ", D, 1, []),
        ("Diễn tập lũ", date(2026, 9, 11), 2, []),  # two days, both counted
        ("Diễn tập lũ", date(2026, 9, 11), 3, ["EXERCISE_DAYS_RANGE"]),  # more than its span
        ("Diễn tập lũ", D, 0, ["EXERCISE_DAYS_RANGE"]),
        ("Diễn tập lũ", date(2026, 9, 16), 7, []),  # a week: the longest
        ("Diễn tập lũ", date(2026, 9, 17), 7, ["EXERCISE_TOO_LONG"]),
        ("Diễn tập lũ", date(2026, 9, 9), 1, ["EXERCISE_ENDS_BEFORE_START"]),
        ("", D, 1, ["REQUIRED"]),
        ("x" * 201, D, 1, ["TOO_LONG"]),
    ],
)
def test_exercise_problems(name: str, ends_on: date, days: int, expected: list[str]) -> None:
    found = rules.exercise_problems(name=name, starts_on=D, ends_on=ends_on, training_days=days)
    assert _codes(found) == expected


@pytest.mark.parametrize(("days", "ok"), [(0, True), (2, True), (3, False), (-1, False)])
def test_attendance_between_absent_and_the_training_days(days: int, ok: bool) -> None:
    assert (rules.attendance_problems(days=days, training_days=2) == []) is ok


def test_closed_after_finish_and_review_only_after() -> None:
    assert _codes(rules.open_problems(finished=True)) == ["EXERCISE_FINISHED"]
    assert rules.open_problems(finished=False) == []
    assert _codes(rules.review_problems(finished=False)) == ["EXERCISE_NOT_FINISHED"]
    assert rules.review_problems(finished=True) == []


@pytest.mark.parametrize(
    ("due_on", "expected"),
    [(D, []), (date(2026, 9, 9), ["EXERCISE_DUE_BEFORE_END"]), (date(2026, 12, 31), [])],
)
def test_follow_up_due_on_or_after_the_end(due_on: date, expected: list[str]) -> None:
    assert _codes(rules.follow_up_problems(text="Sửa", due_on=due_on, finished_on=D)) == expected


def test_training_commands_group_attending_members_by_command() -> None:
    units = {1: 10, 2: 10, 3: 20, 4: 20}
    attended = {1: 2, 2: 0, 3: 1}
    assert rules.training_commands(units, attended) == {10: [1], 20: [3]}
    assert rules.training_commands(units, {}) == {}
