"""What asks for a refresh: every audited write (`audit.chain.on_record`) of an app whose
records the figures count. The event's commune, or the command it concerns, is noted in the
action's transaction; when it commits, they are noted as stale (`PendingRefresh`) and one job
is queued unless one is already waiting (`readiness.tasks.refresh_pending`), which refreshes
today's figures of every stale commune and command at once — run by the worker (`muster
db_worker`), inline under the test settings. A transaction that rolls back queues nothing.
"""

from __future__ import annotations

import threading
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
class _Pending:
    communes: set[str] = field(default_factory=set)
    targets: set[tuple[str, str]] = field(default_factory=set)


_state = threading.local()


def _pending() -> _Pending:
    found: _Pending | None = getattr(_state, "pending", None)
    if found is None:
        found = _state.pending = _Pending()
    return found


def counted(action: str) -> bool:
    return action.startswith(COUNTED)


def note(event: AuditEvent) -> None:
    """Note the event's commune or command; queue the refresh when the transaction commits."""
    if not counted(event.action):
        return
    pending = _pending()
    if event.commune_code:
        pending.communes.add(event.commune_code)
    if event.target_type in UNIT_TARGETS and event.target_id.isdigit():
        pending.targets.add((event.target_type, event.target_id))
    if not (pending.communes or pending.targets):
        return
    if not any(hook[1] is _flush for hook in connection.run_on_commit):
        transaction.on_commit(_flush)


def _flush() -> None:
    """After the commit: note the stale communes and commands (`PendingRefresh`, their ids
    resolved here) and queue one refresh job unless one is already waiting for the worker."""
    from muster.readiness import tasks

    pending = _pending()
    communes, targets = sorted(pending.communes), sorted(pending.targets)
    pending.communes.clear()
    pending.targets.clear()
    if communes or targets:
        tasks.note_stale(timezone.localdate(), commune_codes=communes, targets=targets)
