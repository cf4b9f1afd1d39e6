"""The militia's structure: units under a commune command or a province's companies (DQTV
Art. 15 as amended by L98 Art. 10(7)), each with its leader's position in the orgs app, and the
communes' defence flags (border, coastal, island, key defence) that say where naval and
standing militia may stand. Each write atomic and audited."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from muster import audit
from muster.accounts import permissions
from muster.accounts.models import User
from muster.core.errors import FieldError, InvalidInput
from muster.core.text import nfc
from muster.geo.models import AdminUnit, Edition, Level
from muster.militia import rules
from muster.militia.actions.common import command_flags
from muster.militia.config import configured_communes
from muster.militia.models import DefenceCommune, Echelon, MilitiaMembership, MilitiaUnit
from muster.orgs import actions as orgs_actions
from muster.orgs.models import Appointment, OrgKind, OrgUnit, PositionKind

LEADER_TITLES = {
    Echelon.TEAM: "Tổ trưởng",
    Echelon.SQUAD: "Tiểu đội trưởng",
    Echelon.PLATOON: "Trung đội trưởng",
    Echelon.COMPANY: "Đại đội trưởng",
}


@transaction.atomic
def militia_unit_create(
    *,
    command: OrgUnit,
    name: str,
    echelon: str,
    force_kind: str,
    specialty: str = "",
    village: str = "",
    valid_from: date,
    acting_user: User | None,
) -> MilitiaUnit:
    """Set up a militia unit under `command` from `valid_from`, with its leader's position (a
    `militia_leader` position of the command in the orgs app, so the leader is appointed like
    every other post). The echelons each force may form, and where, are `rules.unit_problems`."""
    permissions.require(acting_user, "militia.unit.manage", unit=command)
    name, village = nfc(name).strip(), nfc(village).strip()
    flags = (
        command_flags(command, valid_from)
        if command.kind == OrgKind.COMMUNE_COMMAND
        else rules.CommuneFlags()
    )
    problems = rules.unit_problems(
        rules.UnitFacts(
            command_kind=command.kind,
            echelon=echelon,
            force_kind=force_kind,
            specialty=specialty,
            village=village,
            flags=flags,
        )
    )
    if not name:
        problems.append(FieldError("name", "REQUIRED"))
    elif len(name) > 120 or len(village) > 120:
        problems.append(
            FieldError("name" if len(name) > 120 else "village", "TOO_LONG", {"limit": 120})
        )
    if not command.is_valid_on(valid_from):
        problems.append(
            FieldError("valid_from", "UNIT_NOT_VALID_ON", {"code": command.code, "day": valid_from})
        )
    if problems:
        raise InvalidInput(problems)
    position = orgs_actions.position_add(
        org_unit=command,
        kind=PositionKind.MILITIA_LEADER,
        title=f"{LEADER_TITLES[Echelon(echelon)]} — {name}"[:120],
        acting_user=acting_user,
    )
    unit = MilitiaUnit.objects.create(
        command=command,
        name=name,
        echelon=echelon,
        force_kind=force_kind,
        specialty=specialty,
        village=village,
        leader_position=position,
        valid_from=valid_from,
    )
    audit.record(
        "militia.unit.created",
        actor=acting_user,
        target=unit,
        data={
            "command": command.code,
            "name": name,
            "echelon": echelon,
            "force_kind": force_kind,
            "specialty": specialty,
            "village": village,
            "from": valid_from.isoformat(),
        },
    )
    return unit


@transaction.atomic
def militia_unit_close(
    *, militia_unit: MilitiaUnit, valid_to: date, acting_user: User | None
) -> MilitiaUnit:
    """Disband a unit after `valid_to` (its last day); refused while members serve in it
    (MILITIA_UNIT_HAS_MEMBERS: they are moved to another unit or leave the roster first). The
    leader's appointment, if one is open, ends on the same day."""
    unit = MilitiaUnit.objects.select_for_update().select_related("command").get(pk=militia_unit.pk)
    permissions.require(acting_user, "militia.unit.manage", unit=unit.command)
    if unit.valid_to is not None:
        raise InvalidInput.single("militia_unit", "MILITIA_UNIT_CLOSED")
    if unit.valid_from is not None and valid_to < unit.valid_from:
        raise InvalidInput.single("valid_to", "MILITIA_UNIT_ENDS_BEFORE", {"day": unit.valid_from})
    serving = MilitiaMembership.objects.filter(militia_unit=unit).exclude(valid_to__lte=valid_to)
    if serving.exists():
        raise InvalidInput.single(
            "militia_unit", "MILITIA_UNIT_HAS_MEMBERS", {"count": serving.count()}
        )
    unit.valid_to = valid_to
    unit.save(update_fields=["valid_to"])
    audit.record(
        "militia.unit.closed",
        actor=acting_user,
        target=unit,
        data={"command": unit.command.code, "to": valid_to.isoformat()},
    )
    # A disbanded unit has no leader: his appointment ends with the unit (the orgs app keeps
    # the history and audits the end).
    if unit.leader_position_id is not None:
        for held in Appointment.objects.filter(
            position_id=unit.leader_position_id, valid_to__isnull=True
        ):
            if held.valid_from is not None and held.valid_from > valid_to:
                continue  # appointed after the last day: left for staff to undo in orgs
            orgs_actions.appointment_end(
                appointment=held, valid_to=valid_to, acting_user=acting_user
            )
    return unit


@transaction.atomic
def militia_unit_leader_appoint(
    *,
    militia_unit: MilitiaUnit,
    membership: MilitiaMembership,
    valid_from: date,
    acting_user: User | None,
) -> Appointment:
    """Appoint a member of the command's roster to lead `militia_unit` from `valid_from`; the
    previous leader's appointment ends the day before (the orgs app keeps the history, its
    `appointment_make` records the audit event). The command that set the unit up manages it
    (DQTV Art. 15 as amended)."""
    unit = MilitiaUnit.objects.select_for_update().select_related("command").get(pk=militia_unit.pk)
    permissions.require(acting_user, "militia.unit.manage", unit=unit.command)
    problems: list[FieldError] = []
    if not unit.is_valid_on(valid_from):
        problems.append(FieldError("militia_unit", "MILITIA_UNIT_CLOSED"))
    if valid_from > timezone.localdate():
        problems.append(FieldError("valid_from", "DATE_IN_FUTURE", {"day": valid_from}))
    if membership.unit_id != unit.command_id or not membership.is_valid_on(valid_from):
        problems.append(FieldError("membership", "MILITIA_LEADER_NOT_MEMBER", {"day": valid_from}))
    if problems:
        raise InvalidInput(problems)
    position = unit.leader_position
    if position is None:  # a unit kept from before positions existed gets its post now
        position = orgs_actions.position_add(
            org_unit=unit.command,
            kind=PositionKind.MILITIA_LEADER,
            title=f"{LEADER_TITLES[Echelon(unit.echelon)]} — {unit.name}"[:120],
            acting_user=acting_user,
        )
        unit.leader_position = position
        unit.save(update_fields=["leader_position"])
    person = membership.person
    return orgs_actions.appointment_make(
        position=position,
        holder_name=person.full_name,
        holder_personal_id=person.personal_id,
        valid_from=valid_from,
        acting_user=acting_user,
    )


@transaction.atomic
def defence_commune_set(
    *,
    commune: AdminUnit,
    flags: rules.CommuneFlags,
    valid_from: date,
    basis: str = "",
    acting_user: User | None,
) -> DefenceCommune | None:
    """Mark `commune` border, coastal, island and/or key defence from `valid_from` (the flags
    before end the day before; the same flags again change nothing). Returns the row in
    force, None when every flag is off. Configuration data for DQTV Art. 15."""
    permissions.require(acting_user, "militia.flags.set", area=commune)
    if commune.level != Level.COMMUNE:
        raise InvalidInput.single("commune", "MILITIA_FLAGS_COMMUNE_ONLY", {"code": commune.code})
    if len(basis) > 200:
        raise InvalidInput.single("basis", "TOO_LONG", {"limit": 200})
    current = DefenceCommune.objects.select_for_update().filter(
        commune=commune, valid_to__isnull=True
    )
    row = current.first()
    wanted = (flags.border, flags.coastal, flags.island, flags.key_defence)
    if row is not None and (row.border, row.coastal, row.island, row.key_defence) == wanted:
        return row
    if row is None and not any(wanted):
        return None
    if row is not None and row.valid_from is not None and row.valid_from >= valid_from:
        raise InvalidInput.single("valid_from", "MILITIA_FLAGS_IN_FORCE", {"day": row.valid_from})
    current.update(valid_to=valid_from - timedelta(days=1))
    created = (
        DefenceCommune.objects.create(
            commune=commune,
            border=flags.border,
            coastal=flags.coastal,
            island=flags.island,
            key_defence=flags.key_defence,
            basis=basis or _("configuration data"),
            valid_from=valid_from,
        )
        if any(wanted)
        else None
    )
    audit.record(
        "militia.commune.flagged",
        actor=acting_user,
        target=("geo.adminunit", str(commune.pk)),
        data={
            "commune": commune.code,
            "border": flags.border,
            "coastal": flags.coastal,
            "island": flags.island,
            "key_defence": flags.key_defence,
            "from": valid_from.isoformat(),
            "basis": basis,
        },
        commune_code=commune.code,
    )
    return created


@transaction.atomic
def defence_communes_configure(
    *, province: AdminUnit | None, valid_from: date, acting_user: User | None
) -> int:
    """Set the flags of `config.DEFENCE_COMMUNES` for the communes of `province` (every
    province when None) that exist on `valid_from`; re-running changes nothing. Returns the
    communes whose flags changed."""
    rows = {row.code: row for row in configured_communes()}
    communes = AdminUnit.objects.filter(
        level=Level.COMMUNE, code__in=list(rows), edition=Edition.V2025
    )
    if province is not None:
        communes = communes.filter(parent=province)
    changed = 0
    for commune in communes.order_by("code"):
        row = rows[commune.code]
        before = DefenceCommune.objects.filter(commune=commune, valid_to__isnull=True).first()
        wanted = (row.flags.border, row.flags.coastal, row.flags.island, row.flags.key_defence)
        if (
            before is not None
            and (before.border, before.coastal, before.island, before.key_defence) == wanted
        ):
            continue
        defence_commune_set(
            commune=commune,
            flags=row.flags,
            valid_from=max(valid_from, commune.valid_from or valid_from),
            basis=row.basis,
            acting_user=acting_user,
        )
        changed += 1
    return changed
