"""`muster audit verify` (issue #13, finding 9): exit 0 on an intact database; non-zero,
naming the first bad event, on an edited, inserted or deleted row of either chain — including
the newest rows, found through the signed checkpoints kept outside the database."""

from __future__ import annotations

import json
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from muster import audit
from muster.audit.chain import READ, WRITE
from muster.audit.models import AuditEvent, ChainIdentity, ReadEvent
from muster.audit.rekey import LEGACY_GENESIS, _legacy_hash, first_broken, rechain_tables
from muster.audit.verify import verify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def checkpoint_file(settings, tmp_path: Path) -> Path:
    settings.MUSTER_AUDIT_CHECKPOINTS = tmp_path / "audit" / "checkpoints.jsonl"
    return Path(settings.MUSTER_AUDIT_CHECKPOINTS)


def _write(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        with transaction.atomic():
            audit.record("geo.unit.updated", actor=None, target=("geo.adminunit", str(i)))


def _read(n: int) -> None:
    for i in range(n):
        audit.record_reads(
            "people.person.viewed", actor=None, targets=[("people.person", str(i))], channel="cli"
        )


def _verify() -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("audit", "verify", stdout=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_an_intact_database_verifies(checkpoint_file: Path):
    _write(3)
    _read(2)
    code, out = _verify()
    assert code == 0, out
    assert "intact: 3 write events, 2 read events" in out
    lines = [json.loads(line) for line in checkpoint_file.read_text().splitlines()]
    assert {line["chain"] for line in lines} == {WRITE, READ}
    assert checkpoint_file.stat().st_mode & 0o777 == 0o600


def test_one_checkpoint_per_transaction_however_many_events():
    with transaction.atomic():
        for i in range(5):
            audit.record("geo.unit.updated", actor=None, target=("geo.adminunit", str(i)))
    checkpoints = [json.loads(line) for line in Path(_path()).read_text().splitlines()]
    assert [(c["chain"], c["last_id"]) for c in checkpoints] == [
        (WRITE, AuditEvent.objects.order_by("-id").first().pk)  # type: ignore[union-attr]
    ]


def _path() -> str:
    from django.conf import settings

    return str(settings.MUSTER_AUDIT_CHECKPOINTS)


def test_a_rolled_back_transaction_writes_no_checkpoint():
    _write(1)

    def fails() -> None:
        with transaction.atomic():
            audit.record("geo.unit.updated", actor=None, target=("geo.adminunit", "x"))
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        fails()
    assert len(Path(_path()).read_text().splitlines()) == 1
    assert _verify()[0] == 0


def test_an_edited_write_event_is_named():
    _write(4)
    second = AuditEvent.objects.order_by("id")[1]
    AuditEvent.objects.filter(pk=second.pk).update(actor_label="someone-else")
    code, out = _verify()
    assert code == 1
    assert f"BROKEN write event {second.pk}: was edited" in out


def test_an_inserted_write_event_is_named():
    _write(2)
    first, last = AuditEvent.objects.order_by("id")
    AuditEvent.objects.filter(pk=last.pk).update(id=last.pk + 10)
    forged = AuditEvent.objects.create(
        id=last.pk,
        action="geo.unit.updated",
        actor_label="system",
        target_type="geo.adminunit",
        target_id="forged",
        prev_hash=first.hash,
        hash="f" * 64,
    )
    code, out = _verify()
    assert code == 1
    assert f"BROKEN write event {forged.pk}: was edited" in out


def test_deleting_the_newest_write_events_is_found_at_once():
    _write(5)
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    AuditEvent.objects.filter(id__in=ids[-2:]).delete()
    code, out = _verify()
    assert code == 1
    assert f"BROKEN write event {ids[-1]}: is missing" in out
    assert f"the chain ends at {ids[-3]}" in out


def test_deleting_every_event_and_the_identity_is_found_by_an_existing_checkpoint():
    _write(2)
    identity = ChainIdentity.objects.get().identity
    AuditEvent.objects.all().delete()
    code, out = _verify()
    assert code == 1
    assert "is missing" in out
    ChainIdentity.objects.all().delete()
    _write(1)  # a new identity: its chain has checkpoints of its own
    assert ChainIdentity.objects.get().identity != identity
    assert _verify()[0] == 0


def test_an_edited_or_deleted_read_event_is_named():
    _read(4)
    reads = list(ReadEvent.objects.order_by("id"))
    ReadEvent.objects.filter(pk=reads[1].pk).update(target_id="999")
    code, out = _verify()
    assert code == 1
    assert f"BROKEN read event {reads[1].pk}: was edited" in out
    ReadEvent.objects.filter(pk=reads[1].pk).delete()
    code, out = _verify()
    assert f"BROKEN read event {reads[2].pk}: does not follow" in out
    ReadEvent.objects.filter(pk__gte=reads[2].pk).delete()
    ReadEvent.objects.filter(pk=reads[0].pk).delete()
    code, out = _verify()
    assert code == 1
    assert f"BROKEN read event {reads[3].pk}: is missing" in out


def test_missing_checkpoint_file_or_forged_line_fails(checkpoint_file: Path):
    _write(2)
    lines = checkpoint_file.read_text().splitlines()
    forged = json.loads(lines[-1])
    forged["last_id"] = 1
    checkpoint_file.write_text("\n".join([*lines, json.dumps(forged)]) + "\n")
    code, out = _verify()
    assert code == 1
    assert "line 3 of" in out or "line 3:" in out
    checkpoint_file.unlink()
    code, out = _verify()
    assert code == 1
    assert "no checkpoint of this database" in out


def test_rekey_moves_a_legacy_sha256_chain_to_the_keyed_one_and_records_what_it_was():
    # A database of the first release: plain SHA-256 chain, no identity, no checkpoints.
    prev = LEGACY_GENESIS
    for i in range(3):
        event = AuditEvent(
            action="geo.unit.updated",
            actor_label="system",
            target_type="geo.adminunit",
            target_id=str(i),
            data={"i": i},
        )
        event.prev_hash, event.hash = prev, _legacy_hash(prev, event)
        event.save()
        prev = event.hash
    ReadEvent.objects.create(
        action="people.person.viewed", target_type="people.person", target_id="1", channel="web"
    )
    assert first_broken(AuditEvent, "default", key=None) is None
    assert _verify()[0] == 1
    code_out = StringIO()
    call_command("audit", "rekey", stdout=code_out)
    assert "the old chain verified" in code_out.getvalue()
    code, out = _verify()
    assert code == 0, out
    closing = AuditEvent.objects.order_by("-id").first()
    assert closing is not None
    assert closing.action == "audit.chain.rekeyed"
    assert closing.data["previous_intact"] is True
    assert closing.data["write_events"] == 3
    assert closing.data["read_events"] == 1


def test_rekey_records_a_legacy_chain_that_was_already_broken():
    prev = LEGACY_GENESIS
    for i in range(3):
        event = AuditEvent(
            action="geo.unit.updated", actor_label="system", target_type="x", target_id=str(i)
        )
        event.prev_hash, event.hash = prev, _legacy_hash(prev, event)
        event.save()
        prev = event.hash
    tampered = AuditEvent.objects.order_by("id")[1]
    AuditEvent.objects.filter(pk=tampered.pk).update(target_id="forged")
    data = rechain_tables(
        AuditEvent,
        ReadEvent,
        ChainIdentity,
        using="default",
        previous="sha256",
        previous_first_broken=first_broken(AuditEvent, "default", key=None),
    )
    assert data["previous_first_broken"] == tampered.pk
    assert _verify()[0] == 0


def test_concurrent_writers_keep_one_chain():
    """Threads, each with its own connection, appending at once: one unbroken chain."""
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("an in-memory SQLite database is not shared between threads")
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                with transaction.atomic():
                    audit.record(
                        "geo.unit.updated", actor=None, target=("geo.adminunit", f"{n}-{i}")
                    )
                audit.record_reads(
                    "people.person.viewed",
                    actor=None,
                    targets=[("people.person", f"{n}-{i}")],
                    channel="api",
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    report = verify()
    assert report.intact, [str(p) for p in report.problems]
    assert report.checked == {WRITE: 40, READ: 40}
