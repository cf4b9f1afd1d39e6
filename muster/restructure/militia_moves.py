"""Militia rosters through a plan: kept by an ending command, they go to its default successor
(`Resolved.org_default()`), like the users whose jurisdiction it was.

Apply closes each open membership the day before (reason `transferred`) and continues it on
the successor from the effective day with the same term and force, so a count as of the day
before is what it was; a membership that began on or after the day is re-pointed in place.
Every row is journaled (`MoveRecord` type `militia`, flags below) and revert puts it back; a
member who left the successor's roster after the change keeps that leave on the original row.
For `compute`: who would move, who is left on a command without successor, and each new
commune command's target against the members it will have.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from muster import audit
from muster.accounts.models import User
from muster.militia.models import LeftReason, MilitiaMembership, MilitiaTarget
from muster.orgs.models import OrgUnit
from muster.restructure.models import MoveRecord, Plan, RecordType
from muster.restructure.resolve import Resolved

CLOSED, CREATED, REPOINTED = 0, 1, 2  # MoveRecord.flags of a militia row
_CHUNK = 2000


@dataclass(frozen=True)
class MilitiaMove:
    old_id: int
    new_id: int
    count: int


@dataclass(frozen=True)
class Shortfall:
    commune_id: int
    command: OrgUnit
    target: int
    members: int
    inherited: bool  # the command has no target of its own: its predecessors' targets summed


def _open_on(unit_ids: list[int]) -> Q:
    return Q(valid_to__isnull=True, unit_id__in_array=unit_ids)


def militia_move_counts(resolved: Resolved) -> list[MilitiaMove]:
    """Open memberships of ending commands, counted by old command → successor."""
    org_default = resolved.org_default()
    counts: Counter[tuple[int, int]] = Counter()
    for unit_id, n in (
        MilitiaMembership.objects.filter(_open_on(sorted(org_default)))
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[(unit_id, org_default[unit_id])] += n
    return [MilitiaMove(old, new, n) for (old, new), n in sorted(counts.items())]


def militia_orphans(resolved: Resolved) -> dict[int, int]:
    """Commands ending without a successor that still keep open memberships: id → members."""
    abolished = sorted(old for old, new in resolved.org_successors.items() if not new)
    ending = Q(unit_id__in_array=abolished) | Q(unit__valid_to__lt=resolved.day)
    return dict(
        MilitiaMembership.objects.filter(ending, valid_to__isnull=True)
        .exclude(unit_id__in_array=sorted(resolved.org_default()))
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )


def militia_shortfalls(resolved: Resolved, command_of: dict[int, OrgUnit]) -> list[Shortfall]:
    """New communes' commands (`command_of`: commune id → command) whose militia after the move
    is below target: their own target on the day, else the sum of their predecessors'."""
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
    for move in militia_move_counts(resolved):
        members[move.new_id] += move.count
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


def _continuation(row: MilitiaMembership, unit_id: int, day: date) -> MilitiaMembership:
    return MilitiaMembership(
        person_id=row.person_id,
        unit_id=unit_id,
        force_kind=row.force_kind,
        specialty=row.specialty,
        volunteer=row.volunteer,
        joined_on=row.joined_on,
        term_years=row.term_years,
        term_ends_on=row.term_ends_on,
        valid_from=day,
    )


def militia_apply(
    plan: Plan, resolved: Resolved, batch: int, *, acting_user: User | None = None
) -> int:
    """Move the rosters of ending commands to their successors; returns members moved. Runs
    inside apply's last transaction, journaled in `batch`."""
    org_default = resolved.org_default()
    day = resolved.day
    ids = list(
        MilitiaMembership.objects.filter(_open_on(sorted(org_default)))
        .order_by("id")
        .values_list("id", flat=True)
    )
    for start in range(0, len(ids), _CHUNK):
        rows = list(MilitiaMembership.objects.filter(pk__in=ids[start : start + _CHUNK]))
        carried = [r for r in rows if r.valid_from is None or r.valid_from < day]
        later = [r for r in rows if r.valid_from is not None and r.valid_from >= day]
        MilitiaMembership.objects.filter(pk__in=[r.pk for r in carried]).update(
            valid_to=resolved.before, left_reason=LeftReason.TRANSFERRED
        )
        created = MilitiaMembership.objects.bulk_create(
            [_continuation(r, org_default[r.unit_id], day) for r in carried]
        )
        journal = [
            MoveRecord(
                plan=plan,
                record_type=RecordType.MILITIA,
                record_id=pk,
                old_value=r.unit_id,
                new_value=org_default[r.unit_id],
                flags=flags,
                batch=batch,
            )
            for r, pk, flags in [(r, r.pk, CLOSED) for r in carried]
            + [(r, c.pk, CREATED) for r, c in zip(carried, created, strict=True)]
            + [(r, r.pk, REPOINTED) for r in later]
        ]
        for r in later:  # began on or after the day: only the command changes
            MilitiaMembership.objects.filter(pk=r.pk).update(unit_id=org_default[r.unit_id])
        MoveRecord.objects.bulk_create(journal, batch_size=5000)
    if ids:
        audit.record(
            "restructure.plan.militia_moved",
            actor=acting_user,
            target=plan,
            data={"members": len(ids), "batch": batch},
        )
    return len(ids)


def militia_revert(plan: Plan) -> int:
    """Put the rosters back from the journal; returns the memberships restored."""
    moves = MoveRecord.objects.filter(plan=plan, record_type=RecordType.MILITIA)
    created = list(moves.filter(flags=CREATED).values_list("record_id", flat=True))
    closed = list(moves.filter(flags=CLOSED).values_list("record_id", flat=True))
    left_later: dict[int, MilitiaMembership] = {}
    for start in range(0, len(created), _CHUNK):
        chunk = MilitiaMembership.objects.filter(pk__in=created[start : start + _CHUNK])
        left_later.update({r.person_id: r for r in chunk.filter(valid_to__isnull=False)})
        chunk.delete()
    for start in range(0, len(closed), _CHUNK):
        chunk = MilitiaMembership.objects.filter(pk__in=closed[start : start + _CHUNK])
        chunk.exclude(person_id__in=list(left_later)).update(valid_to=None, left_reason="")
        for row in chunk.filter(person_id__in=list(left_later)):
            ended = left_later[row.person_id]
            row.valid_to, row.left_reason = ended.valid_to, ended.left_reason
            row.ground_code, row.note = ended.ground_code, ended.note
            row.save(update_fields=["valid_to", "left_reason", "ground_code", "note"])
    repointed: dict[tuple[int | None, int | None], list[int]] = defaultdict(list)
    for record_id, old, new in moves.filter(flags=REPOINTED).values_list(
        "record_id", "old_value", "new_value"
    ):
        repointed[(old, new)].append(record_id)
    for (old, new), pks in repointed.items():
        MilitiaMembership.objects.filter(pk__in=pks, unit_id=new).update(unit_id=old)
    return len(closed) + sum(len(pks) for pks in repointed.values())


def militia_moved(plan: Plan) -> int:
    """Memberships the applied `plan` moved (from its journal)."""
    return MoveRecord.objects.filter(
        plan=plan, record_type=RecordType.MILITIA, flags__in=[CLOSED, REPOINTED]
    ).count()
