"""Militia rosters through a restructuring (`core.restructuring`), set-based.

A roster kept by a command that ends goes to the command's default successor, like the users
whose jurisdiction it was. Each open membership that began before the day closes the day before
(reason `transferred`) and continues on the successor from the day with the same term and force,
so a count as of the day before is what it was; one that began on or after the day is re-pointed
in place. Journal `militia` (old and new command id), flags below. Revert puts each back; a
member who left the successor's roster after the change keeps that leave on the original row.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection
from django.utils import timezone

from muster import audit
from muster.core.restructuring import Counts, Journal, PlanCounts, UnitCount, UnitMove
from muster.geo.models import Level
from muster.militia.models import LeftReason, MilitiaMembership, MilitiaUnit
from muster.orgs.bulk import positions_repoint
from muster.orgs.models import OrgKind, OrgUnit, Territory

RECORD = "militia"
UNIT_RECORD = "mil_unit"  # journal of the militia units moved (old and new command id)
CLOSED, CREATED, REPOINTED = 0, 1, 2  # journal flags of a militia row
MEMBERS = MilitiaMembership._meta.db_table
UNITS = MilitiaUnit._meta.db_table
# Copied from the closed row to its continuation: the term and force belong to the person.
CARRIED = (
    "person_id",
    "force_kind",
    "specialty",
    "volunteer",
    "joined_on",
    "term_years",
    "term_ends_on",
    "militia_unit_id",  # the unit moves to the successor too (`_units_apply`)
)


def _target(journal: Journal) -> tuple[str, str]:
    return ("restructure.plan", str(journal.plan_id))


def restructure_plan(journal: Journal) -> PlanCounts:
    """Open memberships of ending commands by old command → successor (scoped by the
    successor's commune), and those kept by a command that ends without a successor."""
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m.unit_id, s.new_id, COUNT(*) FROM {MEMBERS} m "
            f"JOIN {journal.successors('org')} s ON s.old_id = m.unit_id "
            "WHERE m.valid_to IS NULL GROUP BY m.unit_id, s.new_id"
        )
        counted = sorted(cursor.fetchall())
        cursor.execute(
            f"SELECT m.unit_id, COUNT(*) FROM {MEMBERS} m "
            f"JOIN {OrgUnit._meta.db_table} o ON o.id = m.unit_id WHERE m.valid_to IS NULL "
            f"AND (o.valid_to < %s OR m.unit_id IN "
            f"(SELECT unit_id FROM {journal.ending('org')} e WHERE e.new_id IS NULL)) "
            f"AND m.unit_id NOT IN (SELECT old_id FROM {journal.successors('org')} s) "
            "GROUP BY m.unit_id",
            [adapt(journal.day)],
        )
        orphans = [UnitCount("org", unit, n) for unit, n in cursor.fetchall()]
    commune_of = _command_communes(journal.day) if counted else {}
    moves = [
        UnitMove(RECORD, "org", old, new, n, commune_id=commune_of.get(new))
        for old, new, n in counted
    ]
    return PlanCounts(moves=moves, orphans=orphans)


def _command_communes(day: date) -> dict[int, int]:
    """Commune command id → the commune it covers on `day`."""
    return dict(
        Territory.objects.as_of(day)
        .filter(org_unit__kind=OrgKind.COMMUNE_COMMAND, admin_unit__level=Level.COMMUNE)
        .values_list("org_unit_id", "admin_unit_id")
    )


def _units_apply(journal: Journal, acting_user: Any) -> int:
    """Open militia units of ending commands go to the successor with their leader's
    position (orgs' positions, re-pointed by `orgs.bulk.positions_repoint`)."""
    moved = journal.add(
        UNIT_RECORD,
        "SELECT u.id AS record_id, u.command_id AS old_value, s.new_id AS new_value, 0 AS flags "
        f"FROM {UNITS} u JOIN {journal.successors('org')} s ON s.old_id = u.command_id "
        "WHERE u.valid_to IS NULL",
    )
    if not moved:
        return 0
    rows = journal.rows(UNIT_RECORD, this_batch=True)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {UNITS} AS u SET command_id = j.new_value FROM {rows} j "
            "WHERE u.id = j.record_id"
        )
        cursor.execute(
            f"SELECT u.leader_position_id, u.command_id FROM {UNITS} u JOIN {rows} j "
            "ON j.record_id = u.id WHERE u.leader_position_id IS NOT NULL"
        )
        leaders = [(int(p), int(c)) for p, c in cursor.fetchall()]
    positions_repoint(leaders, acting_user=acting_user)
    return moved


def _units_revert(journal: Journal, acting_user: Any) -> int:
    rows = journal.rows(UNIT_RECORD)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {UNITS} AS u SET command_id = j.old_value FROM {rows} j "
            "WHERE u.id = j.record_id AND u.command_id = j.new_value"
        )
        cursor.execute(
            f"SELECT u.leader_position_id, u.command_id FROM {UNITS} u JOIN {rows} j "
            "ON j.record_id = u.id WHERE u.leader_position_id IS NOT NULL"
        )
        leaders = [(int(p), int(c)) for p, c in cursor.fetchall()]
        cursor.execute(f"SELECT COUNT(*) FROM {rows} j")
        restored = int(cursor.fetchone()[0])
    positions_repoint(leaders, acting_user=acting_user)
    return restored


def restructure_apply(journal: Journal, day: date, acting_user: Any) -> Counts:
    """Move the rosters and units of ending commands to their successors; returns members
    moved."""
    units = _units_apply(journal, acting_user)
    adapt = connection.ops.adapt_datefield_value
    on_day = adapt(day)
    moved = journal.add(
        RECORD,
        "SELECT m.id AS record_id, m.unit_id AS old_value, s.new_id AS new_value, "
        f"CASE WHEN m.valid_from IS NULL OR m.valid_from < %s THEN {CLOSED} "
        f"ELSE {REPOINTED} END AS flags FROM {MEMBERS} m "
        f"JOIN {journal.successors('org')} s ON s.old_id = m.unit_id WHERE m.valid_to IS NULL",
        [on_day],
    )
    if not moved:
        if units:
            audit.record(
                "restructure.plan.militia_moved",
                actor=acting_user,
                target=_target(journal),
                data={"members": 0, "units": units, "batch": journal.batch},
            )
        return {"militia": 0}
    rows = journal.rows(RECORD, this_batch=True)
    carried = ", ".join(CARRIED)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {MEMBERS} SET valid_to = %s, left_reason = %s "
            f"WHERE id IN (SELECT record_id FROM {rows} j WHERE j.flags = {CLOSED})",
            [adapt(journal.before), LeftReason.TRANSFERRED],
        )
        cursor.execute(
            f"INSERT INTO {MEMBERS} ({carried}, unit_id, valid_from, valid_to, left_reason, "
            "ground_code, note, created_at) "
            f"SELECT {', '.join(f'm.{c}' for c in CARRIED)}, j.new_value, %s, "
            f"NULL, '', '', '', %s FROM {MEMBERS} m JOIN {rows} j ON j.record_id = m.id "
            f"WHERE j.flags = {CLOSED}",
            [on_day, connection.ops.adapt_datetimefield_value(timezone.now())],
        )
        cursor.execute(
            f"UPDATE {MEMBERS} AS m SET unit_id = j.new_value FROM {rows} j "
            f"WHERE m.id = j.record_id AND j.flags = {REPOINTED}"
        )
    # A continuation is its person's one open membership (a database constraint), so it is
    # found exactly by person and command.
    journal.add(
        RECORD,
        f"SELECT n.id AS record_id, j.old_value, j.new_value, {CREATED} AS flags "
        f"FROM {rows} j JOIN {MEMBERS} o ON o.id = j.record_id "
        f"JOIN {MEMBERS} n ON n.person_id = o.person_id AND n.valid_to IS NULL "
        f"AND n.unit_id = j.new_value AND n.valid_from = %s WHERE j.flags = {CLOSED}",
        [on_day],
    )
    audit.record(
        "restructure.plan.militia_moved",
        actor=acting_user,
        target=_target(journal),
        data={"members": moved, "units": units, "batch": journal.batch},
    )
    return {"militia": moved}


def restructure_revert(journal: Journal, acting_user: Any) -> Counts:
    """Put the rosters and units back from the journal; returns the memberships restored."""
    units = _units_revert(journal, acting_user)
    adapt = connection.ops.adapt_datefield_value
    rows = journal.rows(RECORD)
    pairs = (
        f"FROM {rows} jc, {rows} jn, {MEMBERS} n WHERE jc.flags = {CLOSED} "
        f"AND jn.flags = {CREATED} AND n.id = jn.record_id"
    )
    with connection.cursor() as cursor:
        # A leave recorded on the continuation after the change goes to the original row.
        cursor.execute(
            f"UPDATE {MEMBERS} AS o SET valid_to = n.valid_to, left_reason = n.left_reason, "
            f"ground_code = n.ground_code, note = n.note {pairs} AND o.id = jc.record_id "
            "AND n.person_id = o.person_id AND n.valid_to IS NOT NULL"
        )
        cursor.execute(
            f"DELETE FROM {MEMBERS} WHERE id IN "
            f"(SELECT record_id FROM {rows} j WHERE j.flags = {CREATED})"
        )
        # The others continue where they were: still closed as the change left them.
        cursor.execute(
            f"UPDATE {MEMBERS} SET valid_to = NULL, left_reason = '' "
            f"WHERE id IN (SELECT record_id FROM {rows} j WHERE j.flags = {CLOSED}) "
            "AND valid_to = %s AND left_reason = %s",
            [adapt(journal.before), LeftReason.TRANSFERRED],
        )
        cursor.execute(
            f"UPDATE {MEMBERS} AS m SET unit_id = j.old_value FROM {rows} j "
            f"WHERE m.id = j.record_id AND j.flags = {REPOINTED} AND m.unit_id = j.new_value"
        )
        cursor.execute(f"SELECT COUNT(*) FROM {rows} j WHERE j.flags IN ({CLOSED}, {REPOINTED})")
        restored = int(cursor.fetchone()[0])
    if restored or units:
        audit.record(
            "restructure.plan.militia_restored",
            actor=acting_user,
            target=_target(journal),
            data={"members": restored, "units": units},
        )
    return {"militia": restored}
