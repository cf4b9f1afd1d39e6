"""What cadres records mean to the worklists (registered from `apps.CadresConfig.ready`): a
certificate-expiring item closes when the holder gains a later certificate of the same
qualification (a refresher passed, a renewal recorded); each vacant established position of a
commune command is an item on its commune's worklist (a unit's item), opened and closed by the
item source as appointments are made and ended."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Max

from muster.cadres.actions import certificate_items_open
from muster.cadres.models import Certificate
from muster.cadres.positions import position_states
from muster.core.validity import valid_on
from muster.geo.models import Level
from muster.orgs.models import Appointment, OrgKind, OrgUnit, Territory
from muster.worklists import hooks
from muster.worklists.rules import Kind

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from muster.worklists.models import WorkItem

RENEWED = "renewed: a later certificate of the same qualification"
FILLED = "filled: someone was appointed, or the position is no longer established"


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


def vacancies(*, today: date, narrow: hooks.Narrow) -> list[hooks.Due]:
    """Established positions of commune commands with no holder on `today`, one item per
    vacancy (key `position-<id>@<first vacant day>`: a position vacant again after a holder
    is a new occasion) on the command's commune's worklist."""
    if narrow.unit_ids == []:
        return []
    commands = OrgUnit.objects.as_of(today).filter(kind=OrgKind.COMMUNE_COMMAND)
    if narrow.unit_ids is not None:
        commands = commands.filter(pk__in_array=narrow.unit_ids)
    communes: dict[int, int] = {}
    for unit_id, admin_id in (
        Territory.objects.filter(
            valid_on(today),
            org_unit__in=commands,
            admin_unit__level=Level.COMMUNE,
        )
        .order_by("admin_unit_id")
        .values_list("org_unit_id", "admin_unit_id")
    ):
        communes.setdefault(unit_id, admin_id)
    if narrow.commune_ids is not None:
        allowed = set(narrow.commune_ids)
        communes = {u: c for u, c in communes.items() if c in allowed}
    if not communes:
        return []
    ended = dict(
        Appointment.objects.filter(
            position__org_unit_id__in_array=sorted(communes), valid_to__lt=today
        )
        .values_list("position_id")
        .annotate(last=Max("valid_to"))
    )
    due = []
    for state in position_states(communes.keys(), today):
        if not state.established or state.filled:
            continue
        unit = state.position.org_unit
        last = ended.get(state.position.pk)
        since = last + timedelta(days=1) if last else unit.valid_from
        due.append(
            hooks.Due(
                kind=Kind.POSITION_VACANT,
                commune_id=communes[unit.pk],
                key=f"position-{state.position.pk}@{since.isoformat() if since else ''}",
                org_unit_id=unit.pk,
                detail={
                    "unit_name": unit.name,
                    "unit_code": unit.code,
                    "position": state.position.title,
                    "vacant_since": since.isoformat() if since else None,
                },
            )
        )
    return due


def certificates_expiring(*, today: date, commune_ids: list[int] | None) -> int:
    """The refresh's renewal items: certificates nearing or past expiry, not yet renewed."""
    return certificate_items_open(today=today, commune_ids=commune_ids)


def register() -> None:
    hooks.register_refresher("cadres_certificates", certificates_expiring)
    hooks.register_item_closer("cadres", {Kind.CERTIFICATE_EXPIRING}, renewed_items)
    hooks.register_item_source(
        "cadres_vacancies", (Kind.POSITION_VACANT,), vacancies, note=FILLED, reopen=True
    )
