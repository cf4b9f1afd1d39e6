"""What military-service records mean to the worklists (registered through `worklists.hooks`
from `apps.ConscriptionConfig.ready`).

- The military-service register holds a person from his registration until its removal (MSL
  Art. 19), within the register's ages (to the end of 45 for men, 40 for women, MSL Art. 25).
- A man has done his first registration once any registration is recorded, or he has served;
  a decision barring (MSL Art. 13) or exempting (Art. 14) him from registration in force
  means he need not register.
- A transfer is done once he is registered at the new commune on or after the move
  (REG_CHANGE_RESIDENCE_DAYS, MSL Art. 17(2)(a)): both the old and the new commune's items close.
- A death is dealt with once his registration is removed from the register (MSL Art. 19 as
  amended by L98 Art. 4(7)); a death with no registration (militia or reserve only) stays for
  staff, who report it to the commune chairman and resolve it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from muster.conscription.models import GroundDecision, Registration, ServiceRecord
from muster.conscription.rules.grounds import GROUNDS
from muster.people.models import Sex
from muster.worklists import hooks
from muster.worklists import rules as work_rules
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind

# Grounds of MSL Art. 13 (barred from registration) and Art. 14 (exempt from it).
REGISTRATION_GROUND_PREFIXES = ("NR_", "REGEX_")


def on_register(*, day: date) -> QuerySet[Any]:
    """Persons whose registration is in force on `day` and who are of register age then."""
    of_age = Q()
    for sex in (Sex.MALE, Sex.FEMALE):
        oldest = work_rules.register_oldest_birth_date(sex, day)
        of_age |= Q(person__sex=sex, person__birth_date__gte=oldest)
    return (
        Registration.objects.filter(of_age, registered_on__lte=day)
        .filter(Q(removed_on__isnull=True) | Q(removed_on__gt=day))
        .values("person_id")
    )


def ever_registered(*, day: date) -> QuerySet[Any]:
    """Persons with a registration recorded on or before `day`."""
    return Registration.objects.filter(registered_on__lte=day).values("person_id")


def ever_served(*, day: date) -> QuerySet[Any]:
    """Persons enlisted on or before `day` (registration came before the call-up)."""
    return ServiceRecord.objects.filter(enlisted_on__lte=day).values("person_id")


def registration_not_required(*, day: date) -> QuerySet[Any]:
    """Persons barred or exempted from registration by a decision in force on `day`."""
    # By the codes themselves: these grounds are keyed pseudonyms at rest (core.sealed), so a
    # prefix of the stored value means nothing; equality lookups seal the codes they ask for.
    codes = sorted(code for code in GROUNDS if code.startswith(REGISTRATION_GROUND_PREFIXES))
    return (
        GroundDecision.objects.filter(ground_code__in=codes, decided_on__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .values("person_id")
    )


def in_active_service(*, person_id: int, day: date) -> bool:
    """For the reserve (reserve.hooks): in active service from enlistment until the discharge
    day, which is already the reservist's first day (MSL Art. 22, 24)."""
    return (
        ServiceRecord.objects.filter(person_id=person_id, enlisted_on__lte=day)
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=day))
        .exists()
    )


def transfers_registered(*, items: QuerySet[WorkItem], today: date) -> dict[int, str]:
    """Transfer items whose person is registered at the new commune since the move."""
    rows = list(items.values_list("id", "person_id", "detail"))
    if not rows:
        return {}
    registered: dict[int, list[tuple[str, date]]] = defaultdict(list)
    for person_id, code, day in Registration.objects.filter(
        person_id__in_array=sorted({person_id for _, person_id, _ in rows}),
        registered_on__lte=today,
    ).values_list("person_id", "commune__code", "registered_on"):
        registered[person_id].append((code, day))
    notes: dict[int, str] = {}
    for item_id, person_id, detail in rows:
        to = (detail.get("to") or {}).get("code")
        try:
            moved_on = date.fromisoformat(detail.get("moved_on", ""))
        except (TypeError, ValueError):
            continue
        done = sorted(day for code, day in registered[person_id] if code == to and day >= moved_on)
        if done:
            notes[item_id] = (
                f"Registered at the new commune ({to}) on {done[0].isoformat()}: "
                "transfer done (closed by the system)."
            )
    return notes


def deaths_removed(*, items: QuerySet[WorkItem], today: date) -> dict[int, str]:
    """Death items of persons whose every registration is removed from the register."""
    in_force = Registration.objects.filter(Q(removed_on__isnull=True) | Q(removed_on__gt=today))
    removed = (
        items.filter(person__registrations__removed_on__lte=today)
        .exclude(person_id__in=in_force.values("person_id"))
        .values_list("id", "person__registrations__removed_on")
    )
    return {
        item_id: f"Removed from the military-service register on {day.isoformat()} "
        "(closed by the system)."
        for item_id, day in removed
        if day is not None
    }


def register() -> None:
    """Hand these rules to the worklists (from the app's ready())."""
    hooks.register_roll("military_service", on_register)
    hooks.register_first_registration("registration", ever_registered)
    hooks.register_first_registration("active_service", ever_served)
    hooks.register_first_registration("registration_exemption", registration_not_required)
    hooks.register_item_closer(
        "transfer_registered", (Kind.TRANSFER_IN, Kind.TRANSFER_OUT), transfers_registered
    )
    hooks.register_item_closer("registration_removed", (Kind.DECEASED,), deaths_removed)
