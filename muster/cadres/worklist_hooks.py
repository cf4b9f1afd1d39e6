"""What cadres records mean to the worklists (registered from `apps.CadresConfig.ready`): a
certificate-expiring item closes when the holder gains a later certificate of the same
qualification (a refresher passed, a renewal recorded)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from muster.cadres.models import Certificate
from muster.worklists import hooks
from muster.worklists.rules import Kind

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from muster.worklists.models import WorkItem

RENEWED = "renewed: a later certificate of the same qualification"


def renewed_items(*, items: QuerySet[WorkItem], today: date) -> dict[int, str]:
    """Of the open certificate items, those whose holder now holds a later certificate."""
    found: dict[int, str] = {}
    rows = list(items.values_list("id", "person_id", "detail"))
    if not rows:
        return found
    held: dict[tuple[int, str], list[date | None]] = {}
    for person_id, qualification, expires in Certificate.objects.filter(
        person_id__in=sorted({r[1] for r in rows})
    ).values_list("person_id", "qualification", "expires_on"):
        held.setdefault((person_id, qualification), []).append(expires)
    for item_id, person_id, detail in rows:
        ends = detail.get("expires_on")
        for expires in held.get((person_id, detail.get("qualification", "")), []):
            if expires is None or (ends and expires.isoformat() > ends):
                found[item_id] = RENEWED
                break
    return found


def register() -> None:
    hooks.register_item_closer("cadres", {Kind.CERTIFICATE_EXPIRING}, renewed_items)
