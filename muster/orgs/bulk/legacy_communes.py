"""Legacy commune commands (before 2025-07-01): one per legacy ward, built set-based for the
legacy demo and tests of the 2025 change; only `actions.legacy_commune_commands_ensure` calls
this. `build_structure(include_legacy=True)` builds the legacy provincial and district commands;
the commune echelon of the legacy edition is built here, from the wards given."""

from __future__ import annotations

from django.db import transaction

from muster.geo.models import AdminUnit
from muster.orgs import rules
from muster.orgs.models import OrgKind, OrgUnit, Position, Territory


def legacy_commune_commands_build(wards: list[AdminUnit]) -> dict[str, int]:
    """A commune command per legacy ward under its district command, valid as the ward is,
    covering the ward, with the commune positions; what exists is kept. Returns the counts
    created (all zero on a second run)."""
    code = rules.legacy_commune_command_code
    districts = {
        o.territories.get().admin_unit_id: o
        for o in OrgUnit.objects.filter(
            kind=OrgKind.DISTRICT_COMMAND, territories__admin_unit__children__in=wards
        )
        .distinct()
        .prefetch_related("territories")
    }
    have = set(
        OrgUnit.objects.filter(code__startswith=rules.LEGACY_COMMUNE_PREFIX).values_list(
            "code", flat=True
        )
    )
    new = [
        OrgUnit(
            code=code(w.code),
            name=rules.commune_command_name(w.unit_type, w.short_name),
            kind=OrgKind.COMMUNE_COMMAND,
            parent=districts[w.parent_id or 0],
            valid_from=w.valid_from,
            valid_to=w.valid_to,
        )
        for w in wards
        if code(w.code) not in have
    ]
    with transaction.atomic():
        OrgUnit.objects.bulk_create(new, batch_size=500)
        units = {u.code: u for u in OrgUnit.objects.filter(code__in=[code(w.code) for w in wards])}
        covered = set(
            Territory.objects.filter(org_unit__in=units.values()).values_list(
                "org_unit_id", "admin_unit_id"
            )
        )
        territories = Territory.objects.bulk_create(
            [
                Territory(
                    org_unit=units[code(w.code)],
                    admin_unit=w,
                    valid_from=w.valid_from,
                    valid_to=w.valid_to,
                )
                for w in wards
                if (units[code(w.code)].pk, w.pk) not in covered
            ],
            batch_size=500,
        )
        positions = set(
            Position.objects.filter(org_unit__in=units.values()).values_list(
                "org_unit_id", "ordinal"
            )
        )
        created_positions = Position.objects.bulk_create(
            [
                Position(org_unit=u, kind=spec.kind, title=spec.title, ordinal=spec.ordinal)
                for u in units.values()
                for spec in rules.positions_for(OrgKind.COMMUNE_COMMAND)
                if (u.pk, spec.ordinal) not in positions
            ],
            batch_size=500,
        )
    return {
        "commune_commands": len(new),
        "territories": len(territories),
        "positions": len(created_positions),
    }
