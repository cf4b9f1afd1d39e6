"""Writes to the military organisation: each one atomic and audited.

History is kept by closing rows (valid_to = the day before the change) and opening new ones. A
change dated on the very day a row began is a correction: the row is rewritten in place, because
a period ending before it starts would be meaningless. The parent link of an org unit carries no
history; territories and appointments do.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from muster import audit
from muster.core.errors import FieldError, InvalidInput
from muster.core.structure import structure_changed
from muster.core.text import nfc
from muster.core.validity import valid_on
from muster.geo.models import AdminUnit, Edition, Level
from muster.orgs import bulk, rules
from muster.orgs.bulk import REGION_KINDS, BuildResult
from muster.orgs.models import (
    Appointment,
    CommandDesignation,
    Designation,
    OrgKind,
    OrgUnit,
    Position,
    Territory,
)

LEGACY_END = date(2025, 6, 30)
REFORM_DAY = date(2025, 7, 1)
# The 12-digit citizen identity number (Law on Identification 2023, Art. 12).
PERSONAL_ID = re.compile(r"\d{12}")


@transaction.atomic
def orgs_build(
    *, acting_user: Any = None, effective_from: date = REFORM_DAY, include_legacy: bool = False
) -> BuildResult:
    """Build regions, provincial, area defence and commune commands from the geo data.

    Idempotent: only missing units, territories and positions are created; a run that creates
    nothing writes no audit event. `include_legacy` adds the legacy provincial and district
    commands (valid until 2025-06-30). Sources: domain-rules §4 (PTKV, commune commands) and §9
    (region table, data/military_regions.csv).
    """
    structure_changed()  # jurisdictions derived from territories must be recomputed
    result = bulk.build_structure(effective_from=effective_from, include_legacy=include_legacy)
    if result.changed:
        audit.record(
            "orgs.structure.loaded",
            actor=acting_user,
            target=("orgs.structure", effective_from.isoformat()),
            data={"counts": result.as_dict(), "include_legacy": include_legacy},
        )
    return result


@transaction.atomic
def legacy_commune_commands_ensure(*, wards: list[AdminUnit], acting_user: Any) -> int:
    """A commune command per legacy ward (before 2025-07-01), covering it, with the commune
    positions; idempotent, audited when anything was created. Returns the commands created."""
    counts = bulk.legacy_commune_commands_build(wards)
    if any(counts.values()):
        structure_changed()
        audit.record(
            "orgs.structure.loaded",
            actor=acting_user,
            target=("orgs.structure", "legacy-communes"),
            data={"counts": counts, "include_legacy": True},
        )
    return counts["commune_commands"]


def _territory_row(*, admin_unit: AdminUnit, kinds: tuple[str, ...], day: date) -> Territory | None:
    return (
        Territory.objects.select_for_update()
        .filter(valid_on(day), admin_unit=admin_unit, org_unit__kind__in=kinds)
        .select_related("org_unit")
        .order_by("-valid_from")
        .first()
    )


def _reassign(
    row: Territory, *, to_unit: OrgUnit, effective_from: date, field: str
) -> tuple[Territory, bool]:
    """Move `row` to `to_unit` from `effective_from`; returns (new row, was_correction)."""
    if row.valid_from is not None and row.valid_from > effective_from:
        raise InvalidInput.single(field, "TERRITORY_BEFORE_CURRENT", {"day": row.valid_from})
    if row.valid_from == effective_from:
        row.org_unit = to_unit
        row.save(update_fields=["org_unit"])
        return row, True
    new = Territory.objects.create(
        org_unit=to_unit,
        admin_unit_id=row.admin_unit_id,
        valid_from=effective_from,
        valid_to=row.valid_to,
    )
    row.valid_to = effective_from - timedelta(days=1)
    row.save(update_fields=["valid_to"])
    return new, False


@transaction.atomic
def region_province_assign(
    *, province: AdminUnit, region: OrgUnit, effective_from: date, acting_user: Any
) -> Territory:
    """Assign a 2025 province to a military region (or the Capital Command) from a date.

    The old territory row ends the day before; the province's provincial command moves under
    the new region. Which province sits in which region is configuration (domain-rules §9,
    Lâm Đồng uncertain between Military Regions 5 and 7).
    """
    structure_changed()  # jurisdictions derived from territories must be recomputed
    errors: list[FieldError] = []
    if province.edition != Edition.V2025 or province.level != Level.PROVINCE:
        errors.append(FieldError("province", "NOT_A_2025_PROVINCE", {"code": province.code}))
    elif not province.is_valid_on(effective_from):
        errors.append(
            FieldError(
                "province", "UNIT_NOT_VALID_ON", {"code": province.code, "day": effective_from}
            )
        )
    if region.kind not in REGION_KINDS:
        errors.append(
            FieldError("region", "NOT_A_REGION", {"code": region.code, "kind": region.kind})
        )
    elif not region.is_valid_on(effective_from):
        errors.append(
            FieldError("region", "UNIT_NOT_VALID_ON", {"code": region.code, "day": effective_from})
        )
    if errors:
        raise InvalidInput(errors)
    current = _territory_row(admin_unit=province, kinds=REGION_KINDS, day=effective_from)
    before = current.org_unit.code if current else None
    if current is not None and current.org_unit_id == region.pk:
        raise InvalidInput.single(
            "region", "ALREADY_IN_REGION", {"province": province.name, "region": region.code}
        )
    corrected = False
    if current is None:
        row = Territory.objects.create(
            org_unit=region, admin_unit=province, valid_from=effective_from
        )
    else:
        row, corrected = _reassign(
            current, to_unit=region, effective_from=effective_from, field="effective_from"
        )
    OrgUnit.objects.filter(
        code=rules.provincial_command_code(province.code), kind=OrgKind.PROVINCIAL_COMMAND
    ).update(parent=region)
    audit.record(
        "orgs.region_province.assigned",
        actor=acting_user,
        target=row,
        data={
            "province": province.code,
            "before": before,
            "after": region.code,
            "effective_from": effective_from.isoformat(),
            "correction": corrected,
        },
    )
    return row


@transaction.atomic
def org_unit_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit,
    territory: AdminUnit,
    valid_from: date,
    acting_user: Any,
) -> OrgUnit:
    """A new organisation unit under `parent`, covering `territory` from `valid_from` (e.g. an
    enterprise's military command founded by decision). The caller checks whether it may."""
    name = nfc(name)
    errors: list[FieldError] = []
    if not name:
        errors.append(FieldError("name", "REQUIRED"))
    elif len(name) > (OrgUnit._meta.get_field("name").max_length or 200):
        errors.append(FieldError("name", "TOO_LONG", {"limit": 200}))
    if kind not in OrgKind.values:
        errors.append(FieldError("kind", "NOT_ONE_OF", {"choices": OrgKind.values}))
    if OrgUnit.objects.filter(code=code).exists():
        errors.append(FieldError("code", "ORG_CODE_TAKEN", {"code": code}))
    if errors:
        raise InvalidInput(errors)
    unit = OrgUnit.objects.create(
        code=code, name=name, kind=kind, parent=parent, valid_from=valid_from
    )
    Territory.objects.create(org_unit=unit, admin_unit=territory, valid_from=valid_from)
    structure_changed()  # cached scopes see the new unit's territory
    audit.record(
        "orgs.unit.created",
        actor=acting_user,
        target=unit,
        data={
            "code": code,
            "kind": kind,
            "parent": parent.code,
            "territory": territory.code,
            "from": valid_from.isoformat(),
        },
    )
    return unit


@transaction.atomic
def org_unit_rename(*, org_unit: OrgUnit, name: str, acting_user: Any) -> OrgUnit:
    """Give an org unit a new name (e.g. an area defence command renamed by decision)."""
    name = nfc(name)
    if not name:
        raise InvalidInput.single("name", "REQUIRED")
    max_length = OrgUnit._meta.get_field("name").max_length or 200
    if len(name) > max_length:
        raise InvalidInput.single("name", "TOO_LONG", {"limit": max_length})
    if name == org_unit.name:
        raise InvalidInput.single("name", "NAME_UNCHANGED", {"name": name})
    before = org_unit.name
    org_unit.name = name
    org_unit.save(update_fields=["name"])
    structure_changed()  # pages that cache the org tree (readiness.places) show the new name
    audit.record(
        "orgs.unit.updated",
        actor=acting_user,
        target=org_unit,
        data={"before": {"name": before}, "after": {"name": name}},
    )
    return org_unit


def _commune_code_of(org_unit: OrgUnit) -> str:
    """The 2025 commune a commune command covers, for audit scoping; "" above that echelon."""
    if org_unit.kind != OrgKind.COMMUNE_COMMAND:
        return ""
    code = (
        Territory.objects.filter(org_unit=org_unit, admin_unit__level=Level.COMMUNE)
        .order_by("-valid_from")
        .values_list("admin_unit__code", flat=True)
        .first()
    )
    return code or ""


@transaction.atomic
def appointment_make(
    *,
    position: Position,
    holder_name: str,
    holder_personal_id: str = "",
    rank: str = "",
    valid_from: date,
    acting_user: Any,
) -> Appointment:
    """Appoint someone to `position` from `valid_from`; the previous holder ends the day before."""
    holder_name, rank, holder_personal_id = nfc(holder_name), nfc(rank), holder_personal_id.strip()
    errors: list[FieldError] = []
    if not holder_name:
        errors.append(FieldError("holder_name", "REQUIRED"))
    elif len(holder_name) > 120:
        errors.append(FieldError("holder_name", "TOO_LONG", {"limit": 120}))
    if holder_personal_id and not PERSONAL_ID.fullmatch(holder_personal_id):
        errors.append(FieldError("holder_personal_id", "HOLDER_ID_FORMAT"))
    if len(rank) > 60:
        errors.append(FieldError("rank", "TOO_LONG", {"limit": 60}))
    unit = position.org_unit
    if not unit.is_valid_on(valid_from):
        errors.append(
            FieldError("valid_from", "UNIT_NOT_VALID_ON", {"code": unit.code, "day": valid_from})
        )
    if errors:
        raise InvalidInput(errors)
    previous = (
        Appointment.objects.select_for_update()
        .filter(position=position)
        .exclude(valid_to__lt=valid_from)
        .order_by("-valid_from")
        .first()
    )
    if previous is not None:
        if previous.valid_from is not None and previous.valid_from >= valid_from:
            raise InvalidInput.single(
                "valid_from", "APPOINTMENT_BEFORE_CURRENT", {"day": previous.valid_from}
            )
        previous.valid_to = valid_from - timedelta(days=1)
        previous.save(update_fields=["valid_to"])
    appointment = Appointment.objects.create(
        position=position,
        holder_name=holder_name,
        holder_personal_id=holder_personal_id,
        rank=rank,
        valid_from=valid_from,
    )
    # The personal ID stays out of the audit data: auditors see names, not identity numbers.
    audit.record(
        "orgs.appointment.made",
        actor=acting_user,
        target=appointment,
        commune_code=_commune_code_of(unit),
        data={
            "org_unit": unit.code,
            "position": position.title,
            "ordinal": position.ordinal,
            "holder_name": holder_name,
            "rank": rank,
            "valid_from": valid_from.isoformat(),
            "previous_appointment": previous.pk if previous else None,
        },
    )
    return appointment


@transaction.atomic
def position_add(*, org_unit: OrgUnit, kind: str, title: str, acting_user: Any) -> Position:
    """A new position of `org_unit` (e.g. a militia unit's leader), after its last ordinal."""
    title = nfc(title)
    if not title:
        raise InvalidInput.single("title", "REQUIRED")
    if len(title) > 120:
        raise InvalidInput.single("title", "TOO_LONG", {"limit": 120})
    last = (
        Position.objects.select_for_update()
        .filter(org_unit=org_unit)
        .order_by("-ordinal")
        .values_list("ordinal", flat=True)
        .first()
    )
    position = Position.objects.create(
        org_unit=org_unit, kind=kind, title=title, ordinal=(last or 0) + 1
    )
    audit.record(
        "orgs.position.added",
        actor=acting_user,
        target=position,
        commune_code=_commune_code_of(org_unit),
        data={"org_unit": org_unit.code, "kind": kind, "title": title},
    )
    return position


@transaction.atomic
def appointment_end(*, appointment: Appointment, valid_to: date, acting_user: Any) -> Appointment:
    """End an open appointment on `valid_to` (the last day it held)."""
    if appointment.valid_to is not None:
        raise InvalidInput.single("appointment", "APPOINTMENT_ENDED", {"day": appointment.valid_to})
    if appointment.valid_from is not None and valid_to < appointment.valid_from:
        raise InvalidInput.single(
            "valid_to", "APPOINTMENT_END_BEFORE_START", {"day": appointment.valid_from}
        )
    appointment.valid_to = valid_to
    appointment.save(update_fields=["valid_to"])
    audit.record(
        "orgs.appointment.ended",
        actor=acting_user,
        target=appointment,
        commune_code=_commune_code_of(appointment.position.org_unit),
        data={"valid_to": valid_to.isoformat()},
    )
    return appointment


@transaction.atomic
def territory_move(
    *,
    admin_unit: AdminUnit,
    from_unit: OrgUnit,
    to_unit: OrgUnit,
    effective_from: date,
    acting_user: Any,
) -> Territory:
    """Move an admin unit (a commune) from one command to another of the same kind, with history.

    The commune's own commune command follows it under the new area defence command.
    """
    structure_changed()  # jurisdictions derived from territories must be recomputed
    errors: list[FieldError] = []
    if from_unit.pk == to_unit.pk:
        errors.append(FieldError("to_unit", "SAME_UNIT"))
    if from_unit.kind != to_unit.kind:
        errors.append(
            FieldError(
                "to_unit", "KIND_DIFFERS", {"kind": to_unit.kind, "from_kind": from_unit.kind}
            )
        )
    if from_unit.kind == OrgKind.COMMUNE_COMMAND:
        errors.append(FieldError("from_unit", "COMMUNE_COMMAND_FIXED"))
    for name, unit in (("from_unit", from_unit), ("to_unit", to_unit)):
        if not unit.is_valid_on(effective_from):
            errors.append(
                FieldError(name, "UNIT_NOT_VALID_ON", {"code": unit.code, "day": effective_from})
            )
    if not admin_unit.is_valid_on(effective_from):
        errors.append(
            FieldError(
                "admin_unit", "UNIT_NOT_VALID_ON", {"code": admin_unit.code, "day": effective_from}
            )
        )
    if errors:
        raise InvalidInput(errors)
    current = _territory_row(admin_unit=admin_unit, kinds=(from_unit.kind,), day=effective_from)
    if current is None or current.org_unit_id != from_unit.pk:
        raise InvalidInput.single(
            "from_unit",
            "TERRITORY_NOT_COVERED",
            {"code": from_unit.code, "unit": admin_unit.name, "day": effective_from},
        )
    row, corrected = _reassign(
        current, to_unit=to_unit, effective_from=effective_from, field="effective_from"
    )
    moved_commands = 0
    if to_unit.kind == OrgKind.AREA_DEFENCE_COMMAND:
        moved_commands = OrgUnit.objects.filter(
            code=rules.commune_command_code(admin_unit.code),
            kind=OrgKind.COMMUNE_COMMAND,
            parent=from_unit,
        ).update(parent=to_unit)
    audit.record(
        "orgs.territory.changed",
        actor=acting_user,
        target=row,
        commune_code=admin_unit.code if admin_unit.level == Level.COMMUNE else "",
        data={
            "admin_unit": admin_unit.code,
            "from": from_unit.code,
            "to": to_unit.code,
            "effective_from": effective_from.isoformat(),
            "correction": corrected,
            "commune_command_moved": bool(moved_commands),
        },
    )
    return row


@transaction.atomic
def command_designations_set(
    *, org_unit: OrgUnit, designations: set[str], valid_from: date, acting_user: Any
) -> list[str]:
    """Set a commune command's designations (type-1, border, coastal, island) from
    `valid_from`: those dropped end the day before, those added begin that day (a row that
    began that very day is removed, a correction). They decide how many deputy commanders it
    may have (Decree 72/2020/NĐ-CP Art. 4, `rules.deputy_commanders_allowed`). Returns the
    designations now held, sorted; no change writes no audit event."""
    errors: list[FieldError] = []
    unknown = sorted(designations - set(Designation.values))
    if unknown:
        errors.append(FieldError("designations", "DESIGNATION_UNKNOWN", {"codes": unknown}))
    if org_unit.kind != OrgKind.COMMUNE_COMMAND:
        errors.append(FieldError("org_unit", "NOT_A_COMMUNE_COMMAND", {"code": org_unit.code}))
    if errors:
        raise InvalidInput(errors)
    current = {
        row.designation: row
        for row in CommandDesignation.objects.select_for_update().filter(
            valid_on(valid_from), org_unit=org_unit
        )
    }
    before = sorted(current)
    for code, row in current.items():
        if code in designations:
            continue
        if row.valid_from is not None and row.valid_from >= valid_from:
            row.delete()
        else:
            row.valid_to = valid_from - timedelta(days=1)
            row.save(update_fields=["valid_to"])
    for code in sorted(designations - set(current)):
        CommandDesignation.objects.create(
            org_unit=org_unit, designation=code, valid_from=valid_from
        )
    after = sorted(designations)
    if after != before:
        audit.record(
            "orgs.designation.set",
            actor=acting_user,
            target=org_unit,
            commune_code=_commune_code_of(org_unit),
            data={"before": before, "after": after, "valid_from": valid_from.isoformat()},
        )
    return after
