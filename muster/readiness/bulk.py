"""The refresh of the readiness summary tables (readiness's own tables only): the figures of
communes recomputed set-based (`readiness.compute`), then every unit of the affected military
regions' trees rolled up from the commune snapshots.

A refresh writes derived figures, never a record of anyone: it is not audited (the actions that
changed the records were, and their events are what ask for the refresh, `readiness.changes`).
It is idempotent: a second refresh of the same day replaces the first's rows.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from psycopg import sql

from muster.cadres.figures import latest_assessment_year
from muster.core.validity import valid_on
from muster.orgs.models import OrgKind, OrgUnit
from muster.readiness import compute
from muster.readiness.models import (
    EXPOSURE_COUNTS,
    FIGURES,
    CommuneSnapshot,
    PendingRefresh,
    UnitSnapshot,
)

OWN = (
    "positions",
    "positions_filled",
    "positions_qualified",
    "training_targets",
    "training_targets_met",
    "cadres_assessed",
    "cadres_good",
    "units_assessed",
    "units_good",
)
BATCH = 2000


@dataclass(frozen=True)
class Refreshed:
    """What a refresh wrote: commune and unit snapshots of `day`."""

    day: date
    communes: int
    units: int

    def as_dict(self) -> dict[str, object]:
        return {"as_of": self.day.isoformat(), "communes": self.communes, "units": self.units}


def refresh(
    day: date,
    *,
    commune_ids: Collection[int] | None = None,
    unit_ids: Collection[int] = (),
) -> Refreshed:
    """Recompute `day`'s figures of `commune_ids` (None: every commune) and roll up the trees
    holding them and the units `unit_ids` (whose own figures changed)."""
    started = timezone.now()
    communes_written = 0
    touched_units: set[int] = set(unit_ids)
    if commune_ids is None or commune_ids:
        command_of, values = compute.commune_figures(day, commune_ids)
        communes_written = _write_communes(day, command_of, values, everything=commune_ids is None)
        touched_units |= {c for c in command_of.values() if c is not None}
    if commune_ids is None:
        roots = set(
            OrgUnit.objects.filter(valid_on(day), parent__isnull=True).values_list("id", flat=True)
        )
    else:
        roots = roots_of(touched_units, day)
    units_written = rollup(day, roots) if roots else 0
    if commune_ids is None:  # everything is fresh: the changes noted before it are settled
        PendingRefresh.objects.filter(as_of=day, noted_at__lte=started).delete()
    return Refreshed(day, communes_written, units_written)


def _write_communes(
    day: date,
    command_of: dict[int, int | None],
    values: dict[int, compute.Values],
    *,
    everything: bool,
) -> int:
    now = timezone.now()
    columns = ["commune_id", "command_id", "as_of", "computed_at", "callup_year"]
    columns += ["assessment_year", *FIGURES, *EXPOSURE_COUNTS]
    rows = [
        (
            commune_id,
            command_of[commune_id],
            day,
            now,
            figures.get("callup_year"),
            figures.get("assessment_year"),
            *(int(figures.get(name) or 0) for name in FIGURES),
            *(int(figures.get(name) or 0) for name in EXPOSURE_COUNTS),
        )
        for commune_id, figures in values.items()
    ]
    with transaction.atomic():
        old = CommuneSnapshot.objects.filter(as_of=day)
        if not everything:
            old = old.filter(commune_id__in_array=sorted(values))
        old.delete()
        _insert(CommuneSnapshot._meta.db_table, columns, rows)
    return len(rows)


def _insert(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Rows into this app's `table`: COPY on PostgreSQL, batched INSERTs elsewhere (the ORM's
    bulk_create spends seconds building thousands of model objects a refresh never needs)."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
            )
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        quoted = connection.ops.quote_name(table)
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                f"INSERT INTO {quoted} ({names}) VALUES ({marks})",
                rows[start : start + BATCH],
            )


def roots_of(unit_ids: Collection[int], day: date) -> set[int]:
    """The top units (regions, the Capital Command) above `unit_ids` on `day`: one query per
    level of the tree."""
    roots: set[int] = set()
    frontier = set(unit_ids)
    seen: set[int] = set()
    while frontier:
        seen |= frontier
        rows = OrgUnit.objects.filter(id__in_array=sorted(frontier)).values_list("id", "parent_id")
        frontier = set()
        for unit_id, parent_id in rows:
            if parent_id is None:
                roots.add(unit_id)
            elif parent_id not in seen:
                frontier.add(parent_id)
    return roots


def _tree(roots: Collection[int], day: date) -> dict[int, tuple[int | None, str]]:
    """unit id → (parent id, kind) of the units of `roots`' trees valid on `day`."""
    found: dict[int, tuple[int | None, str]] = {
        uid: (parent, kind)
        for uid, parent, kind in OrgUnit.objects.filter(id__in_array=sorted(roots)).values_list(
            "id", "parent_id", "kind"
        )
    }
    frontier = set(found)
    while frontier:
        rows = list(
            OrgUnit.objects.filter(valid_on(day), parent_id__in_array=sorted(frontier)).values_list(
                "id", "parent_id", "kind"
            )
        )
        frontier = {uid for uid, _p, _k in rows if uid not in found}
        for uid, parent, kind in rows:
            found.setdefault(uid, (parent, kind))
    return found


def latest_communes(command_ids: Collection[int], day: date) -> list[CommuneSnapshot]:
    """The latest snapshot on or before `day` of each commune whose snapshot names one of
    `command_ids`."""
    latest = (
        CommuneSnapshot.objects.filter(commune_id=OuterRef("commune_id"), as_of__lte=day)
        .order_by("-as_of")
        .values("as_of")[:1]
    )
    return list(
        CommuneSnapshot.objects.filter(
            command_id__in_array=sorted(command_ids), as_of__lte=day, as_of=Subquery(latest)
        )
    )


def rollup(day: date, roots: Collection[int]) -> int:
    """Every unit of `roots`' trees on `day`: its own figures (`compute.own_figures`) and its
    children's summed; a commune command's are its communes' snapshots."""
    tree = _tree(roots, day)
    commands = [uid for uid, (_p, kind) in tree.items() if kind == OrgKind.COMMUNE_COMMAND]
    snapshots = latest_communes(commands, day)
    year = latest_assessment_year(day)
    others = [uid for uid in tree if uid not in set(commands)]
    own = compute.own_figures(others, day, year)
    totals: dict[int, dict[str, int]] = {uid: {} for uid in tree}
    counted: dict[int, int] = dict.fromkeys(tree, 0)
    oldest: dict[int, date | None] = dict.fromkeys(tree)
    callup_year: dict[int, int | None] = dict.fromkeys(tree)
    for snap in snapshots:
        if snap.command_id not in totals:
            continue
        compute.add(totals[snap.command_id], {n: getattr(snap, n) for n in FIGURES}, FIGURES)
        counted[snap.command_id] += 1
        _older(oldest, snap.command_id, snap.as_of)
        callup_year[snap.command_id] = snap.callup_year or callup_year[snap.command_id]
    for uid in others:
        compute.add(totals[uid], own[uid], OWN)
    # Children before parents: sum each unit into its parent, deepest first.
    depth = {uid: _depth(uid, tree) for uid in tree}
    for uid in sorted(tree, key=lambda u: -depth[u]):
        parent = tree[uid][0]
        if parent is None or parent not in tree:
            continue
        compute.add(totals[parent], totals[uid], FIGURES)
        counted[parent] += counted[uid]
        if oldest[uid] is not None:
            _older(oldest, parent, oldest[uid])
        callup_year[parent] = callup_year[parent] or callup_year[uid]
    now = timezone.now()
    columns = ["org_unit_id", "as_of", "computed_at", "communes", "inputs_from", "callup_year"]
    columns += ["assessment_year", *FIGURES]
    rows = [
        (
            uid,
            day,
            now,
            counted[uid],
            oldest[uid],
            callup_year[uid],
            year,
            *(totals[uid].get(name, 0) for name in FIGURES),
        )
        for uid in tree
    ]
    with transaction.atomic():
        UnitSnapshot.objects.filter(as_of=day, org_unit_id__in_array=sorted(tree)).delete()
        _insert(UnitSnapshot._meta.db_table, columns, rows)
    return len(rows)


def _older(oldest: dict[int, date | None], uid: int, day: date | None) -> None:
    current = oldest[uid]
    if day is not None and (current is None or day < current):
        oldest[uid] = day


def _depth(uid: int, tree: dict[int, tuple[int | None, str]]) -> int:
    depth = 0
    parent = tree[uid][0]
    while parent is not None and parent in tree and depth < 50:
        depth += 1
        parent = tree[parent][0]
    return depth
