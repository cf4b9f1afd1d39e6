"""Simulated time in the sandbox register: each day brings births, deaths, moves and corrections.

Rates are yearly, per person, in the range of Vietnam's published figures for a mountain
province (crude birth rate ≈ 16‰, crude death rate ≈ 6.5‰, a few percent changing commune,
rare corrections). Each day draws from its own generator seeded by (seed, day), so simulating
ten days then five gives the same events as fifteen at once. Men reaching 17 need no event:
they simply age in the data Muster already holds.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from muster.demo import names as nt
from muster.exchange.events import EventType
from muster.people.rules import make_personal_id
from sandbox.popreg.register import Register, SandboxError, connect, event_body

# Per person per year.
BIRTH_RATE = 0.016
DEATH_RATE = 0.0065
MOVE_RATE = 0.012  # a person (with their household, often) changes commune
NAME_CHANGE_RATE = 0.0003
CORRECTION_RATE = 0.001
HOUSEHOLD_MOVES_TOGETHER = 0.6
# Death risk roughly doubles every eight years of age (Gompertz); candidates are weighed so.
GOMPERTZ = 0.085
CANDIDATES = 24


@dataclass
class SimulationResult:
    days: int
    events: int
    by_type: dict[str, int]
    clock: date
    last_sequence: int


class _Population:
    """The living, in memory, with O(1) random picks and removals."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = {r["personal_id"]: r for r in rows}
        self.alive = [r["personal_id"] for r in rows if r["life_status"] == "alive"]
        self.index = {pid: i for i, pid in enumerate(self.alive)}
        self.households: dict[str, set[str]] = {}
        self.dirty = True
        for pid in self.alive:
            self.households.setdefault(self.rows[pid]["household_id"], set()).add(pid)

    def canonical(self) -> None:
        """Order the living by personal ID, as a reload from the database would: a day's picks
        must not depend on whether earlier days ran in this process or in another one."""
        if self.dirty:
            self.alive.sort()
            self.index = {pid: i for i, pid in enumerate(self.alive)}
            self.dirty = False

    def pick(self, rng: np.random.Generator) -> dict[str, Any]:
        return self.rows[self.alive[int(rng.integers(0, len(self.alive)))]]

    def add(self, row: dict[str, Any]) -> None:
        self.rows[row["personal_id"]] = row
        self.index[row["personal_id"]] = len(self.alive)
        self.alive.append(row["personal_id"])
        self.dirty = True
        self.households.setdefault(row["household_id"], set()).add(row["personal_id"])

    def remove(self, pid: str) -> None:
        self.dirty = True
        at = self.index.pop(pid)
        last = self.alive.pop()
        if last != pid:
            self.alive[at] = last
            self.index[last] = at
        self.households[self.rows[pid]["household_id"]].discard(pid)


def _age(row: dict[str, Any], day: date) -> int:
    born = date.fromisoformat(row["birth_date"])
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _weighted_choice(pairs: tuple[tuple[str, float], ...], rng: np.random.Generator) -> str:
    weights = np.array([w for _, w in pairs], dtype=float)
    return pairs[int(rng.choice(len(pairs), p=weights / weights.sum()))][0].strip()


class _Day:
    """Draws one simulated day's events and applies them to the in-memory population."""

    def __init__(self, sim: Simulation, day: date) -> None:
        self.sim = sim
        self.day = day
        self.rng = np.random.default_rng([sim.seed, day.toordinal()])
        self.events: list[dict[str, Any]] = []
        sim.people.canonical()

    def emit(self, kind: str, personal_id: str, data: dict[str, Any]) -> None:
        self.events.append(
            {
                "type": kind,
                "personal_id": personal_id,
                "occurred_on": self.day.isoformat(),
                "data": data,
            }
        )

    def candidate(self, ok: Any, weight: Any = None) -> dict[str, Any] | None:
        """One living person for whom `ok(row, age)` holds, optionally weighed by age."""
        people = self.sim.people
        if not people.alive:
            return None
        rows = [people.pick(self.rng) for _ in range(CANDIDATES)]
        fits = [(r, _age(r, self.day)) for r in rows if ok(r, _age(r, self.day))]
        if not fits:
            return None
        if weight is None:
            return fits[0][0]
        w = np.array([weight(age) for _, age in fits], dtype=float)
        return fits[int(self.rng.choice(len(fits), p=w / w.sum()))][0]

    def run(self) -> list[dict[str, Any]]:
        alive = len(self.sim.people.alive)
        daily = alive / 365.25
        for _ in range(self.rng.poisson(daily * BIRTH_RATE)):
            self.birth()
        for _ in range(self.rng.poisson(daily * DEATH_RATE)):
            self.death()
        for _ in range(self.rng.poisson(daily * MOVE_RATE)):
            self.move()
        for _ in range(self.rng.poisson(daily * NAME_CHANGE_RATE)):
            self.name_change()
        for _ in range(self.rng.poisson(daily * CORRECTION_RATE)):
            self.correction()
        return self.events

    def birth(self) -> None:
        mother = self.candidate(lambda r, age: r["sex"] == "F" and 18 <= age <= 42)
        if mother is None:
            return
        people = self.sim.people
        mother_age = _age(mother, self.day)
        fathers = [
            people.rows[pid]
            for pid in sorted(people.households.get(mother["household_id"], ()))
            if people.rows[pid]["sex"] == "M"
            and mother_age - 5 <= _age(people.rows[pid], self.day) <= mother_age + 15
        ]
        style = nt.STYLES.get(mother["ethnicity"], nt.STYLES["Kinh"])
        lineage = mother if style.lineage == "maternal" or not fathers else fathers[0]
        surname = lineage["full_name"].split()[-1 if style.order == "given_first" else 0]
        sex = "M" if self.rng.random() < 0.527 else "F"  # sex ratio at birth ≈ 111
        middle = _weighted_choice(
            style.middle_male if sex == "M" else style.middle_female, self.rng
        )
        givens = style.given_male if sex == "M" else style.given_female
        given = givens[int(self.rng.integers(0, len(givens)))]
        parts = (
            [given, middle, surname] if style.order == "given_first" else [surname, middle, given]
        )
        commune = self.sim.communes[mother["residence_commune_code"]]
        place = f"0{commune['legacy_province_code'] or self.sim.province_code}"
        while True:
            personal_id = make_personal_id(
                place, sex, self.day.year, int(self.rng.integers(0, 1_000_000))
            )
            if personal_id not in people.rows:
                break
        row = {
            "personal_id": personal_id,
            "full_name": " ".join(p for p in parts if p),
            "sex": sex,
            "birth_date": self.day.isoformat(),
            "ethnicity": mother["ethnicity"],
            "residence_commune_code": mother["residence_commune_code"],
            "address": mother["address"],
            "household_id": mother["household_id"],
            "life_status": "alive",
            "died_on": None,
        }
        people.add(row)
        self.emit(
            EventType.PERSON_ADDED,
            personal_id,
            {k: v for k, v in row.items() if k != "personal_id"},
        )

    def death(self) -> None:
        person = self.candidate(lambda r, age: True, weight=lambda age: np.exp(GOMPERTZ * age))
        if person is None:
            return
        person["life_status"], person["died_on"] = "dead", self.day.isoformat()
        self.sim.people.remove(person["personal_id"])
        self.emit(EventType.PERSON_DIED, person["personal_id"], {"died_on": self.day.isoformat()})

    def move(self) -> None:
        person = self.candidate(lambda r, age: 18 <= age <= 60)
        if person is None or len(self.sim.communes) < 2:
            return
        codes = sorted(c for c in self.sim.communes if c != person["residence_commune_code"])
        target = self.sim.communes[codes[int(self.rng.integers(0, len(codes)))]]
        address = self.address(target, person["ethnicity"])
        movers = [person]
        if self.rng.random() < HOUSEHOLD_MOVES_TOGETHER:
            household = self.sim.people.households.get(person["household_id"], set())
            movers = [self.sim.people.rows[pid] for pid in sorted(household)]
        for mover in movers:
            mover["residence_commune_code"], mover["address"] = target["code"], address
            self.emit(
                EventType.PERSON_MOVED,
                mover["personal_id"],
                {"residence_commune_code": target["code"], "address": address},
            )

    def address(self, commune: dict[str, Any], ethnicity: str) -> str:
        if commune["unit_type"] == "Phường":
            local = f"Tổ dân phố {int(self.rng.integers(1, 40))}"
        else:
            style = nt.STYLES.get(ethnicity, nt.STYLES["Kinh"])
            prefix, villages = nt.VILLAGES[style.village]
            local = f"{prefix} {villages[int(self.rng.integers(0, len(villages)))]}"
        return f"{local}, {commune['name']}, {commune['province_name']}"

    def name_change(self) -> None:
        person = self.candidate(lambda r, age: age >= 1)
        if person is None:
            return
        style = nt.STYLES.get(person["ethnicity"], nt.STYLES["Kinh"])
        givens = style.given_male if person["sex"] == "M" else style.given_female
        parts = person["full_name"].split()
        at = 0 if style.order == "given_first" else len(parts) - 1
        choices = [g for g in givens if g != parts[at]]
        if not choices:
            return
        parts[at] = choices[int(self.rng.integers(0, len(choices)))]
        person["full_name"] = " ".join(parts)
        self.emit(EventType.NAME_CHANGED, person["personal_id"], {"full_name": person["full_name"]})

    def correction(self) -> None:
        person = self.candidate(lambda r, age: True)
        if person is None:
            return
        roll = self.rng.random()
        data: dict[str, Any]
        if roll < 0.45:
            # A mistyped day of birth: the register fixes it within the same month.
            born = date.fromisoformat(person["birth_date"])
            fixed = born.replace(day=int(self.rng.integers(1, 29)))
            if fixed == born or fixed > self.day:
                return
            data = {"birth_date": fixed.isoformat()}
        elif roll < 0.8:
            commune = self.sim.communes[person["residence_commune_code"]]
            data = {"address": self.address(commune, person["ethnicity"])}
        else:
            mix = nt.ethnic_mix(self.sim.province_code)
            others = sorted(g for g in mix if g != person["ethnicity"])
            if not others:
                return
            data = {"ethnicity": others[int(self.rng.integers(0, len(others)))]}
        person.update(data)
        self.emit(EventType.FIELD_CORRECTED, person["personal_id"], data)


class Simulation:
    """Loads the register's living population, runs days, and writes events and new state."""

    def __init__(self, register: Register, db: sqlite3.Connection) -> None:
        meta = register.meta()
        self.register = register
        self.seed = int(meta["seed"])
        self.province_code = meta["province_code"]
        db.row_factory = sqlite3.Row
        self.communes = {r["code"]: dict(r) for r in db.execute("SELECT * FROM commune")}
        rows = [dict(r) for r in db.execute("SELECT * FROM person ORDER BY personal_id")]
        self.people = _Population(rows)


def simulate_days(register: Register, days: int, *, today: date | None = None) -> SimulationResult:
    """Advance the register's clock by `days`, signing and storing each day's events.

    All or nothing: one SQLite transaction. Simulated time may not pass the real `today`, since
    Muster refuses events dated in the future.
    """
    if days < 1:
        raise SandboxError("--simulate-days: must be at least 1")
    today = today or date.today()
    clock = register.clock()
    if clock + timedelta(days=days) > today:
        room = (today - clock).days
        raise SandboxError(
            f"--simulate-days: the clock is at {clock}; simulated time cannot pass today "
            f"({today}), so at most {room} more day(s)"
        )
    by_type: dict[str, int] = {}
    with connect(register.paths.db) as db:
        sim = Simulation(register, db)
        sequence = int(db.execute("SELECT COALESCE(MAX(sequence), 0) FROM event").fetchone()[0])
        touched: set[str] = set()
        for offset in range(1, days + 1):
            day = clock + timedelta(days=offset)
            for event in _Day(sim, day).run():
                sequence += 1
                body = event_body({"sequence": sequence, **event}, register.key)
                db.execute("INSERT INTO event (sequence, body) VALUES (?, ?)", (sequence, body))
                by_type[event["type"]] = by_type.get(event["type"], 0) + 1
                touched.add(event["personal_id"])
        columns = [
            "full_name", "sex", "birth_date", "ethnicity", "residence_commune_code", "address",
            "household_id", "life_status", "died_on",
        ]  # fmt: skip
        db.executemany(
            f"INSERT OR REPLACE INTO person (personal_id, {', '.join(columns)}) "
            f"VALUES (?, {', '.join('?' for _ in columns)})",
            [(pid, *(sim.people.rows[pid][c] for c in columns)) for pid in sorted(touched)],
        )
        end = clock + timedelta(days=days)
        db.execute("UPDATE meta SET value = ? WHERE key = 'clock'", (end.isoformat(),))
    return SimulationResult(days, sum(by_type.values()), by_type, end, sequence)
