"""Reserve actions: entry refused with the rules' codes, audited, idempotent per source; the
report item of a discharge (MSL Art. 45) and the removal item past the age limit (Art. 25)
open and close with the records; category 2 → 1; enlistment and death end the period."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from muster.accounts.models import Role
from muster.audit.models import AuditEvent
from muster.core.errors import InvalidInput, PermissionDenied
from muster.people.models import Person
from muster.people.tests.factories import make_person
from muster.reserve import actions, hooks, register_queries, rules
from muster.reserve.models import ReserveMembership
from muster.reserve.rules import ReserveEntry
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind

ENTERED = date(2026, 6, 15)


def codes(exc: pytest.ExceptionInfo[InvalidInput]) -> set[str]:
    return {e.code for e in exc.value.errors}


def enter(person: Person, basis: str = "RES_CAT1_A", **kw: Any) -> tuple[ReserveMembership, bool]:
    entry = rules.entry_for_basis(basis)
    assert entry is not None
    args = {"entered_on": ENTERED, "source": "manual", "acting_user": None, **kw}
    return actions.reserve_enter(person=person, entry=entry, **args)


def test_entry_is_recorded_audited_and_idempotent(world):
    person = make_person(world.communes[0], birth_date=date(1995, 3, 1))
    membership, created = enter(person, "RES_CAT2_D", rank="BINH_NHI", specialty="DRIVER")
    assert created
    assert (membership.category, membership.basis_code, membership.valid_from) == (
        2,
        "RES_CAT2_D",
        ENTERED,
    )
    assert (membership.rank, membership.specialty) == ("BINH_NHI", "DRIVER")
    event = AuditEvent.objects.get(action="reserve.member.entered")
    assert (event.commune_code, event.data["basis"]) == ("99001", "RES_CAT2_D")
    again, created = enter(person, "RES_CAT2_D")
    assert (again.pk, created) == (membership.pk, False)
    assert ReserveMembership.objects.count() == 1


def test_entry_refusals_carry_the_rules_codes(world):
    woman = make_person(world.communes[0], sex="F", birth_date=date(1995, 3, 1))
    with pytest.raises(InvalidInput) as exc:
        enter(woman, "RES_CAT2_D")
    assert codes(exc) == {"RESERVE_BASIS_SEX"}
    old = make_person(world.communes[0], birth_date=date(1980, 6, 15))
    with pytest.raises(InvalidInput) as exc:
        enter(old)
    assert codes(exc) == {"RESERVE_AGE_LIMIT"}
    person = make_person(world.communes[0], birth_date=date(1995, 3, 1))
    enter(person)
    with pytest.raises(InvalidInput) as exc:
        enter(person, source="import:1")
    assert codes(exc) == {"RESERVE_ALREADY_MEMBER"}
    assert ReserveMembership.objects.count() == 1


def test_a_man_in_active_service_is_not_a_reservist(world):
    person = make_person(world.communes[0], birth_date=date(1995, 3, 1))
    hooks.register_active_service("test", lambda *, person_id, day: person_id == person.pk)
    try:
        with pytest.raises(InvalidInput) as exc:
            enter(person)
        assert codes(exc) == {"RESERVE_IN_ACTIVE_SERVICE"}
    finally:
        hooks._ACTIVE_SERVICE.pop("test")
    assert not ReserveMembership.objects.exists()


def test_uncategorised_and_officer_entries(world):
    police = make_person(world.communes[0], birth_date=date(1995, 3, 1))
    membership, _ = enter(police, "RUNCAT_POLICE_12_20M")
    assert (membership.category, membership.basis_code) == (None, "RUNCAT_POLICE_12_20M")
    officer = make_person(world.communes[0], birth_date=date(1975, 3, 1))
    record, _ = actions.reserve_enter(
        person=officer,
        entry=ReserveEntry(None, rules.OFFICER_BASIS),
        entered_on=ENTERED,
        source="manual",
        kind=rules.OFFICER,
        rank="DAI_UY",
        acting_user=None,
    )
    assert (record.kind, record.category, record.rank) == (rules.OFFICER, None, "DAI_UY")
    assert rules.status_on(record.facts(), date(2040, 1, 1)) == rules.IN_RESERVE


def test_staff_outside_the_commune_are_refused(world):
    person = make_person(world.communes[2], birth_date=date(1995, 3, 1))
    staff = world.user("c1", Role.COMMUNE_STAFF, world.commune_commands[0])
    with pytest.raises(PermissionDenied):
        enter(person, acting_user=staff)
    auditor = world.user("au", Role.AUDITOR, world.provincial)
    with pytest.raises(PermissionDenied):
        enter(person, acting_user=auditor)
    assert not ReserveMembership.objects.exists()


def test_report_item_waits_until_the_soldier_reports(world):
    person = make_person(world.communes[0], birth_date=date(2004, 3, 1))
    membership, _ = enter(person, source="discharge:1", report_due=True)
    item = WorkItem.objects.get(kind=Kind.RESERVE_REPORT, person=person)
    assert (item.commune.code, item.due_on, item.resolved_at) == ("99001", date(2026, 7, 6), None)
    actions.reserve_report_record(
        membership=membership, reported_on=date(2026, 6, 20), acting_user=None
    )
    item.refresh_from_db()
    assert item.resolved_at is not None
    assert AuditEvent.objects.filter(action="reserve.member.reported").count() == 1


def test_category_2_moves_to_1_after_six_months(world):
    person = make_person(world.communes[0], birth_date=date(1998, 3, 1))
    membership, _ = enter(person, "RES_CAT2_D")
    with pytest.raises(InvalidInput) as exc:
        actions.reserve_category1_record(
            membership=membership,
            training_from=date(2026, 7, 1),
            training_to=date(2026, 12, 30),
            acting_user=None,
        )
    assert codes(exc) == {"RESERVE_TRAINING_TOO_SHORT"}
    actions.reserve_category1_record(
        membership=membership,
        training_from=date(2026, 7, 1),
        training_to=date(2026, 12, 31),
        acting_user=None,
    )
    membership.refresh_from_db()
    assert rules.category_on(membership.facts(), date(2026, 12, 30)) == 2
    assert rules.category_on(membership.facts(), date(2026, 12, 31)) == 1
    with pytest.raises(InvalidInput) as exc:
        actions.reserve_category1_record(
            membership=membership,
            training_from=date(2027, 1, 1),
            training_to=date(2027, 7, 1),
            acting_user=None,
        )
    assert codes(exc) == {"RESERVE_NOT_CATEGORY_2"}


def test_rank_and_specialty_come_from_the_tables(world):
    membership, _ = enter(make_person(world.communes[0], birth_date=date(1995, 3, 1)))
    with pytest.raises(InvalidInput) as exc:
        actions.reserve_member_update(
            membership=membership, rank="DAI_TA", specialty="PILOT", acting_user=None
        )
    assert codes(exc) == {"RESERVE_RANK_LADDER", "RESERVE_SPECIALTY_UNKNOWN"}
    actions.reserve_member_update(
        membership=membership, rank="HA_SI", specialty="MEDIC", acting_user=None
    )
    membership.refresh_from_db()
    assert (membership.rank, membership.specialty) == ("HA_SI", "MEDIC")


def test_past_the_age_limit_removal_is_proposed_then_recorded(world):
    person = make_person(world.communes[1], birth_date=date(1981, 1, 10))
    membership, _ = enter(person)
    assert actions.reserve_removals_propose(day=date(2027, 1, 9), acting_user=None) == 0
    with pytest.raises(InvalidInput) as exc:
        actions.reserve_removal_record(
            membership=membership, decided_on=date(2027, 1, 9), ref="", acting_user=None
        )
    assert codes(exc) == {"RESERVE_REMOVAL_NOT_DUE"}
    assert rules.status_on(membership.facts(), date(2027, 1, 10)) == rules.AGED_OUT
    assert actions.reserve_removals_propose(day=date(2027, 1, 10), acting_user=None) == 1
    assert actions.reserve_removals_propose(day=date(2027, 2, 1), acting_user=None) == 0
    item = WorkItem.objects.get(kind=Kind.RESERVE_REMOVAL, person=person)
    assert (item.commune.code, item.due_on) == ("99002", date(2027, 1, 15))
    actions.reserve_removal_record(
        membership=membership, decided_on=date(2027, 1, 20), ref="12/QĐ-UBND", acting_user=None
    )
    membership.refresh_from_db()
    assert (membership.valid_to, membership.left_reason) == (date(2027, 1, 9), "aged_out")
    assert rules.status_on(membership.facts(), date(2027, 3, 1)) == rules.AGED_OUT
    item.refresh_from_db()
    assert item.resolved_at is not None


def test_unfit_takes_the_reservist_out_and_removal_says_why(world):
    membership, _ = enter(make_person(world.communes[0], birth_date=date(1995, 3, 1)))
    actions.reserve_unfit_record(membership=membership, unfit_on=date(2026, 9, 1), acting_user=None)
    assert actions.reserve_removals_propose(day=date(2026, 9, 1), acting_user=None) == 1
    actions.reserve_removal_record(
        membership=membership, decided_on=date(2026, 9, 10), ref="", acting_user=None
    )
    membership.refresh_from_db()
    assert (membership.valid_to, membership.left_reason) == (date(2026, 8, 31), "unfit")


def test_enlistment_and_death_end_the_period(world):
    person = make_person(world.communes[0], birth_date=date(2000, 3, 1))
    membership, _ = enter(person, "RES_CAT1_E")
    assert (
        actions.reserve_close_for_service(
            person=person, enlisted_on=date(2027, 3, 4), acting_user=None
        )
        == 1
    )
    membership.refresh_from_db()
    assert (membership.valid_to, membership.left_reason) == (date(2027, 3, 3), "active_service")
    assert rules.status_on(membership.facts(), date(2027, 3, 4)) == rules.LEFT
    other = make_person(world.communes[0], birth_date=date(2000, 3, 1))
    period, _ = enter(other)
    assert (
        actions.reserve_close_for_death(person=other, died_on=date(2027, 1, 1), acting_user=None)
        == 1
    )
    period.refresh_from_db()
    assert (period.valid_to, period.left_reason) == (date(2027, 1, 1), "died")


def test_activities_and_attendance_count_toward_the_category_1_total(world):
    person = make_person(world.communes[0], birth_date=date(1998, 3, 1))
    enter(person)  # category 1
    long = actions.reserve_activity_create(
        commune=world.communes[0],
        kind="training",
        title="Huấn luyện đơn vị dự bị",
        starts_on=date(2026, 7, 1),
        ends_on=date(2027, 6, 30),
        acting_user=None,
    )
    assert long.days == 365
    actions.reserve_attendance_record(
        activity=long, person=person, status="attended", acting_user=None
    )
    assert register_queries.trained_days(person) == 365
    more = actions.reserve_activity_create(
        commune=world.communes[0],
        kind="training",
        title="Huấn luyện bổ sung",
        starts_on=date(2027, 8, 1),
        ends_on=date(2027, 8, 1),
        acting_user=None,
    )
    with pytest.raises(InvalidInput) as exc:
        actions.reserve_attendance_record(
            activity=more, person=person, status="attended", acting_user=None
        )
    assert codes(exc) == {"RESERVE_TRAINING_TOTAL"}
    excused = actions.reserve_attendance_record(
        activity=more,
        person=person,
        status="excused",
        excuse_code="RDEF_EXAM_CONFLICT",
        acting_user=None,
    )
    assert (excused.status, excused.days) == ("excused", 0)
    assert AuditEvent.objects.filter(action="reserve.attendance.recorded").count() == 2
    outsider = make_person(world.communes[0], birth_date=date(1998, 3, 1))
    with pytest.raises(InvalidInput) as exc:
        actions.reserve_attendance_record(
            activity=more, person=outsider, status="attended", acting_user=None
        )
    assert codes(exc) == {"RESERVE_NOT_IN_RESERVE"}


def test_a_readiness_check_lasts_at_most_seven_days(world):
    staff = world.user("c1", Role.COMMUNE_STAFF, world.commune_commands[0])
    with pytest.raises(InvalidInput) as exc:
        actions.reserve_activity_create(
            commune=world.communes[0],
            kind="readiness_check",
            title="Kiểm tra sẵn sàng động viên",
            starts_on=date(2026, 5, 4),
            ends_on=date(2026, 5, 11),
            acting_user=staff,
        )
    assert codes(exc) == {"RESERVE_READINESS_CHECK_DAYS"}
    with pytest.raises(PermissionDenied):
        actions.reserve_activity_create(
            commune=world.communes[2],
            kind="unit_activity",
            title="Sinh hoạt đơn vị",
            starts_on=date(2026, 5, 4),
            ends_on=date(2026, 5, 4),
            acting_user=staff,
        )


def test_worklists_refresh_proposes_the_removals_once(world):
    # The refresh (not only the demo) opens the removal items time made due.
    today = timezone.localdate()
    membership, _ = enter(
        make_person(world.communes[0], birth_date=date(1995, 3, 1)),
        entered_on=today - timedelta(days=30),
    )
    actions.reserve_unfit_record(membership=membership, unfit_on=today, acting_user=None)
    call_command("worklists", "refresh", stdout=StringIO())
    item = WorkItem.objects.get(kind=Kind.RESERVE_REMOVAL)
    assert (item.person_id, item.key) == (membership.person_id, str(membership.pk))
    before = list(WorkItem.objects.values_list("id", "kind", "resolved_at", "commune_id"))
    events = AuditEvent.objects.count()
    out = StringIO()
    call_command("worklists", "refresh", stdout=out)
    assert "reserve_removals: opened 0" in out.getvalue()
    assert list(WorkItem.objects.values_list("id", "kind", "resolved_at", "commune_id")) == before
    assert AuditEvent.objects.count() == events
