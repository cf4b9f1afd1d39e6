"""Existing databases: one command for each of the two cities (domain-rules §9).

Earlier builds made Hà Nội's command twice, the Capital Command (BTLTD, at the region's echelon)
and a provincial command BCHQS-01 of the same name under it (and BCHQS-L-01 before the reform);
Ho Chi Minh City's command was BCHQS-L-79 until 2025-06-30 and BCHQS-79 after. Each duplicate is
merged into the one command (BTLTD, BCHQS-79): its subordinate commands, territories (those the
command does not already cover), positions and appointments, users and every other record
pointing at it move over, then it goes. Ho Chi Minh City's command is then continuous (no start
date). Not reversible: which records belonged to the duplicate is not kept, so the reverse does
nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

MERGES = (("BCHQS-01", "BTLTD"), ("BCHQS-L-01", "BTLTD"), ("BCHQS-L-79", "BCHQS-79"))


def _merge(apps: Any, old: Any, new: Any) -> None:
    OrgUnit = apps.get_model("orgs", "OrgUnit")
    Territory = apps.get_model("orgs", "Territory")
    Position = apps.get_model("orgs", "Position")
    Appointment = apps.get_model("orgs", "Appointment")
    OrgUnit.objects.filter(parent=old).update(parent=new)
    covered = set(Territory.objects.filter(org_unit=new).values_list("admin_unit_id", flat=True))
    Territory.objects.filter(org_unit=old, admin_unit_id__in=covered).delete()
    Territory.objects.filter(org_unit=old).update(org_unit=new)
    ordinals = dict(Position.objects.filter(org_unit=new).values_list("ordinal", "id"))
    for position in Position.objects.filter(org_unit=old):
        if position.ordinal in ordinals:
            Appointment.objects.filter(position=position).update(
                position_id=ordinals[position.ordinal]
            )
            position.delete()
        else:
            position.org_unit = new
            position.save(update_fields=["org_unit"])
    # Records of later apps (users' jurisdictions, militia rosters, restructuring plans).
    for relation in OrgUnit._meta.related_objects:
        model = relation.related_model
        if model in (OrgUnit, Territory, Position) or not relation.many_to_one:
            continue
        name = relation.field.name
        model.objects.filter(**{name: old}).update(**{name: new})
    old.delete()


def forwards(apps: Any, schema_editor: Any) -> None:
    OrgUnit = apps.get_model("orgs", "OrgUnit")
    units = {u.code: u for u in OrgUnit.objects.filter(code__in={c for m in MERGES for c in m})}
    for old_code, new_code in MERGES:
        if old_code in units and new_code in units:
            _merge(apps, units[old_code], units[new_code])
            # The one command covers the legacy city too: no start date (as the builder).
            OrgUnit.objects.filter(code=new_code).update(valid_from=None)


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_position_kind_militia_leader"),
        ("accounts", "0001_initial"),
        ("militia", "0002_units_decisions_defence_communes"),
        ("restructure", "0005_plan_jurisdiction"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
