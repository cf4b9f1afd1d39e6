"""The sandbox register's simulated time: deterministic, gapless, signed, never in the future."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from muster.exchange import signing
from muster.exchange.events import EventType, parse_event
from sandbox.popreg.register import Register, SandboxError, initialise
from sandbox.popreg.simulate import simulate_days

START = date(2025, 1, 1)


def _make(root: Path) -> Register:
    return initialise(root, people=4000, seed=11, start=START, province="Lào Cai")


def _unsigned(register: Register) -> list[dict[str, object]]:
    return [signing.unsigned_part(json.loads(b)) for b in register.events_after(0, 100_000)]


def test_days_in_two_runs_give_the_same_events_as_in_one(tmp_path):
    split, whole = _make(tmp_path / "split"), _make(tmp_path / "whole")
    simulate_days(split, 40)
    simulate_days(split, 25)
    result = simulate_days(whole, 65)
    assert result.clock == START + timedelta(days=65)
    assert _unsigned(split) == _unsigned(whole)
    assert split.people_frame().equals(whole.people_frame())


def test_events_are_gapless_signed_valid_and_realistic(tmp_path):
    register = _make(tmp_path / "r")
    result = simulate_days(register, 365)
    bodies = [json.loads(b) for b in register.events_after(0, 100_000)]
    assert [b["sequence"] for b in bodies] == list(range(1, result.last_sequence + 1))
    key = signing.load_public_key(register.paths.public_key.read_bytes())
    assert all(signing.verify(b, key) for b in bodies)
    events = [parse_event(b) for b in bodies]  # every event passes Muster's schema
    assert all(START < e.occurred_on <= START + timedelta(days=365) for e in events)
    # About 16 births and 6.5 deaths per 1,000 a year: 4,000 people give ~64 and ~26.
    assert 35 <= result.by_type[EventType.PERSON_ADDED] <= 100
    assert 8 <= result.by_type[EventType.PERSON_DIED] <= 50
    assert result.by_type[EventType.PERSON_MOVED] > 0
    died = {e.personal_id for e in events if e.type == EventType.PERSON_DIED}
    frame = register.people_frame()
    dead = set(frame.filter(frame["life_status"] == "dead")["personal_id"].to_list())
    assert died == dead
    # The dead do nothing afterwards.
    death_seq = {e.personal_id: e.sequence for e in events if e.type == EventType.PERSON_DIED}
    assert not [
        e for e in events if e.personal_id in death_seq and e.sequence > death_seq[e.personal_id]
    ]


def test_simulated_time_cannot_pass_today(tmp_path):
    register = _make(tmp_path / "r")
    room = (date.today() - START).days
    with pytest.raises(SandboxError, match=f"at most {room} more day"):
        simulate_days(register, room + 1)
    with sqlite3.connect(register.paths.db) as db:
        assert db.execute("SELECT COUNT(*) FROM event").fetchone()[0] == 0


def test_a_data_directory_is_initialised_once(tmp_path):
    _make(tmp_path / "r")
    with pytest.raises(SandboxError, match="already initialised"):
        _make(tmp_path / "r")


def test_an_unknown_province_lists_the_choices(tmp_path):
    with pytest.raises(
        SandboxError, match=r"no 2025 province 'Atlantis'; choose one of: .*Lào Cai"
    ):
        initialise(tmp_path / "r", province="Atlantis", people=10)
