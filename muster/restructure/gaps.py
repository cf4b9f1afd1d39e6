"""The gaps a plan leaves, each with a proposed fix (read only): a new commune without a
commune command, a command without a commander (the dissolved predecessor's staff as
candidates), militia below target after the rosters move, users whose jurisdiction ends."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q

from muster.accounts.models import User
from muster.core.restructuring import PlanCounts
from muster.core.validity import valid_on
from muster.geo.models import AdminUnit, Level
from muster.militia.models import MilitiaMembership, MilitiaTarget
from muster.orgs.models import Appointment, OrgKind, OrgUnit, PositionKind, Territory
from muster.restructure.resolve import Resolved


@dataclass(frozen=True)
class Gap:
    # "commune_without_command" | "command_without_commander" | "jurisdiction_lost"
    # | "militia_below_target"
    kind: str
    unit_code: str
    text: str
    fix: str
    data: dict[str, Any] = field(default_factory=dict)
    commune_id: int | None = None


@dataclass(frozen=True)
class Shortfall:
    commune_id: int
    command: OrgUnit
    target: int
    members: int
    inherited: bool  # the command has no target of its own: its predecessors' targets summed


def militia_shortfalls(
    resolved: Resolved, command_of: dict[int, OrgUnit], moving_in: Counter[int]
) -> list[Shortfall]:
    """New communes' commands (`command_of`: commune id → command) whose militia after the move
    (`moving_in`: members the plan hands each command) is below target: their own target on the
    day, else the sum of their predecessors'."""
    commune_of = {command.pk: commune_id for commune_id, command in command_of.items()}
    ids = sorted(commune_of)
    members: Counter[int] = Counter(
        dict(
            MilitiaMembership.objects.as_of(resolved.day)
            .filter(unit_id__in_array=ids)
            .values_list("unit_id")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    members.update(moving_in)
    own = dict(
        MilitiaTarget.objects.as_of(resolved.day)
        .filter(unit_id__in_array=ids)
        .values_list("unit_id", "size")
    )
    org_default = resolved.org_default()
    inherited: Counter[int] = Counter()
    for old_id, size in (
        MilitiaTarget.objects.as_of(resolved.before)
        .filter(unit_id__in_array=sorted(org_default))
        .values_list("unit_id", "size")
    ):
        inherited[org_default[old_id]] += size
    shortfalls = []
    for command_id in sorted(ids, key=lambda i: command_of[commune_of[i]].code):
        target = own.get(command_id) or inherited.get(command_id)
        if target and members[command_id] < target:
            shortfalls.append(
                Shortfall(
                    commune_of[command_id],
                    command_of[commune_of[command_id]],
                    target,
                    members[command_id],
                    command_id not in own,
                )
            )
    return shortfalls


def touched_units(resolved: Resolved, counts: list[PlanCounts]) -> tuple[set[int], set[int]]:
    """The plan's own units: (communes, commands) its records move into or it creates.

    A built-in plan names every unit of the country, but only where records move does the
    change leave work behind: a command elsewhere without a commander is not this plan's gap.
    Communes: those the participants move records into (persons, commune-command
    territories), and created ones. Commands: org successors receiving records (users,
    rosters), created ones, and every successor command covering a touched commune (itself,
    its area or its province) on the day.
    """
    communes = {i for i in resolved.admin_created if resolved.admin[i].level == Level.COMMUNE}
    commands = set(resolved.org_created)
    for part in counts:
        for move in part.moves:
            if move.unit_type == "org":
                commands.add(move.new_id)
                continue
            unit = resolved.admin.get(move.new_id)
            if unit is not None and unit.level == Level.COMMUNE:
                communes.add(move.new_id)
    successors = {org_id for new in resolved.org_successors.values() for org_id in new}
    if communes and successors:
        provinces = set(
            AdminUnit.objects.filter(pk__in_array=sorted(communes)).values_list(
                "parent_id", flat=True
            )
        )
        commands |= set(
            Territory.objects.filter(
                Q(admin_unit_id__in_array=sorted(communes))
                | Q(admin_unit_id__in_array=sorted(p for p in provinces if p is not None)),
                valid_on(resolved.day),
                org_unit_id__in_array=sorted(successors),
            ).values_list("org_unit_id", flat=True)
        )
    return communes, commands


def plan_gaps(resolved: Resolved, counts: list[PlanCounts]) -> list[Gap]:
    """The gaps the plan leaves on the units it touches (`touched_units`); `counts` are the
    participants' (what moves where, militia moving in)."""
    day = resolved.day
    touched_communes, touched_commands = touched_units(resolved, counts)
    communes = sorted(resolved.new_communes() & touched_communes)
    command_of: dict[int, OrgUnit] = {}
    for territory in Territory.objects.filter(
        valid_on(day), admin_unit_id__in=communes, org_unit__kind=OrgKind.COMMUNE_COMMAND
    ).select_related("org_unit"):
        command_of[territory.admin_unit_id] = territory.org_unit
    gaps = _communes_without_command(resolved, communes, command_of)
    gaps += _commands_without_commander(resolved, command_of, touched_commands)
    moving_in: Counter[int] = Counter()
    for part in counts:
        for move in part.moves:
            if move.record_type == "militia":
                moving_in[move.new_id] += move.count
    gaps += [_militia_gap(s, day) for s in militia_shortfalls(resolved, command_of, moving_in)]
    return gaps + _jurisdictions_lost(resolved)


def _communes_without_command(
    resolved: Resolved, communes: list[int], command_of: dict[int, OrgUnit]
) -> list[Gap]:
    gaps = []
    for commune_id in communes:
        if commune_id in command_of:
            continue
        unit = resolved.admin[commune_id]
        code = f"BCHQS-X-{unit.code}"
        gaps.append(
            Gap(
                "commune_without_command",
                unit.code,
                f"{unit.name} has no commune military command from {resolved.day.isoformat()}",
                f"create {code} covering {unit.code} (muster orgs build)",
                {"commune": unit.code, "command": code},
                commune_id,
            )
        )
    return gaps


def _commands_without_commander(
    resolved: Resolved, command_of: dict[int, OrgUnit], touched: set[int]
) -> list[Gap]:
    """Commune commands of the plan's communes and the org successors it touches without a
    commander on the day."""
    day, before = resolved.day, resolved.before
    commands = {c.pk: c for c in command_of.values()}
    for new in resolved.org_successors.values():
        for org_id in new:
            if org_id in touched:
                commands.setdefault(org_id, resolved.org[org_id])
    headed = set(
        Appointment.objects.filter(
            valid_on(day),
            position__kind=PositionKind.COMMANDER,
            position__org_unit_id__in=sorted(commands),
        ).values_list("position__org_unit_id", flat=True)
    )
    predecessors: dict[int, list[int]] = defaultdict(list)
    for old, new in resolved.org_successors.items():
        for org_id in new:
            predecessors[org_id].append(old)
    commune_of_command = {c.pk: admin_id for admin_id, c in command_of.items()}
    gaps = []
    for org_id, command in sorted(commands.items(), key=lambda kv: kv[1].code):
        if org_id in headed:
            continue
        staff = list(
            Appointment.objects.filter(
                valid_on(before), position__org_unit_id__in=predecessors.get(org_id, [])
            )
            .order_by("position__ordinal")
            .values_list("holder_name", "position__title", "position__org_unit__code")
        )
        candidates = [{"name": n, "title": t, "from": c} for n, t, c in staff]
        fix = (
            "appoint a commander from the dissolved unit's staff: "
            + ", ".join(f"{c['name']} ({c['title']}, {c['from']})" for c in candidates)
            if candidates
            else "appoint a commander (orgs appointment)"
        )
        gaps.append(
            Gap(
                "command_without_commander",
                command.code,
                f"{command.name} has no commander on {day.isoformat()}",
                fix,
                {"command": command.code, "candidates": candidates},
                commune_of_command.get(org_id),
            )
        )
    return gaps


def _jurisdictions_lost(resolved: Resolved) -> list[Gap]:
    day, before = resolved.day, resolved.before
    org_default = resolved.org_default()
    gaps = []
    for user_id, username, org_id in User.objects.filter(
        Q(jurisdiction__valid_to__lt=day), is_active=True
    ).values_list("id", "username", "jurisdiction_id"):
        successor = resolved.org.get(org_default[org_id]) if org_id in org_default else None
        gaps.append(
            Gap(
                "jurisdiction_lost",
                username,
                f"user {username}'s jurisdiction ends on {before.isoformat()}",
                f"move the jurisdiction to {successor.code} (done on apply)"
                if successor
                else "assign a new jurisdiction by hand",
                {"user": user_id, "to": successor.code if successor else None},
            )
        )
    return gaps


def _militia_gap(shortfall: Shortfall, day: date) -> Gap:
    command, short = shortfall.command, shortfall.target - shortfall.members
    select = f"select {short} more member(s) at the April registration (DQTV Art. 9(1)(a), 10)"
    return Gap(
        "militia_below_target",
        command.code,
        f"{command.name}: militia below its target size on {day.isoformat()} "
        f"({shortfall.members} of {shortfall.target})",
        f"set {command.code}'s own target (its predecessors' add up to {shortfall.target}), "
        f"then {select}"
        if shortfall.inherited
        else select,
        {
            "command": command.code,
            "target": shortfall.target,
            "members": shortfall.members,
            "inherited": shortfall.inherited,
        },
        shortfall.commune_id,
    )
