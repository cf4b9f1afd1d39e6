"""Synthetic legacy records with truth, for tests, the benchmark and the demo.

From registry people (a frame with features.PEOPLE_COLUMNS) it draws legacy records the way the
dissolved district commands kept them: birth dates missing (year only), names without marks,
middle names swapped or left out, typos, wrong or empty personal IDs, the old three-level address
of a legacy ward the person's 2025 commune took over (after the village, mostly the one the
person still lives in), parents' names from the household; and
records of people who are NOT in the registry (some of them namesakes born the same year).
Deterministic for the same inputs and seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

import polars as pl

from muster.core.text import fold
from muster.linkage.addresses import LegacyGeo, LegacyWard
from muster.linkage.rules import LEGACY_COLUMNS

TRUTH_COLUMN = "true_personal_id"


@dataclass(frozen=True)
class ErrorRates:
    """Shares of records with each error ("hard" defaults)."""

    in_registry: float = 0.8
    namesake: float = 0.25  # of the records not in the registry
    no_birth_date: float = 0.4
    year_off: float = 0.03
    day_month_swapped: float = 0.03
    no_marks: float = 0.4
    swapped_words: float = 0.08
    no_middle: float = 0.1
    typo: float = 0.12
    id_empty: float = 0.5
    id_wrong: float = 0.1
    moved: float = 0.05
    no_address: float = 0.03
    parents: float = 0.7
    wrong_sex: float = 0.005
    # The village (hamlet, residential group, street) of the person's registry address: they
    # may have moved within the commune since, or the village was renamed or merged.
    same_village: float = 0.75
    short_group: float = 0.3  # "Tổ 5" written for "Tổ dân phố 5"


EASY = ErrorRates(
    no_birth_date=0.1,
    no_marks=0.1,
    swapped_words=0.0,
    no_middle=0.0,
    typo=0.03,
    namesake=0.0,
    moved=0.0,
)

_NEIGHBOURS = "qwertyuiopasdfghjklzxcvbnm"


def _typo(rng: random.Random, name: str) -> str:
    words = name.split()
    i = rng.randrange(len(words))
    w = words[i]
    kind = rng.random()
    if kind < 0.4 and fold(w) != w.lower():
        w = fold(w).capitalize()  # marks lost on one word
    elif kind < 0.7 and len(w) > 2:
        j = rng.randrange(1, len(w))
        w = w[:j] + rng.choice(_NEIGHBOURS) + w[j + 1 :]
    elif len(w) > 3:
        j = rng.randrange(1, len(w))
        w = w[:j] + w[j + 1 :]
    else:
        w = w + rng.choice("hgn")
    words[i] = w
    return " ".join(words)


def _wrong_id(rng: random.Random, pid: str, others: list[str]) -> str:
    if rng.random() < 0.5 and others:
        return rng.choice(others)
    digits = list(pid)
    j = rng.randrange(6, 12)
    digits[j] = str((int(digits[j]) + rng.randrange(1, 10)) % 10)
    return "".join(digits)


def _parents(people: pl.DataFrame, chosen: pl.DataFrame) -> dict[str, tuple[str, str]]:
    """personal_id → (father, mother) from household members of the right sex and age gap."""
    members = people.select(
        pl.col("household_id"),
        pl.col("full_name").alias("p_name"),
        pl.col("sex").alias("p_sex"),
        pl.col("birth_date").alias("p_birth"),
    ).filter(pl.col("household_id").fill_null("") != "")
    pairs = (
        chosen.select("personal_id", "household_id", "birth_date")
        .join(members, on="household_id")
        .with_columns(gap=(pl.col("birth_date") - pl.col("p_birth")).dt.total_days() / 365.25)
        .filter(
            ((pl.col("p_sex") == "M") & pl.col("gap").is_between(18, 55))
            | ((pl.col("p_sex") == "F") & pl.col("gap").is_between(16, 45))
        )
        .sort("personal_id", "p_sex", (pl.col("gap") - 27).abs())
        .group_by("personal_id", "p_sex", maintain_order=True)
        .first()
    )
    out: dict[str, list[str]] = {}
    for pid, sex, name in pairs.select("personal_id", "p_sex", "p_name").iter_rows():
        out.setdefault(pid, ["", ""])[0 if sex == "M" else 1] = name
    return {k: (v[0], v[1]) for k, v in out.items()}


def generate_legacy(
    people: pl.DataFrame,
    geo: LegacyGeo,
    *,
    records: int,
    seed: int,
    rates: ErrorRates | None = None,
) -> pl.DataFrame:
    """`records` legacy rows (LEGACY_COLUMNS, all text as in a CSV) plus TRUTH_COLUMN
    ("" for people not in the registry)."""
    rates = rates or ErrorRates()
    rng = random.Random(seed)
    n_people = people.height
    in_registry = min(round(records * rates.in_registry), n_people)
    outsiders = records - in_registry
    picked = sorted(rng.sample(range(n_people), in_registry))
    chosen = people[picked]
    parents = _parents(people, chosen)
    all_ids = people.get_column("personal_id").to_list()
    names = people.get_column("full_name").to_list()
    sexes = people.get_column("sex").to_list()
    births = people.get_column("birth_date").to_list()
    communes = people.get_column("commune").to_list()
    # The place inside the commune: the first part of "<village>, <commune>, <province>".
    places: list[str] = [
        a.split(",")[0].strip() for a in people.get_column("address").fill_null("")
    ]
    residents: dict[str, list[int]] = {}
    for i, commune in enumerate(communes):
        residents.setdefault(commune, []).append(i)
    male_idx = [i for i, s in enumerate(sexes) if s == "M"]
    female_idx = [i for i, s in enumerate(sexes) if s == "F"]

    rows: list[dict[str, str]] = []

    def ward_of(commune: str) -> LegacyWard | None:
        # Most people of a commune lived in wards it took over whole (or as default successor);
        # some in the part of a split ward whose default successor is another commune.
        wards = geo.default_wards_of.get(commune) if rng.random() < 0.85 else None
        wards = wards or geo.wards_of.get(commune)
        return rng.choice(wards) if wards else None

    def village_of(commune: str, own: int) -> str:
        """The person's own village mostly; otherwise another resident's of the commune."""
        if rng.random() >= rates.same_village:
            own = rng.choice(residents[commune])
        place = places[own]
        if place.startswith("Tổ dân phố ") and rng.random() < rates.short_group:
            place = "Tổ " + place.removeprefix("Tổ dân phố ")
        return place

    def emit(
        name: str,
        sex: str,
        birth: date,
        who: int,
        pid: str,
        truth: str,
        father: str,
        mother: str,
    ) -> None:
        commune = communes[who]
        words = name.split()
        if len(words) >= 3 and rng.random() < rates.swapped_words:
            if len(words) >= 4 and rng.random() < 0.5:
                words[1], words[2] = words[2], words[1]
            else:
                words[-2], words[-1] = words[-1], words[-2]
        if len(words) >= 3 and rng.random() < rates.no_middle:
            words = [words[0], *words[2:]] if len(words) >= 4 else [words[0], words[-1]]
        full = " ".join(words)
        if rng.random() < rates.typo:
            full = _typo(rng, full)
        no_marks = rng.random() < rates.no_marks
        if no_marks:
            full = fold(full).title()
        year = birth.year
        if rng.random() < rates.year_off:
            year += rng.choice((-1, 1))
        birth_text = ""
        if rng.random() >= rates.no_birth_date and year == birth.year:
            shown = birth
            if (
                birth.day <= 12
                and birth.day != birth.month
                and rng.random() < rates.day_month_swapped
            ):
                shown = date(birth.year, birth.day, birth.month)
            birth_text = shown.isoformat()
        if rng.random() < rates.moved:
            who = rng.randrange(n_people)
            commune = communes[who]
        ward = None if rng.random() < rates.no_address else ward_of(commune)
        village = village_of(commune, who)
        if no_marks:
            village = fold(village).title()
        id_roll = rng.random()
        if id_roll < rates.id_empty:
            pid_text = ""
        elif id_roll < rates.id_empty + rates.id_wrong:
            pid_text = _wrong_id(rng, pid, all_ids)
        else:
            pid_text = pid
        if rng.random() >= rates.parents:
            father = mother = ""
        if no_marks:
            father, mother = fold(father).title(), fold(mother).title()
        if rng.random() < rates.wrong_sex:
            sex = "F" if sex == "M" else "M"
        rows.append(
            {
                "full_name": full,
                "birth_date": birth_text,
                "birth_year": str(year),
                "sex": sex,
                "address": ward.address(village) if ward else "",
                "personal_id": pid_text,
                "father_name": father,
                "mother_name": mother,
                TRUTH_COLUMN: truth,
            }
        )

    for who, (pid, name, sex, birth) in zip(
        picked,
        chosen.select("personal_id", "full_name", "sex", "birth_date").iter_rows(),
        strict=True,
    ):
        father, mother = parents.get(pid, ("", ""))
        emit(name, sex, birth, who, pid, pid, father, mother)

    for _ in range(outsiders):
        base = rng.randrange(n_people)
        sex = sexes[base]
        if rng.random() < rates.namesake:
            # Same name and birth year as a registry person, elsewhere, born another day.
            name = names[base]
            b = births[base]
            birth = date(b.year, rng.randint(1, 12), rng.randint(1, 28))
        else:
            pool = male_idx if sex == "M" else female_idx
            given_from = names[rng.choice(pool)].split()
            middle_from = names[rng.choice(pool)].split()
            name = " ".join(
                [names[rng.randrange(n_people)].split()[0], *middle_from[1:-1], given_from[-1]]
            )
            birth = births[rng.randrange(n_people)]
        # Lives in a real village of some commune.
        fake_id = f"{rng.randrange(10**11, 10**12):012d}"
        emit(name, sex, birth, rng.randrange(n_people), fake_id, "", "", "")

    order = list(range(len(rows)))
    rng.shuffle(order)
    frame = pl.DataFrame(
        [rows[i] for i in order], schema=dict.fromkeys([*LEGACY_COLUMNS[1:], TRUTH_COLUMN], pl.Utf8)
    )
    return frame.with_columns(
        legacy_id=pl.format("L{}", (pl.int_range(pl.len()) + 1).cast(pl.Utf8).str.zfill(7))
    ).select([*LEGACY_COLUMNS, TRUTH_COLUMN])
