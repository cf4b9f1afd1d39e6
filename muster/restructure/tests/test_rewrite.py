"""The PostgreSQL fast path of plan_apply (tables rewritten and swapped in), forced on the small
world: same end state as the batched path, schema kept, all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from muster.people.models import Person, ResidencePeriod
from muster.restructure import rewrite, tableswap
from muster.restructure.apply import person_batch_apply, plan_apply, plan_revert
from muster.restructure.compute import plan_compute
from muster.restructure.models import MoveRecord, Plan, PlanStatus, SplitCase, SplitStatus
from muster.restructure.plans import builtin_plan_build
from muster.restructure.tests.support import REFORM, Small, build_small
from muster.restructure.tests.test_apply import _state

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.postgres_only
Rows = list[tuple[Any, ...]]


@pytest.fixture
def small() -> Small:
    return build_small()


@pytest.fixture
def plan(small: Small) -> Plan:
    plan = builtin_plan_build()
    plan_compute(plan)
    return plan


def _end_state() -> list[Rows]:
    """Persons, periods and journal without the ids a run happens to allocate."""
    periods: Rows = sorted(
        ResidencePeriod.objects.values_list("person_id", "commune_id", "valid_from", "valid_to"),
        key=repr,
    )
    journal: Rows = sorted(
        MoveRecord.objects.values_list(
            "record_type", "record_id", "old_value", "new_value", "flags"
        )
    )
    updated: Rows = list(
        Person.objects.order_by("id").values_list("id", "residence_commune_id", "address")
    )
    return [updated, periods, journal, _state()[2]]


_SCHEMA_TABLES = ("people_person", "people_residenceperiod", "restructure_moverecord")


def _schema() -> list[Rows]:
    """Indexes, constraints (ours and the foreign keys into ours), identity, comment."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes "
            "WHERE tablename = ANY(%s) ORDER BY 1, 2",
            [list(_SCHEMA_TABLES)],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, contype, convalidated, condeferrable, "
            "condeferred, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) OR confrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [list(_SCHEMA_TABLES), list(_SCHEMA_TABLES)],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT c.relname, a.attname, a.attidentity, pg_get_serial_sequence(c.relname, a.attname), "
            "obj_description(c.oid, 'pg_class'), pg_get_userbyid(c.relowner) "
            "FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
            "WHERE c.relname = ANY(%s) AND a.attname = 'id' ORDER BY 1",
            [list(_SCHEMA_TABLES)],
        )
        identity = cursor.fetchall()
    return [indexes, constraints, identity]


def test_small_plans_take_the_batched_path(plan: Plan) -> None:
    result = plan_apply(plan, accept_proposals=True)
    assert not result.rewrite
    assert result.persons == 6


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite refuses the rewrite")
def test_rewrite_refused_on_sqlite(plan: Plan) -> None:
    from muster.core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="PostgreSQL"):
        plan_apply(plan, accept_proposals=True, rewrite=True)
    assert not MoveRecord.objects.exists()


@postgres_only
def test_rewrite_reaches_the_batched_end_state(plan: Plan, small: Small) -> None:
    with transaction.atomic():
        batched = plan_apply(plan, accept_proposals=True, batch_size=4)
        expected = _end_state()
        transaction.set_rollback(True)
    assert (batched.persons, batched.rewrite) == (6, False)
    result = plan_apply(plan, accept_proposals=True, rewrite=True)
    assert (result.persons, result.batches, result.users, result.rewrite) == (6, 1, 1, True)
    assert _end_state() == expected
    assert {"moves", "indexes people_person", "foreign keys"} <= set(result.steps)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPLIED
    # New rows are numbered on from the same sequence.
    person = Person.objects.get(pk=small.persons["an1"].pk)
    period = ResidencePeriod.objects.create(person=person, commune_id=person.residence_commune_id)
    assert period.pk > max(
        ResidencePeriod.objects.exclude(pk=period.pk).values_list("pk", flat=True)
    )


@postgres_only
def test_auto_choice_above_the_threshold(plan: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rewrite, "REWRITE_MIN_PERSONS", 6)
    assert plan_apply(plan, accept_proposals=True).rewrite


@postgres_only
def test_schema_identical_after_the_swap(plan: Plan) -> None:
    with connection.cursor() as cursor:
        cursor.execute("COMMENT ON TABLE people_person IS 'register persons'")
    before = _schema()
    plan_apply(plan, accept_proposals=True, rewrite=True)
    assert _schema() == before
    assert before[2][0][4] == "register persons"


@postgres_only
def test_foreign_keys_enforced_after_the_swap(plan: Plan, small: Small) -> None:
    plan_apply(plan, accept_proposals=True, rewrite=True)
    missing = max(Person.objects.values_list("id", flat=True)) + 1000
    with pytest.raises(IntegrityError):
        _checked(
            lambda: ResidencePeriod.objects.create(person_id=missing, commune=small.new["91001"])
        )
    with pytest.raises(IntegrityError):
        _checked(lambda: SplitCase.objects.filter(plan=plan).update(person_id=missing))
    with pytest.raises(IntegrityError):
        _checked(lambda: Person.objects.update(residence_commune_id=10**9))
    with pytest.raises(IntegrityError):
        _checked(lambda: MoveRecord.objects.update(plan_id=10**9))


def _checked(write: Callable[[], object]) -> None:
    """`write`, then its deferred foreign-key checks at once (not at the test's commit)."""
    with transaction.atomic():
        write()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@postgres_only
def test_revert_after_rewrite_restores_and_twice_is_a_noop(plan: Plan) -> None:
    start = _state()
    plan_apply(plan, accept_proposals=True, rewrite=True)
    applied = _end_state()
    again = plan_apply(plan, rewrite=True)
    assert again.already_applied
    assert again.persons == 0
    assert _end_state() == applied
    counts = plan_revert(plan)
    assert (counts["persons"], counts["users"]) == (6, 1)
    assert _state() == start
    assert plan_apply(plan, rewrite=True).persons == 6
    assert _end_state() == applied


@postgres_only
def test_rewrite_carries_on_after_a_killed_batched_run(plan: Plan, small: Small) -> None:
    with transaction.atomic():
        plan_apply(plan, accept_proposals=True, batch_size=2)
        expected = _end_state()
        transaction.set_rollback(True)
    from muster.restructure.apply import _mapping_build
    from muster.restructure.resolve import plan_resolve

    SplitCase.objects.filter(status=SplitStatus.OPEN).update(
        status=SplitStatus.ACCEPTED, decided_commune=small.new["91002"]
    )
    _mapping_build(plan, plan_resolve(plan))
    assert person_batch_apply(plan, batch_size=2) == 2
    result = plan_apply(plan, rewrite=True)
    assert (result.persons, result.rewrite) == (4, True)
    assert _end_state()[:2] == expected[:2]
    assert ResidencePeriod.objects.filter(valid_from=REFORM).count() == 6


@postgres_only
def test_unsupported_dependents_are_named(plan: Plan) -> None:
    from muster.core.errors import InvalidInput

    with connection.cursor() as cursor:
        cursor.execute("CREATE VIEW restructure_test_view AS SELECT id FROM people_person")
        assert tableswap.unsupported(cursor, rewrite.TABLES) == (
            "dependent view restructure_test_view on people_person"
        )
        cursor.execute("DROP VIEW restructure_test_view")
        cursor.execute(
            "CREATE FUNCTION restructure_test_fn() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN RETURN NEW; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER restructure_test_tr BEFORE UPDATE ON people_residenceperiod "
            "FOR EACH ROW EXECUTE FUNCTION restructure_test_fn()"
        )
    with pytest.raises(InvalidInput, match="trigger restructure_test_tr"):
        plan_apply(plan, accept_proposals=True, rewrite=True)
    assert not MoveRecord.objects.exists()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_failure_midway_leaves_the_database_unchanged(
    small: Small, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real transactions: the old tables are already dropped when the index build fails."""
    plan = builtin_plan_build()
    plan_compute(plan)
    start, schema = _state(), _schema()
    open_cases = SplitCase.objects.filter(status=SplitStatus.OPEN).count()

    def fail(self: tableswap.TableSwap, shape: tableswap.Shape) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(tableswap.TableSwap, "_indexes", fail)
    with pytest.raises(RuntimeError, match="killed"):
        plan_apply(plan, accept_proposals=True, rewrite=True)
    assert (_state(), _schema()) == (start, schema)
    assert not MoveRecord.objects.exists()
    assert SplitCase.objects.filter(status=SplitStatus.OPEN).count() == open_cases
    plan.refresh_from_db()
    assert plan.status != PlanStatus.APPLIED
    monkeypatch.undo()
    result = plan_apply(plan, accept_proposals=True, rewrite=True)
    assert result.persons == 6
    assert _schema() == schema


@postgres_only
def test_cli_path_rewrite(plan: Plan, capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    from muster.audit.models import AuditEvent

    call_command("restructure", "apply", "vn-2025", "--accept-proposals", "--path", "rewrite")
    assert "6 persons in 1 batches" in capsys.readouterr().out
    event = AuditEvent.objects.get(action="restructure.plan.batch_applied")
    assert event.data == {"batch": 1, "persons": 6, "rewrite": True}
