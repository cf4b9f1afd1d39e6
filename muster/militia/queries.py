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
from muster.geo.models import AdminUnit, Level
from muster.militia import rules
from muster.militia.models import (
    DefenceCommune,
    MilitiaDecision,
    MilitiaMembership,
    MilitiaTarget,
    MilitiaUnit,
    SelfDefenceCommand,
)
from muster.orgs.models import Appointment, OrgKind, OrgUnit, Territory
from muster.people.models import Person
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


def _commands_in_scope(user: User | None, day: date, code: str | None = None) -> list[OrgUnit]:
    """`user` None is the system (the operator's CLI): every command."""
    # Agencies' and enterprises' commands keep their self-defence rosters the same way.
    territories = Territory.objects.filter(
        valid_on(day), org_unit__kind__in=(OrgKind.COMMUNE_COMMAND, OrgKind.SELF_DEFENCE_COMMAND)
    )
    if user is not None:
        territories = territories.filter(scope_for(user, day).filter("admin_unit_id"))
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


def access_command(user: User | None, code: str, *, day: date | None = None) -> OrgUnit:
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
    user: User | None, *, code: str, day: date | None = None, channel: str = "web"
) -> Roster:
    """Command `code`'s roster on `day` (default today): members by force kind then name, and
    the count against its target, the members' read logged. NotFound when `user` does not
    cover the command that day."""
    day = day or timezone.localdate()
    command = access_command(user, code, day=day)
    members = list(
        MilitiaMembership.objects.as_of(day)
        .filter(unit=command)
        .select_related("person", "militia_unit")
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


# ── Members for the API, the CLI and the person page ───────────────────────────────────────

ROSTER_COLUMNS = (
    "personal_id", "full_name", "force_kind", "specialty", "unit", "joined_on", "term_ends_on",
    "status",
)  # fmt: skip
MEMBER_READ = "militia.member.viewed"
SERVING, TERM_ENDED = "serving", "term_ended"


def member_status(membership: MilitiaMembership, day: date) -> str:
    """`serving`, or `term_ended` for a member still on the roster after the term's last day
    (completion not yet recorded, DQTV Art. 13)."""
    return SERVING if membership.term_ends_on >= day else TERM_ENDED


def roster_values(membership: MilitiaMembership, day: date) -> tuple[object, ...]:
    """One member as the roster file's columns (`ROSTER_COLUMNS`): codes and ISO dates."""
    return (
        membership.person.personal_id,
        membership.person.full_name,
        membership.force_kind,
        membership.specialty,
        membership.militia_unit.name if membership.militia_unit else "",
        membership.joined_on,
        membership.term_ends_on,
        member_status(membership, day),
    )


@dataclass(frozen=True)
class MemberPage:
    items: list[MilitiaMembership]
    count: int


def members_page(
    user: User | None,
    *,
    day: date,
    command_code: str | None = None,
    force_kind: str | None = None,
    page: int = 1,
    page_size: int = 100,
    channel: str = "api",
) -> MemberPage:
    """Members on `day` of the commands `user` covers (or of one, `command_code`: NotFound
    outside the jurisdiction), by command and name, a page at a time; the page's members
    logged as read."""
    if command_code:
        commands = [access_command(user, command_code, day=day)]
    else:
        commands = _commands_in_scope(user, day)
    rows = (
        MilitiaMembership.objects.as_of(day)
        .filter(unit_id__in_array=[c.pk for c in commands])
        .select_related("person", "unit", "militia_unit")
    )
    if force_kind:
        rows = rows.filter(force_kind=force_kind)
    start = (max(page, 1) - 1) * page_size
    items = list(
        rows.order_by("unit__code", vi("person__full_name"), "id")[start : start + page_size]
    )
    persons_read(user, [m.person_id for m in items], action=MEMBER_READ, channel=channel)
    return MemberPage(items, rows.count())


def access_member(
    user: User | None, personal_id: str, *, day: date, channel: str = "api"
) -> MilitiaMembership:
    """The person's membership on `day` (else the latest before it) if `user` covers its
    command then; NotFound otherwise, absent and out of scope alike. The read is logged."""
    found = (
        MilitiaMembership.objects.filter(person__personal_id=personal_id, valid_from__lte=day)
        .select_related("person", "unit", "militia_unit")
        .order_by("-valid_from", "-id")
        .first()
    )
    if found is None or not _commands_in_scope(
        user, min(found.valid_to or day, day), found.unit.code
    ):
        raise NotFound("MILITIA_MEMBER_NOT_FOUND", {"personal_id": personal_id})
    persons_read(user, [found.person_id], action=MEMBER_READ, channel=channel)
    return found


@dataclass(frozen=True)
class PersonMilitia:
    """A person's militia record for the person page: the membership on the day, every period
    with the decisions behind it, and the deferrals and exemptions in force."""

    current: MilitiaMembership | None
    periods: list[MilitiaMembership]
    decisions: list[MilitiaDecision]
    grounds_in_force: list[MilitiaDecision]
    status: str  # serving | term_ended | left | never


def person_militia_summary(person: Person, day: date) -> PersonMilitia:
    """The militia section of a person's page on `day`. The page has logged its own read of the
    person (this shows nothing of anyone else)."""
    periods = list(
        MilitiaMembership.objects.filter(person=person)
        .select_related("unit", "militia_unit")
        .order_by("valid_from", "id")
    )
    current = next((m for m in periods if m.is_valid_on(day)), None)
    decisions = list(MilitiaDecision.objects.filter(person=person).order_by("decided_on", "id"))
    in_force = list(MilitiaDecision.objects.in_force(day).filter(person=person).order_by("id"))
    status = "left" if periods else "never"
    if current is not None:
        status = member_status(current, day)
    return PersonMilitia(current, periods, decisions, in_force, status)


def access_membership(user: User, code: str, membership_id: int) -> MilitiaMembership:
    """An open membership of command `code` if `user` covers the command today; NotFound
    otherwise (absent, closed, elsewhere and out of scope alike). The person's read is logged."""
    command = access_command(user, code)
    found = (
        MilitiaMembership.objects.filter(pk=membership_id, unit=command, valid_to__isnull=True)
        .select_related("person__residence_commune", "unit", "militia_unit")
        .first()
    )
    if found is None:
        raise NotFound("MILITIA_MEMBER_NOT_FOUND", {"personal_id": membership_id})
    persons_read(user, [found.person_id], action=MEMBER_READ, channel="web")
    return found


def command_units(command: OrgUnit, day: date) -> list[MilitiaUnit]:
    """The militia units of `command` on `day`, by force and name."""
    return list(
        MilitiaUnit.objects.filter(valid_on(day), command=command)
        .select_related("leader_position")
        .order_by("force_kind", vi("name"), "id")
    )


def unit_leaders(units: list[MilitiaUnit], day: date) -> dict[int, str]:
    """The name of each unit's leader on `day` (units whose post is vacant left out)."""
    by_position = {u.leader_position_id: u.pk for u in units if u.leader_position_id}
    return {
        by_position[a.position_id]: a.holder_name
        for a in Appointment.objects.filter(valid_on(day), position_id__in=by_position)
    }


def self_defence_commands(user: User, *, day: date | None = None) -> list[CommandCount]:
    """Agencies' and enterprises' military commands in the communes `user` covers on `day`,
    with their founding records (`command.self_defence`) and counts against target."""
    day = day or timezone.localdate()
    commands = [c for c in _commands_in_scope(user, day) if c.kind == OrgKind.SELF_DEFENCE_COMMAND]
    founded = {
        r.unit_id: r
        for r in SelfDefenceCommand.objects.filter(unit_id__in=[c.pk for c in commands])
    }
    for command in commands:
        if command.pk in founded:
            command.self_defence = founded[command.pk]
    return command_counts(commands, day)


def self_defence_parents(commune: AdminUnit, day: date) -> dict[str, OrgUnit]:
    """Where an agency's or enterprise's command in `commune` may stand (DQTV Art. 15): under
    the commune's command ("commune") or the provincial command ("province")."""
    found: dict[str, OrgUnit] = {}
    for unit in OrgUnit.objects.filter(
        valid_on(day),
        kind=OrgKind.COMMUNE_COMMAND,
        pk__in=Territory.objects.filter(valid_on(day), admin_unit=commune).values("org_unit_id"),
    )[:1]:
        found["commune"] = unit
    for unit in OrgUnit.objects.filter(
        valid_on(day),
        kind__in=(OrgKind.PROVINCIAL_COMMAND, OrgKind.CAPITAL_COMMAND),
        pk__in=Territory.objects.filter(valid_on(day), admin_unit_id=commune.parent_id).values(
            "org_unit_id"
        ),
    )[:1]:
        found["province"] = unit
    return found


def self_defence_next_code(commune: AdminUnit) -> str:
    """A free code for a new agency's or enterprise's command in `commune`: TV-<commune>-<n>."""
    taken = set(
        OrgUnit.objects.filter(code__startswith=f"TV-{commune.code}-").values_list(
            "code", flat=True
        )
    )
    n = 1
    while f"TV-{commune.code}-{n}" in taken:
        n += 1
    return f"TV-{commune.code}-{n}"
