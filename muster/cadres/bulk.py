"""Cadres records through a restructuring (`core.restructuring`), set-based, and the
certificates due for renewal.

A command that ends hands its courses and the assessments of the cadres who served in it to
its default successor, so a cadre's results compare across the 2025 boundary change under the
command that carries them on. A unit's own assessments and training targets describe that
unit and stay with it (a merged commune is assessed anew). Journal `cadres`: record id with
flags COURSE or ASSESSMENT, old and new command id. Revert puts each back.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet

from muster import audit
from muster.cadres.models import Assessment, Certificate, Course
from muster.cadres.rules import EXPIRY_NOTICE_DAYS
from muster.core.restructuring import Counts, Journal, PlanCounts, UnitMove

RECORD = "cadres"
COURSE, ASSESSMENT = 0, 1  # journal flags
COURSES = Course._meta.db_table
ASSESSMENTS = Assessment._meta.db_table
# What moves: (flag, table, the org unit column, the rows that move).
MOVED = (
    (COURSE, COURSES, "organiser_id", "TRUE"),
    (ASSESSMENT, ASSESSMENTS, "org_unit_id", "t.person_id IS NOT NULL"),
)


def _target(journal: Journal) -> tuple[str, str]:
    return ("restructure.plan", str(journal.plan_id))


def restructure_plan(journal: Journal) -> PlanCounts:
    """Courses and cadre assessments of ending commands, by old command → successor."""
    moves: list[UnitMove] = []
    with connection.cursor() as cursor:
        for _flag, table, column, where in MOVED:
            cursor.execute(
                f"SELECT t.{column}, s.new_id, COUNT(*) FROM {table} t "
                f"JOIN {journal.successors('org')} s ON s.old_id = t.{column} "
                f"WHERE {where} GROUP BY t.{column}, s.new_id"
            )
            moves += [UnitMove(RECORD, "org", old, new, n) for old, new, n in cursor.fetchall()]
    return PlanCounts(moves=sorted(moves, key=lambda m: (m.old_id, m.new_id)))


def restructure_apply(journal: Journal, day: date, acting_user: Any) -> Counts:
    """Re-point courses and cadre assessments to the successors; returns the rows moved."""
    moved = 0
    for flag, table, column, where in MOVED:
        moved += journal.add(
            RECORD,
            f"SELECT t.id AS record_id, t.{column} AS old_value, s.new_id AS new_value, "
            f"{flag} AS flags FROM {table} t "
            f"JOIN {journal.successors('org')} s ON s.old_id = t.{column} WHERE {where}",
        )
    if not moved:
        return {"cadres": 0}
    rows = journal.rows(RECORD, this_batch=True)
    with connection.cursor() as cursor:
        for flag, table, column, _where in MOVED:
            cursor.execute(
                f"UPDATE {table} SET {column} = (SELECT j.new_value FROM {rows} j "
                f"WHERE j.record_id = {table}.id AND j.flags = {flag}) "
                f"WHERE id IN (SELECT record_id FROM {rows} j WHERE j.flags = {flag})"
            )
    audit.record(
        "restructure.plan.cadres_moved",
        actor=acting_user,
        target=_target(journal),
        data={"records": moved, "batch": journal.batch},
    )
    return {"cadres": moved}


def restructure_revert(journal: Journal, acting_user: Any) -> Counts:
    """Put courses and cadre assessments back on the commands they left."""
    rows = journal.rows(RECORD)
    restored = 0
    with connection.cursor() as cursor:
        for flag, table, column, _where in MOVED:
            cursor.execute(
                f"UPDATE {table} SET {column} = (SELECT j.old_value FROM {rows} j "
                f"WHERE j.record_id = {table}.id AND j.flags = {flag}) "
                f"WHERE id IN (SELECT record_id FROM {rows} j WHERE j.flags = {flag})"
            )
            restored += max(cursor.rowcount, 0)
    if restored:
        audit.record(
            "restructure.plan.cadres_restored",
            actor=acting_user,
            target=_target(journal),
            data={"records": restored},
        )
    return {"cadres": restored}


def certificates_due(today: date) -> QuerySet[Certificate]:
    """Certificates expiring within the notice (`rules.renewal_due`) or expired, whose holder
    has no later certificate of the same qualification (one that outlasts it, or never
    expires): the renewals to put on the worklists, holders and communes loaded."""
    renewed = Certificate.objects.filter(
        person_id=OuterRef("person_id"), qualification=OuterRef("qualification")
    ).exclude(pk=OuterRef("pk"))
    later = renewed.filter(expires_on__isnull=True) | renewed.filter(
        expires_on__gt=OuterRef("expires_on")
    )
    return (
        Certificate.objects.filter(expires_on__lte=today + timedelta(days=EXPIRY_NOTICE_DAYS))
        .filter(~Exists(later))
        .select_related("person__residence_commune")
        .order_by("expires_on", "pk")
    )
