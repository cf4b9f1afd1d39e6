"""The readiness figures of communes and commands on a day, set-based: one grouped query per
indicator over the whole set of communes (a region's or the country's), whatever its size, and
the cadres figures (`cadres.positions`, `cadres.figures`) over the set of commands. Nothing here
names a person; the refresh (`readiness.bulk`) stores what it returns.

As of a past day: every figure is computed from the dated records — who was alive and of
call-up age, registrations, quotas and orders of the cycle, memberships, targets, training
sessions, reserve periods and assignments, appointments and certificates, assessments recorded
by then — except a person's commune, which is the current residence (`residence_commune`);
residence history (`people.ResidencePeriod`) is not replayed. docs/readiness.md says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import date

from django.db.models import Count, Max, Q, Sum

from muster.cadres.figures import assessments_by_unit, latest_assessment_year, targets_by_unit
from muster.cadres.positions import position_figures
from muster.conscription.models import (
    CallupCycle,
    CallupOrder,
    CommuneQuota,
    HandoverOutcome,
    Registration,
)
from muster.core.validity import valid_on
from muster.geo.models import AdminUnit, Level
from muster.militia.models import MilitiaMembership, MilitiaTarget
from muster.orgs.models import OrgKind, Territory
from muster.people import counts
from muster.people.models import Person, Sex
from muster.readiness import rules
from muster.reserve.models import ReserveMembership
from muster.reserve.models_units import MatchKind, ReserveAssignment
from muster.training.models import Attendance

Values = dict[str, int | None]


def _in(field: str, ids: Collection[int] | None) -> Q:
    """`field` among `ids` (None: no filter, the whole country)."""
    return Q() if ids is None else Q(**{f"{field}__in_array": sorted(ids)})


def communes_on(day: date, commune_ids: Collection[int] | None = None) -> dict[int, int | None]:
    """Commune id → the commune command covering it on `day` (None: no command), for the
    communes valid on `day` (of `commune_ids`, or all)."""
    communes = AdminUnit.objects.filter(valid_on(day), _in("id", commune_ids), level=Level.COMMUNE)
    found: dict[int, int | None] = dict.fromkeys(communes.values_list("id", flat=True))
    for command_id, commune_id in Territory.objects.filter(
        valid_on(day),
        _in("admin_unit_id", commune_ids),
        org_unit__kind=OrgKind.COMMUNE_COMMAND,
        admin_unit__level=Level.COMMUNE,
    ).values_list("org_unit_id", "admin_unit_id"):
        if commune_id in found:
            found[commune_id] = command_id
    return found


alive_on = counts.alive_on  # born by the day and not dead on it


def call_up_age_men(day: date) -> Q:
    first, last = rules.military_age_birth_window(day)
    return Q(sex=Sex.MALE, birth_date__gte=first, birth_date__lte=last)


def _people(ids: Collection[int] | None, day: date, into: dict[int, Values]) -> None:
    """People, men of call-up age, and civil defence's counts (`people.counts`: households,
    the vulnerable by age and those flagged as needing help to move), 0 where none."""
    for values in into.values():
        values.update(households=0, vulnerable=0)
    for commune_id, people, men, by_age, alone in (
        Person.objects.filter(_in("residence_commune_id", ids), alive_on(day))
        .values_list("residence_commune_id")
        .annotate(
            people=Count("id"),
            men=Count("id", filter=call_up_age_men(day)),
            by_age=Count("id", filter=counts.vulnerable_by_age(day)),
            alone=Count("id", filter=counts.alone()),
        )
        .order_by()
    ):
        if commune_id in into:
            into[commune_id].update(
                people=people, men_call_up_age=men, vulnerable=by_age, households=alone
            )
    for commune_id, n in counts.shared_households(ids, day).items():
        if commune_id in into:
            into[commune_id]["households"] = int(into[commune_id]["households"] or 0) + n
    for commune_id, n in counts.flagged(ids, day).items():
        if commune_id in into:
            into[commune_id]["vulnerable"] = int(into[commune_id]["vulnerable"] or 0) + n


def _registered(ids: Collection[int] | None, day: date, into: dict[int, Values]) -> None:
    """Men on the military service register on `day` (registered, not yet removed)."""
    for commune_id, n in (
        Registration.objects.filter(
            _in("commune_id", ids),
            Q(removed_on__isnull=True) | Q(removed_on__gt=day),
            registered_on__lte=day,
        )
        .values_list("commune_id")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    ):
        if commune_id in into:
            into[commune_id]["men_registered"] = n


def callup_year(day: date) -> int | None:
    """The call-up cycle the figures follow: the latest year up to `day`'s with a cycle."""
    found = CallupCycle.objects.filter(year__lte=day.year).aggregate(y=Max("year"))["y"]
    return int(found) if found is not None else None


def _callup(ids: Collection[int] | None, day: date, into: dict[int, Values]) -> None:
    year = callup_year(day)
    for values in into.values():
        values["callup_year"] = year
    if year is None:
        return
    for commune_id, quota in (
        CommuneQuota.objects.filter(_in("commune_id", ids), cycle__year=year)
        .values_list("commune_id")
        .annotate(q=Sum("quota"))
        .order_by()
    ):
        if commune_id in into:
            into[commune_id]["callup_quota"] = quota
    standing = Q(revoked_at__isnull=True) | Q(revoked_at__date__gt=day)
    for commune_id, issued, reported in (
        CallupOrder.objects.filter(_in("batch__commune_id", ids), standing, cycle__year=year)
        .values_list("batch__commune_id")
        .annotate(
            issued=Count("id", filter=Q(issued_on__lte=day)),
            reported=Count("id", filter=Q(outcome=HandoverOutcome.REPORTED, outcome_on__lte=day)),
        )
        .order_by()
    ):
        if commune_id in into:
            into[commune_id].update(callup_issued=issued, callup_reported=reported)


def _militia(command_of: dict[int, int | None], day: date, into: dict[int, Values]) -> None:
    commune_of = {c: k for k, c in command_of.items() if c is not None}
    units = _in("unit_id", commune_of)
    for unit_id, n in (
        MilitiaMembership.objects.as_of(day)
        .filter(units)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if unit_id in commune_of:
            into[commune_of[unit_id]]["militia_members"] = n
    for unit_id, size in (
        MilitiaTarget.objects.as_of(day).filter(units).values_list("unit_id", "size")
    ):
        if unit_id in commune_of:
            into[commune_of[unit_id]]["militia_target"] = size
    # Training days attended this year by members, in sessions that have begun by `day`.
    for unit_id, days in (
        Attendance.objects.filter(
            _in("session__unit_id", commune_of),
            session__starts_on__gte=date(day.year, 1, 1),
            session__starts_on__lte=day,
        )
        .values_list("session__unit_id")
        .annotate(d=Sum("days"))
        .order_by()
    ):
        if unit_id in commune_of:
            into[commune_of[unit_id]]["militia_training_days"] = days or 0


def _reserve(ids: Collection[int] | None, day: date, into: dict[int, Values]) -> None:
    for commune_id, n in (
        ReserveMembership.objects.filter(valid_on(day), _in("person__residence_commune_id", ids))
        .values_list("person__residence_commune_id")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    ):
        if commune_id in into:
            into[commune_id]["reservists"] = n
    for commune_id, n, exact in (
        ReserveAssignment.objects.filter(valid_on(day), _in("person__residence_commune_id", ids))
        .values_list("person__residence_commune_id")
        .annotate(n=Count("id"), exact=Count("id", filter=Q(match=MatchKind.EXACT)))
        .order_by()
    ):
        if commune_id in into:
            into[commune_id].update(reservists_assigned=n, reservists_exact=exact)


def own_figures(unit_ids: Collection[int], day: date, year: int | None) -> dict[int, Values]:
    """The figures of commands themselves: their positions (filled, qualified), the year's
    training targets set on them (met), and `year`'s assessments of their cadres and of the
    units (`latest_assessment_year`)."""
    found: dict[int, Values] = {uid: {} for uid in unit_ids}
    for unit_id, fig in position_figures(unit_ids, day).items():
        found[unit_id].update(
            positions=fig.positions,
            positions_filled=fig.positions_filled,
            positions_qualified=fig.positions_qualified,
        )
    for unit_id, (total, met) in targets_by_unit(unit_ids, day.year, day).items():
        found[unit_id].update(training_targets=total, training_targets_met=met)
    for values in found.values():
        values["assessment_year"] = year
    if year is not None:
        for unit_id, a in assessments_by_unit(unit_ids, year, day).items():
            if unit_id in found:
                found[unit_id].update(
                    cadres_assessed=a.cadres_assessed,
                    cadres_good=a.cadres_good,
                    units_assessed=a.units_assessed,
                    units_good=a.units_good,
                )
    return found


def commune_figures(
    day: date, commune_ids: Collection[int] | None = None
) -> tuple[dict[int, int | None], dict[int, Values]]:
    """(commune → command, commune → figures) on `day` for `commune_ids` (None: every commune
    valid on the day). A commune's figures include its command's own (`own_figures`)."""
    command_of = communes_on(day, commune_ids)
    ids = None if commune_ids is None else sorted(command_of)
    values: dict[int, Values] = {c: {} for c in command_of}
    _people(ids, day, values)
    _registered(ids, day, values)
    _callup(ids, day, values)
    _militia(command_of, day, values)
    _reserve(ids, day, values)
    year = latest_assessment_year(day)
    own = own_figures({c for c in command_of.values() if c is not None}, day, year)
    for commune_id, command_id in command_of.items():
        values[commune_id]["assessment_year"] = year
        if command_id is not None:
            values[commune_id].update(own[command_id])
    return command_of, values


def add(total: dict[str, int], values: Mapping[str, int | None], fields: Collection[str]) -> None:
    """Add `values`' counts into `total`."""
    for name in fields:
        total[name] = total.get(name, 0) + int(values.get(name) or 0)


def group_by_parent(pairs: Collection[tuple[int, int | None]]) -> dict[int, list[int]]:
    """parent id → child ids."""
    children: dict[int, list[int]] = defaultdict(list)
    for child, parent in pairs:
        if parent is not None:
            children[parent].append(child)
    return children
