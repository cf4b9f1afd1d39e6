"""The demo's militia: a roster per commune command, selected at the yearly intakes after the
April registration (DQTV Art. 9(1)(a), 10) and written through `militia.actions`, with a target
per command that some rosters fall short of.

A roster is a few percent of the commune's men of duty age (18–45), mostly young, in the
in-place, mobile and specialised forces, a woman or two, now and then a volunteer past 45, and
at key communes a standing squad (2-year terms). Between intakes some members leave (study or
work away, a civil-service job); at each intake those whose term ended complete it and the
roster is refilled. Re-running changes nothing: commands that keep a roster are skipped.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count

from muster.core.errors import InvalidInput
from muster.geo.models import AdminUnit
from muster.militia import actions, queries, rules
from muster.militia.models import MilitiaMembership, MilitiaTarget
from muster.orgs.models import OrgUnit
from muster.people.models import Person
from muster.worklists.bulk import work_items_deferred

FORCES = (("in_place", 55), ("mobile", 33), ("specialised", 12))
WOMEN_FORCES = (("in_place", 3), ("specialised", 1))
MEN_SHARE = (0.035, 0.055)  # of the commune's men 18–45
STANDING_SQUAD = 4  # a squad, scaled like the demo's population
YOUNG, OLDER = 30, 42  # most members are young, a few older (who serve out a full term)
LEAVING_PER_YEAR = 0.025  # members leaving early in a year (study, work away, a job)
CIVIL_SERVICE_NOTE = "Được tuyển dụng làm công chức xã"  # early release (DQTV Art. 12(1)(d))


@dataclass(frozen=True)
class RosterSpec:
    """One commune command to staff: the commune it serves and whether it forms a standing
    squad (a key defence commune, DQTV Art. 15); `standing_men` must be in it."""

    command: OrgUnit
    commune_id: int
    standing: bool
    standing_men: tuple[int, ...] = ()


@dataclass(frozen=True)
class MilitiaResult:
    commands: int
    members: int  # on the rosters on `as_of`
    by_kind: dict[str, int]
    standing_squads: int
    target: int
    below_target: int
    left: dict[str, int]


@dataclass
class _Candidate:
    id: int
    sex: str
    birth_date: date


def _pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _w in table], weights=[w for _v, w in table])[0]


class _Roster:
    """One command's intakes, in memory and through the actions."""

    def __init__(self, spec: RosterSpec, pool: list[_Candidate], seed: int, as_of: date) -> None:
        self.spec, self.pool = spec, pool
        self.rng = random.Random(f"{seed}:{spec.command.code}")
        men = [c for c in pool if c.sex == "M" and 18 <= rules.age_on(c.birth_date, as_of) <= 45]
        self.regular = max(3, round(len(men) * self.rng.uniform(*MEN_SHARE)))
        self.women = self.rng.choice((1, 1, 2))
        self.standing = STANDING_SQUAD if spec.standing else 0
        self.target = self.regular + self.women + self.standing
        # One roster in five stays short of their target (few candidates, deferrals).
        self.short = self.rng.choice((1, 2, 3)) if self.rng.random() < 0.2 else 0
        self.members: dict[int, MilitiaMembership] = {}
        self.used: set[int] = set()
        self.left: Counter[str] = Counter()

    def _candidates(self, day: date, sex: str, low: int, high: int) -> list[_Candidate]:
        found = [
            c
            for c in self.pool
            if c.sex == sex
            and c.id not in self.used
            and low <= rules.age_on(c.birth_date, day) <= high
        ]
        self.rng.shuffle(found)
        return found

    def _join(self, candidate: _Candidate, day: date, kind: str, volunteer: bool = False) -> bool:
        specialty = self.rng.choice(rules.SPECIALTIES) if kind == "specialised" else ""
        try:  # the action's own atomic block rolls back a refusal
            membership = actions.militia_join(
                person=Person.objects.select_related("residence_commune").get(pk=candidate.id),
                unit=self.spec.command,
                joined_on=day,
                force_kind=kind,
                specialty=specialty,
                volunteer=volunteer,
                acting_user=None,
            )
        except InvalidInput:
            return False  # moved in later, too young on the day…: the next candidate
        self.used.add(candidate.id)  # nobody serves twice in the demo
        self.members[candidate.id] = membership
        return True

    def _leave(
        self, person_id: int, day: date, reason: str, ground_code: str = "", note: str = ""
    ) -> None:
        actions.militia_leave(
            membership=self.members.pop(person_id),
            left_on=day,
            reason=reason,
            ground_code=ground_code,
            note=note,
            acting_user=None,
        )
        self.left[reason] += 1

    def _count(self, *, standing: bool) -> int:
        return sum(1 for m in self.members.values() if (m.force_kind == "standing") == standing)

    def intake(self, day: date, share: float, first: bool) -> None:
        """Complete ended terms, then fill the roster to `share` of its size on `day`."""
        for person_id, m in list(self.members.items()):
            if m.term_ends_on < day:
                self._leave(person_id, m.term_ends_on, "completed")
        if self.standing:
            chosen = [
                c for c in self.pool if c.id in self.spec.standing_men and c.id not in self.used
            ]
            for man in [*chosen, *self._candidates(day, "M", 18, 27)]:
                if self._count(standing=True) >= self.standing:
                    break
                if man.id not in self.used:
                    self._join(man, day, "standing")
        if first:
            for woman in self._candidates(day, "F", 18, 40)[: self.women]:
                self._join(woman, day, _pick(self.rng, WOMEN_FORCES))
            if self.rng.random() < 0.1:
                for man in self._candidates(day, "M", 46, 50)[:1]:
                    self._join(man, day, "in_place", volunteer=True)
        wanted = round((self.target - self.standing - self.short) * share)
        young = self._candidates(day, "M", 18, YOUNG)
        older = self._candidates(day, "M", YOUNG + 1, OLDER)
        while self._count(standing=False) < wanted and (young or older):
            source = young if young and (not older or self.rng.random() < 0.8) else older
            self._join(source.pop(), day, _pick(self.rng, FORCES))

    def staff(self, intakes: Sequence[date], as_of: date, target_from: date) -> None:
        """The target, every intake with the departures after it, then terms ended by `as_of`."""
        actions.militia_target_set(
            unit=self.spec.command,
            size=self.target,
            valid_from=target_from,
            basis="Kế hoạch xây dựng lực lượng dân quân của tỉnh",
            acting_user=None,
        )
        ends = [*intakes[1:], as_of + timedelta(days=1)]
        for n, (day, end) in enumerate(zip(intakes, ends, strict=True)):
            self.intake(day, 0.7 if n == 0 and len(intakes) > 1 else 1.0, first=n == 0)
            self.departures(day, min(end, as_of))
        for person_id, m in list(self.members.items()):
            if m.term_ends_on < as_of:
                self._leave(person_id, m.term_ends_on, "completed")

    def departures(self, start: date, end: date) -> None:
        """A few members leave between two intakes: off to study or work away (a deferral,
        DQTV Art. 11(1)), or hired as civil servants (early release, Art. 12(1))."""
        span = (end - start).days
        chance = LEAVING_PER_YEAR * span / 365
        for person_id, m in list(self.members.items()):
            if span < 2 or m.force_kind == "standing" or self.rng.random() > chance:
                continue
            day = start + timedelta(days=self.rng.randint(1, span - 1))
            if rules.age_on(m.person.birth_date, day) < 26:
                self._leave(person_id, day, "deferred", ground_code="MDEF_STUDENT_OR_ABROAD")
            else:
                self._leave(
                    person_id,
                    day,
                    "released",  # DQTV Art. 12(1)(d)
                    ground_code="MREL_CALLED_OR_HIRED",
                    note=CIVIL_SERVICE_NOTE,
                )


def _pools(specs: Sequence[RosterSpec], as_of: date) -> dict[int, list[_Candidate]]:
    """Living residents of each commune who could serve at some intake (aged 18–50)."""
    pools: dict[int, list[_Candidate]] = {s.commune_id: [] for s in specs}
    oldest = date(as_of.year - 56, 1, 1)
    rows = Person.objects.filter(
        residence_commune_id__in=list(pools),
        life_status="alive",
        birth_date__gt=oldest,
        birth_date__lte=date(as_of.year - 17, 12, 31),
    ).values_list("id", "residence_commune_id", "sex", "birth_date")
    for person_id, commune_id, sex, birth_date in rows.order_by("id").iterator(chunk_size=5000):
        pools[commune_id].append(_Candidate(person_id, sex, birth_date))
    return pools


def militia_stage(
    *,
    specs: Sequence[RosterSpec],
    intakes: Sequence[date],
    as_of: date,
    target_from: date,
    seed: int,
    exclude: frozenset[int] = frozenset(),
) -> MilitiaResult:
    """Staff every command of `specs` without a roster at `intakes` (oldest first), set its
    target from `target_from`, and count the rosters on `as_of`. `exclude`: persons who may not
    serve (e.g. serving soldiers)."""
    staffed = set(MilitiaMembership.objects.values_list("unit_id", flat=True).distinct())
    pools = _pools(specs, as_of)
    left: Counter[str] = Counter()
    # The worklists of every member and command written, brought up to date once at the end
    # instead of after each of the thousand-odd joins and leaves.
    with work_items_deferred():
        for spec in specs:
            if spec.command.pk in staffed:
                continue
            if spec.standing:
                _key_defence(spec.commune_id, target_from)
            pool = [c for c in pools[spec.commune_id] if c.id not in exclude]
            roster = _Roster(spec, pool, seed, as_of)
            with transaction.atomic():  # one command at a time: a kill loses at most that one
                roster.staff(intakes, as_of, target_from)
            left.update(roster.left)
    return _result(specs, as_of, left)


def _key_defence(commune_id: int, day: date) -> None:
    """A commune forming a standing squad is a key defence commune (DQTV Art. 15 as amended):
    flagged so from `day` unless its configuration already says so."""
    flags = queries.commune_flags(commune_id, day)
    if not flags.key_defence:
        actions.defence_commune_set(
            commune=AdminUnit.objects.get(pk=commune_id),
            flags=replace(flags, key_defence=True),
            valid_from=day,
            basis="Địa bàn trọng điểm về quốc phòng (dữ liệu mẫu)",
            acting_user=None,
        )


def _result(specs: Sequence[RosterSpec], as_of: date, left: Counter[str]) -> MilitiaResult:
    ids = [s.command.pk for s in specs]
    members = MilitiaMembership.objects.as_of(as_of).filter(unit_id__in=ids)
    by_kind = dict(members.values_list("force_kind").annotate(n=Count("id")).order_by())
    per_unit = Counter(dict(members.values_list("unit_id").annotate(n=Count("id")).order_by()))
    targets = dict(
        MilitiaTarget.objects.as_of(as_of).filter(unit_id__in=ids).values_list("unit", "size")
    )
    return MilitiaResult(
        commands=len(specs),
        members=sum(per_unit.values()),
        by_kind=by_kind,
        standing_squads=members.filter(force_kind="standing").values("unit_id").distinct().count(),
        target=sum(targets.values()),
        below_target=sum(1 for unit, size in targets.items() if per_unit[unit] < size),
        left=dict(left),
    )
