"""Set-based upkeep of military-service records for the worklists.

`deferral_worklist_refresh` puts a man whose deferral has ended back on his commune's worklist:
a deferral lapses as soon as its ground ends, and he can then be called up (MSL Art. 41(3)).
Idempotent: items are keyed by ground and end date (`worklists.actions.work_item_open`), so a
second run opens nothing; an item staff resolved is never opened again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from muster.conscription.models import GroundDecision
from muster.conscription.rules.grounds import SEALED_GROUND_CODES, DecisionKind
from muster.people.models import LifeStatus
from muster.worklists.actions import work_item_open
from muster.worklists.models import WorkSource
from muster.worklists.rules import Kind

# How far back an ended deferral still puts the man on the worklist.
LOOKBACK_DAYS = 400


@dataclass(frozen=True)
class DeferralRefreshCounts:
    ended: int  # deferrals that ended in the look-back window with nothing holding now
    opened: int  # work items created by this run


def ended_deferrals(today: date) -> list[GroundDecision]:
    """Deferrals that ended before `today` (within LOOKBACK_DAYS) of living men on whom no
    deferral, exemption or completion holds on `today`."""
    held_now = GroundDecision.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today),
        person_id=OuterRef("person_id"),
        decided_on__lte=today,
    )
    return list(
        GroundDecision.objects.filter(
            kind=DecisionKind.DEFERRAL,
            valid_until__lt=today,
            valid_until__gte=today - timedelta(days=LOOKBACK_DAYS),
            person__life_status=LifeStatus.ALIVE,
        )
        .exclude(Exists(held_now))
        .select_related("person__residence_commune")
        .order_by("person_id", "valid_until", "id")
    )


def deferral_worklist_refresh(*, today: date) -> DeferralRefreshCounts:
    """Open a `deferral_ended` item (key "GROUND@VALID_UNTIL") on the residence commune of each
    man whose deferral ended (MSL Art. 41(3)); one transaction, each item audited when opened."""
    opened = 0
    with transaction.atomic():
        decisions = ended_deferrals(today)
        for decision in decisions:
            assert decision.valid_until is not None
            person = decision.person
            # A sealed ground (an Art. 13 bar) stays out of the worklist's clear columns.
            sealed = decision.ground_code in SEALED_GROUND_CODES
            ground = f"sealed#{decision.pk}" if sealed else decision.ground_code
            result = work_item_open(
                kind=Kind.DEFERRAL_ENDED,
                person=person,
                commune=person.residence_commune,
                source=WorkSource.REFRESH,
                key=f"{ground}@{decision.valid_until.isoformat()}",
                source_ref=f"decision#{decision.pk}",
                due_on=decision.valid_until + timedelta(days=1),
                detail={
                    "ground_code": "" if sealed else decision.ground_code,
                    "sealed": sealed,
                    "decided_on": decision.decided_on.isoformat(),
                    "valid_until": decision.valid_until.isoformat(),
                },
                acting_user=None,
            )
            opened += result.created
    return DeferralRefreshCounts(ended=len(decisions), opened=opened)
