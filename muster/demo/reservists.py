"""The demo province's reserve register, through `reserve.actions`, consistent with each
person's history:

- soldiers discharged by the call-up stage keep the basis their discharge gave (MSL Art.
  24(1)(a) or 24(2)(a)); their rank follows the months served (24 months: Hạ sĩ, at least
  6: Binh nhất, less: Binh nhì), their specialty one of the army's; most reported for reserve
  registration within the 15 working days (MSL Art. 45), a few have not yet (worklist items);
- a share of the men past call-up age who never served enter on MSL Art. 24(2)(d) in the April
  after their 26th birthday, with a civilian trade as specialty; those called to 6 months of
  training before 35 moved to category 1 (Decree 14/2016 Art. 15);
- a share of the women 25–35 enter on Art. 24(2)(đ) with their profession's specialty;
- those past the age limit today are out on their own and their removal is proposed on the
  commune's worklist (MSL Art. 25).

Idempotent: entries are keyed by source, so a re-run adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef

from muster.accounts.models import User
from muster.conscription.models import ServiceRecord
from muster.core.errors import InvalidInput
from muster.geo.models import AdminUnit
from muster.people.models import Person
from muster.reserve import actions, rules
from muster.reserve.models import ReserveMembership

SOLDIER_SPECIALTIES = ("INFANTRY", "INFANTRY", "RECON", "SIGNAL_RADIO", "DRIVER", "ENGINEER",
                       "MEDIC", "ARTILLERY", "AIR_DEFENCE", "LOGISTICS")  # fmt: skip
TRADE_SPECIALTIES = ("DRIVER", "DRIVER", "VEHICLE_MECHANIC", "CONSTRUCTION_MACHINE", "COOK",
                     "INFANTRY", "SIGNAL_WIRE", "SEAMAN", "MARINE_ENGINE")  # fmt: skip
WOMEN_SPECIALTIES = ("MEDIC", "PHYSICIAN", "PHARMACY", "IT", "FINANCE", "CLERK", "SIGNAL_RADIO")
NEVER_SERVED_SHARE = 0.02
WOMEN_SHARE = 0.01


@dataclass(frozen=True)
class ReservistsResult:
    discharged: int
    past_callup_age: int
    women: int
    moved_to_category_1: int
    awaiting_report: int
    removals_proposed: int


def _april_after(birth_date: date, age: int) -> date:
    """Reserve registration is called in April (MSL Art. 18; Decree 13/2016 Art. 5)."""
    turned = rules.anniversary(birth_date, age)
    april = date(turned.year, 4, 15)
    return april if april >= turned else date(turned.year + 1, 4, 15)


def reservists_stage(
    *,
    province: AdminUnit,
    seed: int,
    today: date,
    never_served_share: float = NEVER_SERVED_SHARE,
    women_share: float = WOMEN_SHARE,
) -> ReservistsResult:
    """Ranks, specialties and reports for the discharged; entries on the other bases."""
    rng = random.Random(seed + 24)
    admin = User.objects.get(username="admin")
    in_province = {"person__residence_commune__parent": province}
    discharged = awaiting = 0
    for m in ReserveMembership.objects.filter(
        source__startswith="discharge:", valid_to__isnull=True, **in_province
    ).select_related("person", "person__residence_commune"):
        record = ServiceRecord.objects.filter(pk=int(m.source.split(":")[1])).first()
        months = (
            rules.months_between(record.enlisted_on, record.discharged_on)
            if record is not None and record.discharged_on is not None
            else 0
        )
        rank = "HA_SI" if months >= 24 else "BINH_NHAT" if months >= 6 else "BINH_NHI"
        if not m.specialty:
            actions.reserve_member_update(
                membership=m, rank=rank, specialty=rng.choice(SOLDIER_SPECIALTIES),
                acting_user=admin,
            )  # fmt: skip
        if m.reported_on is None and m.valid_from is not None:
            if rng.random() < 0.85:
                reported = m.valid_from + timedelta(days=rng.randint(3, 18))
                actions.reserve_report_record(
                    membership=m, reported_on=min(reported, today), acting_user=admin
                )
            else:
                awaiting += 1
        discharged += 1
    never_served = Person.objects.filter(
        residence_commune__parent=province,
        sex="M",
        life_status="alive",
        birth_date__lte=rules.anniversary(today, -26),
        birth_date__gt=rules.anniversary(today, -50),
    ).exclude(Exists(ServiceRecord.objects.filter(person=OuterRef("pk"))))
    men = moved = 0
    for person in never_served.select_related("residence_commune").order_by("personal_id"):
        # Drawn per person, so a re-run picks the same people (and adds nobody).
        pick = random.Random(f"{seed}:{person.personal_id}")
        if pick.random() >= never_served_share:
            continue
        entered_on = max(_april_after(person.birth_date, 26), date(2016, 4, 15))
        specialty = pick.choice(TRADE_SPECIALTIES)
        membership = _enter(person, "RES_CAT2_D", entered_on, specialty, admin)
        if membership is None:
            continue
        men += 1
        training_from = _april_after(person.birth_date, 30) + timedelta(days=60)
        trained = training_from >= entered_on and training_from + timedelta(days=183) < today
        if pick.random() < 0.25 and trained and membership.category1_on is None:
            actions.reserve_category1_record(
                membership=membership, training_from=training_from,
                training_to=training_from + timedelta(days=182), acting_user=admin,
            )  # fmt: skip
            moved += 1
    women = 0
    listed = Person.objects.filter(
        residence_commune__parent=province,
        sex="F",
        life_status="alive",
        birth_date__lte=rules.anniversary(today, -25),
        birth_date__gt=rules.anniversary(today, -36),
    )
    for person in listed.select_related("residence_commune").order_by("personal_id"):
        pick = random.Random(f"{seed}:{person.personal_id}")
        if pick.random() >= women_share:
            continue
        entered_on = _april_after(person.birth_date, 23)
        if _enter(person, "RES_CAT2_DD", entered_on, pick.choice(WOMEN_SPECIALTIES), admin):
            women += 1
    proposed = actions.reserve_removals_propose(day=today, acting_user=admin)
    return ReservistsResult(discharged, men, women, moved, awaiting, proposed)


def _enter(
    person: Person, basis: str, entered_on: date, specialty: str, admin: User
) -> ReserveMembership | None:
    entry = rules.entry_for_basis(basis)
    assert entry is not None
    try:
        membership, _created = actions.reserve_enter(
            person=person, entry=entry, entered_on=entered_on, source=f"demo:{basis}",
            rank="BINH_NHI", specialty=specialty, acting_user=admin,
        )  # fmt: skip
    except InvalidInput:
        return None  # the rules refuse this person (e.g. already a reservist): skip him
    return membership


def reservists_summary(result: ReservistsResult) -> str:
    return (
        f"{result.discharged} discharged with rank and specialty "
        f"({result.awaiting_report} yet to report), {result.past_callup_age} men past call-up "
        f"age ({result.moved_to_category_1} moved to category 1), {result.women} women of "
        f"listed professions; {result.removals_proposed} removals proposed at the age limit"
    )
