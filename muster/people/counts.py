"""People counted per commune on a day, set-based: the living residents, their households and
the vulnerable among them (Civil Defence Law 2023 Art. 2(4), the groups the registry knows:
children under 16, people aged 60 and over, and anyone whose latest `mobility_need` fact by the
day says they need help to move). Nothing here names a person.

Two readers share these functions so they cannot disagree: the readiness refresh, which keeps
the counts in its commune snapshots ahead of time (`readiness.compute`), and civil defence's
exposure, which reads those snapshots and counts live with the same functions where none
exists for the day (`civildefence.queries`).

Residence is the person's current `residence_commune`; the day decides who is alive, how old,
and which facts were recorded by then.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Count, Q

from muster.people.models import LifeStatus, Person, PersonFact
from muster.people.rules import MOBILITY_FACT, MOBILITY_YES, vulnerable_birth_bounds


def alive_on(day: date) -> Q:
    """Born by `day` and not dead on it (a death after `day` still counts as alive then)."""
    return Q(birth_date__lte=day) & (Q(life_status=LifeStatus.ALIVE) | Q(died_on__gt=day))


def vulnerable_by_age(day: date) -> Q:
    """Under 16 or 60 and over on `day`."""
    child_after, older_by = vulnerable_birth_bounds(day)
    return Q(birth_date__gt=child_after) | Q(birth_date__lte=older_by)


def _in(field: str, ids: Collection[int] | None) -> Q:
    """`field` among `ids` (None: no filter, every commune)."""
    return Q() if ids is None else Q(**{f"{field}__in_array": sorted(ids)})


def alone() -> Q:
    """A person without a household number: a household of their own."""
    return Q(household_id="")


def shared_households(ids: Collection[int] | None, day: date) -> dict[int, int]:
    """Commune id → distinct household numbers among its people alive on `day` (the people
    `alone` are counted with the people, one household each). The distinct (commune, number)
    pairs are counted in a query of their own: `COUNT(DISTINCT …)` per commune sorts every row
    and runs on one core, where grouping the pairs first hashes in parallel (on 1,000,000
    people 2.8 s against 5.6 s, docs/PERFORMANCE.md)."""
    pairs = (
        Person.objects.filter(_in("residence_commune_id", ids), alive_on(day))
        .exclude(alone())
        .values_list("residence_commune_id", "household_id")
        .distinct()
        .order_by()
    )
    inner, params = pairs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.residence_commune_id, COUNT(*) FROM ({inner}) d"
            " GROUP BY d.residence_commune_id",
            params,
        )
        return {int(commune_id): int(n) for commune_id, n in cursor.fetchall()}


def flagged(ids: Collection[int] | None, day: date) -> dict[int, int]:
    """Commune id → people alive on `day` whose latest mobility fact by then says they need
    help to move and whose age alone does not make them vulnerable (so none counts twice)."""
    child_after, older_by = vulnerable_birth_bounds(day)
    facts = (
        PersonFact.objects.filter(
            _in("person__residence_commune_id", ids), kind=MOBILITY_FACT, recorded_on__lte=day
        )
        .filter(Q(person__birth_date__gt=older_by) & Q(person__birth_date__lte=child_after))
        .filter(Q(person__life_status=LifeStatus.ALIVE) | Q(person__died_on__gt=day))
        .order_by("person_id", "recorded_on", "id")
        .values_list("person_id", "person__residence_commune_id", "value")
    )
    latest: dict[int, tuple[int, str]] = {}
    for person_id, commune_id, value in facts:
        latest[person_id] = (commune_id, value)
    counts: dict[int, int] = {}
    for commune_id, value in latest.values():
        if value == MOBILITY_YES:
            counts[commune_id] = counts.get(commune_id, 0) + 1
    return counts


@dataclass(frozen=True)
class CommuneCounts:
    people: int  # alive on the day
    households: int
    vulnerable: int  # by age, and flagged as needing help to move


def by_commune(ids: Collection[int], day: date) -> dict[int, CommuneCounts]:
    """Commune id → its counts on `day`, for `ids` (a commune with nobody counts zeros): one
    grouped query for people and the vulnerable by age, one for households, one over the rare
    mobility facts — the readiness refresh computes its snapshots' counts the same way."""
    if not ids:
        return {}
    people: dict[int, tuple[int, int, int]] = {
        commune_id: (n, by_age, own)
        for commune_id, n, by_age, own in (
            Person.objects.filter(_in("residence_commune_id", ids), alive_on(day))
            .values_list("residence_commune_id")
            .annotate(
                n=Count("id"),
                by_age=Count("id", filter=vulnerable_by_age(day)),
                own=Count("id", filter=alone()),
            )
            .order_by()
        )
    }
    homes = shared_households(ids, day)
    extra = flagged(ids, day)
    found = {}
    for c in ids:
        n, by_age, own = people.get(c, (0, 0, 0))
        found[c] = CommuneCounts(
            people=n, households=homes.get(c, 0) + own, vulnerable=by_age + extra.get(c, 0)
        )
    return found
