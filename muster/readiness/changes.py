"""What asks for a refresh: every audited write (`audit.chain.on_record`) of an app whose
records the figures count. The event's commune, or the command it concerns, is noted in the
action's transaction; when it commits, they are noted as stale (`PendingRefresh`) and one job
is queued unless one is already waiting (`readiness.tasks.refresh_pending`), which refreshes
today's figures of every stale commune and command at once — run by the worker (`muster
db_worker`), inline under the test settings. A transaction that rolls back queues nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from muster.audit.models import AuditEvent

# Actions whose records the figures count (audit/registry.py names).
COUNTED = (
    "people.",
    "militia.",
    "training.",
    "conscription.",
    "reserve.",
    "cadres.",
    "orgs.appointment.",
    "orgs.position.",
    "orgs.holder.",
    "orgs.designation.",
    "restructure.plan.",
)
# Event targets that name a command (`readiness.tasks` finds the command from them).
UNIT_TARGETS = frozenset(
    {
        "orgs.orgunit",
        "orgs.position",
        "orgs.appointment",
        "cadres.assessment",
        "cadres.trainingtarget",
        "cadres.course",
        "militia.militiatarget",
        "training.trainingsession",
    }
)


@dataclass
class _Flush:
    """The communes and commands one transaction's events named; registered with
    `transaction.on_commit`, so a rollback drops it together with what it noted."""

    communes: set[str] = field(default_factory=set)
    targets: set[tuple[str, str]] = field(default_factory=set)

    def __call__(self) -> None:
        """After the commit: note the stale communes and commands (`PendingRefresh`, their ids
        resolved here) and queue one refresh job unless one is already waiting."""
        from muster.readiness import tasks

        tasks.note_stale(
            timezone.localdate(), commune_codes=sorted(self.communes), targets=sorted(self.targets)
        )


def _current() -> _Flush:
    """This transaction's `_Flush`, registered on its first counted event."""
    for hook in connection.run_on_commit:
        if isinstance(hook[1], _Flush):
            return hook[1]
    found = _Flush()
    transaction.on_commit(found)
    return found


def counted(action: str) -> bool:
    return action.startswith(COUNTED)


def note(event: AuditEvent) -> None:
    """Note the event's commune or command; queue the refresh when the transaction commits."""
    if not counted(event.action):
        return
    commune = event.commune_code
    target = (event.target_type, event.target_id)
    by_unit = event.target_type in UNIT_TARGETS and event.target_id.isdigit()
    if not commune and not by_unit:
        return
    flush = _current()
    if commune:
        flush.communes.add(commune)
    if by_unit:
        flush.targets.add(target)
