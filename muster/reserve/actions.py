"""Writes to the reserve: entry (from a discharge, by staff, by import), the move to category
1, rank and specialty, fitness, reporting after discharge, removal, closing. Each atomic,
permission-checked and audited; the worklist items they settle close through
`worklists.settle`."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q

from muster import audit
from muster.accounts import permissions
from muster.accounts.models import User
from muster.core.errors import FieldError, InvalidInput
from muster.geo.models import AdminUnit
from muster.people.models import Person
from muster.people.rules import text_errors
from muster.reserve import hooks, rules
from muster.reserve.models import (
    AttendanceStatus,
    LeftReason,
    ReserveActivity,
    ReserveAttendance,
    ReserveMembership,
)
from muster.reserve.register_queries import trained_days
from muster.reserve.rules import ReserveEntry
from muster.reserve.specialties import RANKS, SPECIALTIES
from muster.worklists.actions import work_item_open
from muster.worklists.models import WorkSource
from muster.worklists.rules import Kind, removal_report_due_on
from muster.worklists.settle import work_items_settle


def _commune_code(person: Person) -> str:
    return person.residence_commune.code


def entry_facts(
    person: Person,
    *,
    basis_code: str,
    entered_on: date,
    kind: str = rules.SOLDIER,
    rank: str = "",
    specialty: str = "",
) -> rules.EntryFacts:
    """The facts `rules.entry_problems` decides on: the person, the other obligations
    (`hooks.in_active_service`) and an open reserve period."""
    open_period = (
        ReserveMembership.objects.filter(person=person, valid_to__isnull=True)
        .order_by("valid_from")
        .first()
    )
    return rules.EntryFacts(
        sex=person.sex,
        birth_date=person.birth_date,
        died_on=person.died_on,
        basis_code=basis_code,
        entered_on=entered_on,
        kind=kind,
        rank=rank,
        specialty=specialty,
        in_active_service=hooks.in_active_service(person.pk, entered_on),
        open_membership_since=(open_period.valid_from or entered_on) if open_period else None,
    )


@transaction.atomic
def reserve_enter(
    *,
    person: Person,
    entry: ReserveEntry,
    entered_on: date,
    source: str,
    acting_user: User | None,
    kind: str = rules.SOLDIER,
    rank: str = "",
    specialty: str = "",
    report_due: bool = False,
) -> tuple[ReserveMembership, bool]:
    """Put a person in the reserve on the basis `entry` gives; idempotent per `source` (a
    discharge enters once, an import line once). Refused with the rules' codes: no Art. 24
    basis, age, sex of the basis, in active service, already a reservist (rules.entry_problems).

    `report_due`: a discharged soldier must still report for reserve registration within 15
    working days (MSL Art. 45); a `reserve_report` item waits on his commune's worklist until
    `reserve_report_record`.
    """
    existing = ReserveMembership.objects.filter(person=person, source=source).first()
    if existing is not None:
        return existing, False
    permissions.require(acting_user, "reserve.member.enter", commune_id=person.residence_commune_id)
    problems = rules.entry_problems(
        entry_facts(
            person,
            basis_code=entry.basis_code,
            entered_on=entered_on,
            kind=kind,
            rank=rank,
            specialty=specialty,
        )
    )
    if problems:
        raise InvalidInput(problems)
    membership = ReserveMembership.objects.create(
        person=person,
        kind=kind,
        category=entry.category,
        basis_code=entry.basis_code,
        rank=rank,
        specialty=specialty,
        valid_from=entered_on,
        source=source,
    )
    audit.record(
        "reserve.member.entered",
        actor=acting_user,
        target=person,
        data={
            "category": entry.category,
            "basis": entry.basis_code,
            "kind": kind,
            "rank": rank,
            "specialty": specialty,
            "on": entered_on.isoformat(),
            "source": source,
        },
        commune_code=_commune_code(person),
    )
    if report_due:
        work_item_open(
            kind=Kind.RESERVE_REPORT,
            person=person,
            commune=person.residence_commune,
            source=WorkSource.MANUAL if acting_user else WorkSource.FEED,
            key=str(membership.pk),
            due_on=rules.report_due_on(entered_on),
            detail={"discharged_on": entered_on.isoformat(), "basis": entry.basis_code},
            acting_user=None,  # the system's item: the entry's permission was checked above
        )
    work_items_settle(person_ids=[person.pk])  # a reservist is not due for first registration
    return membership, True


def _require_edit(acting_user: User | None, membership: ReserveMembership, action: str) -> None:
    permissions.require(acting_user, action, commune_id=membership.person.residence_commune_id)


@transaction.atomic
def reserve_category1_record(
    *,
    membership: ReserveMembership,
    training_from: date,
    training_to: date,
    acting_user: User | None,
) -> ReserveMembership:
    """Move a category-2 soldier to category 1 after at least 6 months of concentrated
    training, from the training's last day (CAT2_TO_CAT1: Decree 14/2016 Art. 14–15; MSL Art.
    24(1)(g))."""
    _require_edit(acting_user, membership, "reserve.member.edit")
    person = membership.person
    problems = rules.category1_problems(
        sex=person.sex,
        birth_date=person.birth_date,
        category=membership.category if membership.category1_on is None else 1,
        kind=membership.kind,
        training_from=training_from,
        training_to=training_to,
    )
    if problems:
        raise InvalidInput(problems)
    membership.category1_on = training_to
    membership.save(update_fields=["category1_on"])
    audit.record(
        "reserve.member.category_changed",
        actor=acting_user,
        target=person,
        data={
            "from": 2,
            "to": 1,
            "basis": "RES_CAT1_G",
            "training_from": training_from.isoformat(),
            "training_to": training_to.isoformat(),
        },
        commune_code=_commune_code(person),
    )
    return membership


@transaction.atomic
def reserve_member_update(
    *, membership: ReserveMembership, rank: str, specialty: str, acting_user: User | None
) -> ReserveMembership:
    """Record a reservist's rank and military specialty (MSL Art. 8; LLDBĐV Art. 2)."""
    _require_edit(acting_user, membership, "reserve.member.edit")
    errors: list[FieldError] = []
    if rank and rank not in RANKS:
        errors.append(FieldError("rank", "RESERVE_RANK_UNKNOWN", {"rank": rank}))
    elif rank and membership.kind == rules.SOLDIER and RANKS[rank].ladder == "officer":
        errors.append(FieldError("rank", "RESERVE_RANK_LADDER", {"rank": rank}))
    if specialty and specialty not in SPECIALTIES:
        errors.append(
            FieldError("specialty", "RESERVE_SPECIALTY_UNKNOWN", {"specialty": specialty})
        )
    if errors:
        raise InvalidInput(errors)
    before = {"rank": membership.rank, "specialty": membership.specialty}
    if before == {"rank": rank, "specialty": specialty}:
        return membership
    membership.rank, membership.specialty = rank, specialty
    membership.save(update_fields=["rank", "specialty"])
    audit.record(
        "reserve.member.updated",
        actor=acting_user,
        target=membership.person,
        data={"before": before, "rank": rank, "specialty": specialty},
        commune_code=_commune_code(membership.person),
    )
    return membership


@transaction.atomic
def reserve_unfit_record(
    *, membership: ReserveMembership, unfit_on: date, acting_user: User | None
) -> ReserveMembership:
    """Record the health check that found a reservist unfit: he is out of the reserve from
    that day on his own, and his removal becomes due (MSL Art. 25, 29)."""
    _require_edit(acting_user, membership, "reserve.member.edit")
    if membership.valid_from and unfit_on < membership.valid_from:
        raise InvalidInput(
            [FieldError("unfit_on", "RESERVE_BEFORE_ENTRY", {"day": membership.valid_from})]
        )
    membership.unfit_on = unfit_on
    membership.save(update_fields=["unfit_on"])
    audit.record(
        "reserve.member.unfit",
        actor=acting_user,
        target=membership.person,
        data={"on": unfit_on.isoformat()},
        commune_code=_commune_code(membership.person),
    )
    return membership


@transaction.atomic
def reserve_report_record(
    *, membership: ReserveMembership, reported_on: date, acting_user: User | None
) -> ReserveMembership:
    """The discharged soldier reported for reserve registration (MSL Art. 45): his
    `reserve_report` item closes."""
    _require_edit(acting_user, membership, "reserve.member.edit")
    if membership.valid_from and reported_on < membership.valid_from:
        raise InvalidInput(
            [FieldError("reported_on", "RESERVE_BEFORE_ENTRY", {"day": membership.valid_from})]
        )
    if membership.reported_on == reported_on:
        return membership
    membership.reported_on = reported_on
    membership.save(update_fields=["reported_on"])
    audit.record(
        "reserve.member.reported",
        actor=acting_user,
        target=membership.person,
        data={"on": reported_on.isoformat()},
        commune_code=_commune_code(membership.person),
    )
    work_items_settle(person_ids=[membership.person_id])
    return membership


@transaction.atomic
def reserve_removal_record(
    *, membership: ReserveMembership, decided_on: date, ref: str, acting_user: User | None
) -> ReserveMembership:
    """Record the decision removing a reservist past the age limit or unfit (giải ngạch: MSL
    Art. 25, 29; the commune chairman decides, MSL Art. 19 as amended by L98 Art. 4(7)). The
    period ends the day before he was out on his own; the `reserve_removal` item closes."""
    _require_edit(acting_user, membership, "reserve.member.remove")
    facts = membership.facts()
    out_on = rules.removal_due(facts, decided_on)
    if out_on is None:
        raise InvalidInput([FieldError("decided_on", "RESERVE_REMOVAL_NOT_DUE")])
    last_day = out_on - timedelta(days=1)
    membership.valid_to = (
        max(last_day, membership.valid_from) if membership.valid_from else last_day
    )
    unfit_first = facts.unfit_on is not None and facts.unfit_on == out_on
    membership.left_reason = LeftReason.UNFIT if unfit_first else LeftReason.AGED_OUT
    membership.removal_decided_on = decided_on
    membership.removal_ref = ref.strip()[:60]
    membership.save(update_fields=["valid_to", "left_reason", "removal_decided_on", "removal_ref"])
    audit.record(
        "reserve.member.removed",
        actor=acting_user,
        target=membership.person,
        data={
            "decided_on": decided_on.isoformat(),
            "ref": membership.removal_ref,
            "reason": membership.left_reason,
            "last_day": membership.valid_to.isoformat(),
        },
        commune_code=_commune_code(membership.person),
    )
    work_items_settle(person_ids=[membership.person_id])
    return membership


@transaction.atomic
def reserve_removals_propose(
    *, day: date, acting_user: User | None, commune_ids: list[int] | None = None
) -> int:
    """Put every open soldier's period past the age limit or unfitness on `day` on the
    competent authority's worklist (the commune of residence: the commune chairman decides
    removal, reported within 5 days — REG_REMOVE_REPORT_DAYS); idempotent per period. Only
    the residents of `commune_ids` when given. Returns the items opened."""
    male_born_by = rules.anniversary(day, -(rules.reserve_age_limit(rules.MALE) + 1))
    female_born_by = rules.anniversary(day, -(rules.reserve_age_limit(rules.FEMALE) + 1))
    due = ReserveMembership.objects.filter(
        Q(person__sex=rules.MALE, person__birth_date__lte=male_born_by)
        | Q(person__sex=rules.FEMALE, person__birth_date__lte=female_born_by)
        | Q(unfit_on__lte=day),
        kind=rules.SOLDIER,
        valid_to__isnull=True,
    ).select_related("person", "person__residence_commune")
    if commune_ids is not None:
        due = due.filter(person__residence_commune_id__in=commune_ids)
    opened = 0
    for membership in due.iterator(chunk_size=500):
        out_on = rules.removal_due(membership.facts(), day)
        if out_on is None:
            continue
        result = work_item_open(
            kind=Kind.RESERVE_REMOVAL,
            person=membership.person,
            commune=membership.person.residence_commune,
            source=WorkSource.REFRESH,
            key=str(membership.pk),
            due_on=removal_report_due_on(out_on),
            detail={"out_on": out_on.isoformat(), "unfit": membership.unfit_on is not None},
            acting_user=acting_user,
        )
        opened += result.created
    return opened


@transaction.atomic
def reserve_close_for_service(
    *, person: Person, enlisted_on: date, acting_user: User | None
) -> int:
    """A soldier in active service is not a reservist (MSL Art. 24): enlistment ends open
    reserve periods the day before (called by conscription's enlistment, inside its
    transaction)."""
    closed = 0
    # Only a period begun by the enlistment: a past service migrated from paper leaves a
    # later reserve period alone.
    begun = Q(valid_from__isnull=True) | Q(valid_from__lte=enlisted_on)
    for period in ReserveMembership.objects.filter(begun, person=person, valid_to__isnull=True):
        last_day = enlisted_on - timedelta(days=1)
        period.valid_to = max(last_day, period.valid_from) if period.valid_from else last_day
        period.left_reason = LeftReason.ACTIVE_SERVICE
        period.save(update_fields=["valid_to", "left_reason"])
        closed += 1
    if closed:
        audit.record(
            "reserve.member.left",
            actor=acting_user,
            target=person,
            data={"reason": LeftReason.ACTIVE_SERVICE, "on": enlisted_on.isoformat()},
            commune_code=_commune_code(person),
        )
        work_items_settle(person_ids=[person.pk])
    return closed


def reserve_close_for_death(*, person: Person, died_on: date, acting_user: User | None) -> int:
    """Death closes open reserve memberships the day of death (worklists.hooks)."""
    open_periods = ReserveMembership.objects.filter(person=person, valid_to__isnull=True)
    closed = 0
    for period in open_periods:
        period.valid_to = max(died_on, period.valid_from or died_on)
        period.left_reason = LeftReason.DIED
        period.save(update_fields=["valid_to", "left_reason"])
        closed += 1
    if closed:
        audit.record(
            "reserve.member.left",
            actor=acting_user,
            target=person,
            data={"reason": "died", "on": died_on.isoformat()},
            commune_code=_commune_code(person),
        )
    return closed


# ── Training calls, readiness checks, unit activities (MSL Art. 27; LLDBĐV Art. 22–23) ─────


@transaction.atomic
def reserve_activity_create(
    *,
    commune: AdminUnit,
    kind: str,
    title: str,
    starts_on: date,
    ends_on: date,
    acting_user: User | None,
) -> ReserveActivity:
    """Call the commune's reservists to a training, a readiness check (at most 7 days) or a
    unit activity."""
    permissions.require(acting_user, "reserve.activity.manage", commune_id=commune.pk)
    problems = rules.activity_problems(kind=kind, starts_on=starts_on, ends_on=ends_on)
    if not title.strip():
        problems.append(FieldError("title", "REQUIRED"))
    problems += text_errors("title", title)
    if problems:
        raise InvalidInput(problems)
    activity = ReserveActivity.objects.create(
        commune=commune, kind=kind, title=title.strip(), starts_on=starts_on, ends_on=ends_on
    )
    audit.record(
        "reserve.activity.created",
        actor=acting_user,
        target=activity,
        data={"kind": kind, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
        commune_code=commune.code,
    )
    return activity


@transaction.atomic
def reserve_attendance_record(
    *,
    activity: ReserveActivity,
    person: Person,
    status: str,
    excuse_code: str = "",
    acting_user: User | None,
) -> ReserveAttendance:
    """Record whether a reservist came; an excused absence carries its code (LLDBĐV Art. 22),
    attended training counts toward the category-1 total of 12 months (MSL Art. 27(1))."""
    permissions.require(acting_user, "reserve.activity.manage", commune_id=activity.commune_id)
    period = (
        ReserveMembership.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=activity.starts_on), person=person
        )
        .select_related("person")
        .order_by("-valid_from", "-id")
        .first()
    )
    facts = period.facts() if period is not None else None
    problems = rules.attendance_problems(
        rules.AttendanceFacts(
            kind=activity.kind,
            activity_days=activity.days,
            status=status,
            excuse_code=excuse_code,
            status_in_reserve=rules.status_on(facts, activity.starts_on) if facts else None,
            category=rules.category_on(facts, activity.starts_on) if facts else None,
            trained_days_before=trained_days(person, excluding=activity),
        )
    )
    if problems:
        raise InvalidInput(problems)
    days = activity.days if status == AttendanceStatus.ATTENDED else 0
    attendance, _ = ReserveAttendance.objects.update_or_create(
        activity=activity,
        person=person,
        defaults={"status": status, "excuse_code": excuse_code, "days": days},
    )
    audit.record(
        "reserve.attendance.recorded",
        actor=acting_user,
        target=person,
        data={"activity": activity.pk, "status": status, "excuse": excuse_code, "days": days},
        commune_code=activity.commune.code,
    )
    return attendance
