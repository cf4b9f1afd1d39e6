"""Background jobs (django-tasks, database backend; `muster db_worker` runs them): the refresh
of the readiness summary tables, for a day and some communes and commands, or for everything."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django_tasks import TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend

from muster.cadres.models import Assessment, Course, TrainingTarget
from muster.core.validity import valid_on
from muster.geo.models import AdminUnit, Level
from muster.militia.models import MilitiaTarget
from muster.orgs.models import Appointment, OrgKind, OrgUnit, Position, Territory
from muster.readiness import bulk
from muster.readiness.models import PendingRefresh
from muster.training.models import TrainingSession

# target type → (model, the field naming its command)
_COMMAND_OF: dict[str, tuple[Any, str]] = {
    "orgs.orgunit": (OrgUnit, "id"),
    "orgs.position": (Position, "org_unit_id"),
    "orgs.appointment": (Appointment, "position__org_unit_id"),
    "cadres.assessment": (Assessment, "org_unit_id"),
    "cadres.trainingtarget": (TrainingTarget, "org_unit_id"),
    "cadres.course": (Course, "organiser_id"),
    "militia.militiatarget": (MilitiaTarget, "unit_id"),
    "training.trainingsession": (TrainingSession, "unit_id"),
}


def commands_of(targets: Iterable[Sequence[str]]) -> set[int]:
    """The commands the event targets name (one query per target type)."""
    by_type: dict[str, set[int]] = {}
    for target_type, target_id in targets:
        if target_type in _COMMAND_OF and str(target_id).isdigit():
            by_type.setdefault(target_type, set()).add(int(target_id))
    found: set[int] = set()
    for target_type, ids in by_type.items():
        model, field_name = _COMMAND_OF[target_type]
        found |= set(model.objects.filter(pk__in=sorted(ids)).values_list(field_name, flat=True))
    return found


def split(unit_ids: set[int], day: date) -> tuple[set[int], set[int]]:
    """(the communes of the commune commands among `unit_ids`, the other units)."""
    communes = set(
        Territory.objects.filter(
            valid_on(day),
            org_unit_id__in=sorted(unit_ids),
            org_unit__kind=OrgKind.COMMUNE_COMMAND,
            admin_unit__level=Level.COMMUNE,
        ).values_list("admin_unit_id", flat=True)
    )
    commune_commands = set(
        OrgUnit.objects.filter(pk__in=sorted(unit_ids), kind=OrgKind.COMMUNE_COMMAND).values_list(
            "id", flat=True
        )
    )
    return communes, unit_ids - commune_commands


@task()
def refresh_readiness(
    as_of: str,
    commune_codes: list[str] | None = None,
    targets: list[list[str]] | None = None,
    everything: bool = False,
) -> dict[str, object]:
    """Refresh the figures of `as_of` (ISO date): of every commune (`everything`), or of the
    communes `commune_codes` and the commands the `targets` name, and roll up their trees."""
    day = date.fromisoformat(as_of)
    if everything:
        return bulk.refresh(day).as_dict()
    communes: set[int] = set()
    if commune_codes:
        communes = set(
            AdminUnit.objects.filter(
                valid_on(day), Q(code__in=sorted(commune_codes)), level=Level.COMMUNE
            ).values_list("id", flat=True)
        )
    more, units = split(commands_of(targets or []), day)
    return bulk.refresh(day, commune_ids=communes | more, unit_ids=units).as_dict()


def note_stale(
    day: date, *, commune_codes: Sequence[str], targets: Iterable[Sequence[str]]
) -> None:
    """Note the communes and the commands (from the events' targets) whose `day` figures are
    stale, and queue `refresh_pending` unless a job is already waiting."""
    communes = set(
        AdminUnit.objects.filter(
            valid_on(day), code__in=sorted(commune_codes), level=Level.COMMUNE
        ).values_list("id", flat=True)
    )
    more, units = split(commands_of(targets), day)
    rows = [
        PendingRefresh(as_of=day, kind=PendingRefresh.COMMUNE, ref_id=c) for c in communes | more
    ]
    rows += [PendingRefresh(as_of=day, kind=PendingRefresh.UNIT, ref_id=u) for u in units]
    if not rows:
        return
    PendingRefresh.objects.bulk_create(rows, ignore_conflicts=True)
    if not _job_waiting():
        refresh_pending.enqueue()


def _job_waiting() -> bool:
    """Whether a `refresh_pending` job is queued and not started (database backend only)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the backend is installed
        return False
    if not isinstance(refresh_pending.get_backend(), DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=refresh_pending.module_path
    ).exists()


@task()
def refresh_pending() -> list[dict[str, object]]:
    """Refresh every stale commune and command noted so far, one refresh per day noted; the
    notes taken are deleted in the same transaction (a note added meanwhile waits for the
    next job)."""
    done = []
    with transaction.atomic():
        taken = list(
            PendingRefresh.objects.select_for_update(skip_locked=True).values_list(
                "id", "as_of", "kind", "ref_id"
            )
        )
        PendingRefresh.objects.filter(pk__in=[t[0] for t in taken]).delete()
    by_day: dict[date, tuple[set[int], set[int]]] = {}
    for _id, day, kind, ref_id in taken:
        communes, units = by_day.setdefault(day, (set(), set()))
        (communes if kind == PendingRefresh.COMMUNE else units).add(ref_id)
    for day, (communes, units) in sorted(by_day.items()):
        done.append(bulk.refresh(day, commune_ids=communes, unit_ids=units).as_dict())
    return done
