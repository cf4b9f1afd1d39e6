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
- The militia's proposals for standing-militia members (the call-up deferral, MSL
  Art. 41(1)(h); recognition of completed service after 24 months, Art. 4(4)(a)) are settled
  once the decision on that ground is recorded (`ground_decision_record`, by the provincial
  chairman or commander, Art. 42 as amended).
- A deferral for the standing militia in force for someone on no standing-militia roster (old
  data, or a member who left) is listed for correction until the roster or the decision
  agrees (MSL Art. 41(3): a deferral lapses when its ground ends).
- April registration for militia duty (DQTV Art. 9(1)(a)): who turns 18 this year and is
  registered for military service, and is neither registered for militia duty nor serving.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from muster.conscription.models import GroundDecision, Registration, ServiceRecord
from muster.conscription.rules.grounds import GROUNDS
from muster.militia.models import MilitiaMembership, MilitiaRegistration
from muster.people.models import LifeStatus, Sex
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


STANDING_GROUNDS = {
    Kind.STANDING_DEFERRAL_PROPOSED: "DEF_STANDING_MILITIA",
    Kind.STANDING_COMPLETION_PROPOSED: "DONE_STANDING_MILITIA_24M",
}
MISMATCH_CLOSED = "The roster and the deferral agree again (closed by the system)."
MILITIA_REGISTRATION_CLOSED = (
    "Registered for militia duty, on a roster, or no longer due (closed by the system)."
)


def _in_force(code: str, day: date) -> QuerySet[GroundDecision]:
    return GroundDecision.objects.filter(ground_code=code, decided_on__lte=day).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    )


def standing_decided(*, items: QuerySet[WorkItem], today: date) -> dict[int, str]:
    """Standing-militia proposals whose decision on the proposed ground is recorded."""
    notes: dict[int, str] = {}
    for kind, code in STANDING_GROUNDS.items():
        decided = items.filter(
            kind=kind, person_id__in=_in_force(code, today).values("person_id")
        ).values_list("id", flat=True)
        for item_id in decided:
            notes[item_id] = f"Decision {code} recorded (closed by the system)."
    return notes


def standing_mismatch(*, today: date, narrow: hooks.Narrow) -> list[hooks.Due]:
    """Deferrals for the standing militia in force for persons on no standing roster today."""
    if narrow.person_ids == []:
        return []
    # Open memberships only: a member leaving today no longer serves for the deferral.
    decisions = _in_force("DEF_STANDING_MILITIA", today).exclude(
        person_id__in=MilitiaMembership.objects.filter(
            valid_to__isnull=True, valid_from__lte=today, force_kind="standing"
        ).values("person_id")
    )
    if narrow.person_ids is not None:
        decisions = decisions.filter(person_id__in_array=narrow.person_ids)
    if narrow.commune_ids is not None:
        decisions = decisions.filter(person__residence_commune_id__in_array=narrow.commune_ids)
    return [
        hooks.Due(
            kind=Kind.STANDING_DEFERRAL_MISMATCH,
            commune_id=commune_id,
            key=decided_on.isoformat(),
            person_id=person_id,
            detail={"decided_on": decided_on.isoformat(), "ground_code": "DEF_STANDING_MILITIA"},
        )
        for person_id, commune_id, decided_on in decisions.values_list(
            "person_id", "person__residence_commune_id", "decided_on"
        )
    ]


def militia_registration_due(*, today: date, narrow: hooks.Narrow) -> list[hooks.Due]:
    """Who turns 18 this year, is registered for military service, alive, and neither
    registered for militia duty nor on a roster (MILITIA_REG_MONTH, DQTV Art. 9(1)(a)); due by
    the end of April. Opened from January, so the April list can be prepared."""
    if narrow.person_ids == []:
        return []
    year = today.year
    registered = (
        Registration.objects.filter(
            registered_on__lte=today,
            person__birth_date__gte=date(year - 18, 1, 1),
            person__birth_date__lte=date(year - 18, 12, 31),
            person__life_status=LifeStatus.ALIVE,
        )
        .exclude(person_id__in=MilitiaRegistration.objects.values("person_id"))
        .exclude(person_id__in=MilitiaMembership.objects.as_of(today).values("person_id"))
    )
    if narrow.person_ids is not None:
        registered = registered.filter(person_id__in_array=narrow.person_ids)
    if narrow.commune_ids is not None:
        registered = registered.filter(person__residence_commune_id__in_array=narrow.commune_ids)
    seen: set[int] = set()
    due = []
    for person_id, commune_id in registered.values_list(
        "person_id", "person__residence_commune_id"
    ):
        if person_id in seen:
            continue
        seen.add(person_id)
        due.append(
            hooks.Due(
                kind=Kind.MILITIA_REGISTRATION,
                commune_id=commune_id,
                key=str(year),
                person_id=person_id,
                year=year,
                due_on=date(year, 4, 30),
            )
        )
    return due


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
    hooks.register_item_closer("standing_decided", tuple(STANDING_GROUNDS), standing_decided)
    hooks.register_item_source(
        "standing_mismatch",
        (Kind.STANDING_DEFERRAL_MISMATCH,),
        standing_mismatch,
        note=MISMATCH_CLOSED,
    )
    hooks.register_item_source(
        "militia_registration",
        (Kind.MILITIA_REGISTRATION,),
        militia_registration_due,
        note=MILITIA_REGISTRATION_CLOSED,
    )
