"""Reads of the militia roster, always scoped: a user sees the commune commands whose communes
lie in the jurisdiction `accounts.scope.scope_for` gives on the day asked about. A roster
names people: `militia_roster` logs the read."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.utils import timezone

from muster.accounts.models import User
from muster.accounts.scope import scope_for
from muster.core.collation import vi
from muster.core.errors import NotFound
from muster.core.validity import valid_on
from muster.geo.models import Level
from muster.militia import rules
from muster.militia.models import DefenceCommune, MilitiaMembership, MilitiaTarget
from muster.orgs.models import OrgKind, OrgUnit, Territory
from muster.people.queries import persons_read

ROSTER_READ = "militia.roster.viewed"


@dataclass(frozen=True)
class CommandCount:
    """A commune command's roster on a day: members by force kind against its target."""

    command: OrgUnit
    members: int
    target: int | None
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def shortfall(self) -> int:
        return max(0, self.target - self.members) if self.target is not None else 0


def command_commune_ids(command_ids: list[int], day: date) -> dict[int, list[int]]:
    """Commune-level units each command covers on `day` (command id → admin unit ids)."""
    covered: dict[int, list[int]] = defaultdict(list)
    for org_id, admin_id in Territory.objects.filter(
        valid_on(day), org_unit_id__in=command_ids, admin_unit__level=Level.COMMUNE
    ).values_list("org_unit_id", "admin_unit_id"):
        covered[org_id].append(admin_id)
    return covered


def _commands_in_scope(user: User, day: date, code: str | None = None) -> list[OrgUnit]:
    scope = scope_for(user, day)
    territories = Territory.objects.filter(
        scope.filter("admin_unit_id"), valid_on(day), org_unit__kind=OrgKind.COMMUNE_COMMAND
    )
    if code is not None:
        territories = territories.filter(org_unit__code=code)
    ids = territories.values("org_unit_id")
    return list(OrgUnit.objects.filter(valid_on(day), pk__in=ids).order_by(vi("name"), "code"))


def command_counts(commands: list[OrgUnit], day: date) -> list[CommandCount]:
    """Members on `day` per force kind and the target in force, for commands already scoped."""
    ids = [c.pk for c in commands]
    by_kind: dict[int, Counter[str]] = defaultdict(Counter)
    for unit_id, kind, n in (
        MilitiaMembership.objects.as_of(day)
        .filter(unit_id__in_array=ids)
        .values_list("unit_id", "force_kind")
        .annotate(n=Count("id"))
    ):
        by_kind[unit_id][kind] += n
    targets = dict(
        MilitiaTarget.objects.as_of(day).filter(unit_id__in_array=ids).values_list("unit", "size")
    )
    return [
        CommandCount(c, sum(by_kind[c.pk].values()), targets.get(c.pk), dict(by_kind[c.pk]))
        for c in commands
    ]


def militia_commands(user: User, *, day: date | None = None) -> list[CommandCount]:
    """The commune commands `user` covers on `day` (default today), by name, with counts."""
    day = day or timezone.localdate()
    return command_counts(_commands_in_scope(user, day), day)


def access_command(user: User, code: str, *, day: date | None = None) -> OrgUnit:
    """The commune command `code` if `user` covers it on `day`; otherwise NotFound (absent and
    out of scope answer alike)."""
    found = _commands_in_scope(user, day or timezone.localdate(), code)
    if not found:
        raise NotFound("COMMAND_NOT_FOUND", {"code": code})
    return found[0]


@dataclass(frozen=True)
class Roster:
    day: date
    command: OrgUnit
    count: CommandCount
    members: list[MilitiaMembership]


def militia_roster(
    user: User, *, code: str, day: date | None = None, channel: str = "web"
) -> Roster:
    """Command `code`'s roster on `day` (default today): members by force kind then name, and
    the count against its target, the members' read logged. NotFound when `user` does not
    cover the command that day."""
    day = day or timezone.localdate()
    command = access_command(user, code, day=day)
    members = list(
        MilitiaMembership.objects.as_of(day)
        .filter(unit=command)
        .select_related("person")
        .order_by("force_kind", vi("person__full_name"), "id")
    )
    persons_read(user, [m.person_id for m in members], action=ROSTER_READ, channel=channel)
    return Roster(day, command, command_counts([command], day)[0], members)


def commune_flags(commune_id: int, day: date) -> rules.CommuneFlags:
    """A commune's defence flags on `day` (configuration data; none set: no flag)."""
    row = DefenceCommune.objects.filter(valid_on(day), commune_id=commune_id).first()
    if row is None:
        return rules.CommuneFlags()
    return rules.CommuneFlags(row.border, row.coastal, row.island, row.key_defence)


def flags_by_commune(commune_ids: list[int], day: date) -> dict[int, rules.CommuneFlags]:
    """The flags of many communes on `day` (the map's popups), only those with a flag."""
    return {
        row.commune_id: rules.CommuneFlags(row.border, row.coastal, row.island, row.key_defence)
        for row in DefenceCommune.objects.filter(valid_on(day), commune_id__in=commune_ids)
    }
