"""The read chain's checkpoint lines, at most one per interval per process
(docs/decisions/0011-read-log-off-the-request-path.md): a commit inside the interval is
anchored by a timer when the interval ends, never left without a line."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from muster import audit
from muster.audit import checkpoints
from muster.audit.chain import READ
from muster.audit.models import ReadEvent
from muster.audit.verify import verify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def checkpoint_file(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.MUSTER_AUDIT_CHECKPOINTS = tmp_path / "audit" / "checkpoints.jsonl"
    yield Path(settings.MUSTER_AUDIT_CHECKPOINTS)
    checkpoints.flush_due()
    checkpoints._last_line.clear()


def _read(name: str) -> int:
    audit.record_reads(
        "people.person.viewed", actor=None, targets=[("people.person", name)], channel="api"
    )
    newest = ReadEvent.objects.order_by("-id").values_list("id", flat=True).first()
    assert newest is not None
    return newest


def _read_lines(path: Path) -> list[int]:
    if not path.exists():
        return []
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    return [line["last_id"] for line in lines if line["chain"] == READ]


def _wait_for(path: Path, last_id: int, seconds: float = 10.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = _read_lines(path)
        if last_id in found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"no checkpoint names read event {last_id} after {seconds} s")


def test_reads_inside_the_interval_share_one_line_written_when_it_ends(
    settings: Any, checkpoint_file: Path
) -> None:
    settings.MUSTER_AUDIT_READ_CHECKPOINT_SECONDS = 1.0
    first = _read("1")
    assert _wait_for(checkpoint_file, first) == [first]  # the first line: at once, by a timer
    started = time.monotonic()
    newest = [_read(str(i)) for i in range(2, 6)][-1]
    quick = time.monotonic() - started < 0.9  # the machine kept up: none has a line yet
    if quick:
        assert _read_lines(checkpoint_file) == [first]
    lines = _wait_for(checkpoint_file, newest)
    if quick:
        assert lines == [first, newest]  # one line for all four
    else:  # a slow machine may have ended an interval among them: still a line a second
        assert lines[0] == first
        assert lines[-1] == newest
        assert len(lines) <= 2 + (time.monotonic() - started)
    report = verify()
    assert report.intact, [str(p) for p in report.problems]
    assert report.anchored[READ] == newest


def test_a_line_that_is_due_is_written_at_exit_without_waiting(
    settings: Any, checkpoint_file: Path
) -> None:
    settings.MUSTER_AUDIT_READ_CHECKPOINT_SECONDS = 3600.0
    first = _read("1")
    _wait_for(checkpoint_file, first)
    second = _read("2")
    assert _read_lines(checkpoint_file) == [first]  # due in an hour
    checkpoints.flush_due()  # what the process does at exit
    assert _read_lines(checkpoint_file) == [first, second]
    assert not checkpoints._due


def test_deleting_the_newest_reads_is_found_once_their_line_is_written(
    settings: Any, checkpoint_file: Path
) -> None:
    settings.MUSTER_AUDIT_READ_CHECKPOINT_SECONDS = 0.2
    ids = [_read(str(i)) for i in range(3)]
    _wait_for(checkpoint_file, ids[-1])
    ReadEvent.objects.filter(id=ids[-1]).delete()
    report = verify()
    problem = report.first(READ)
    assert problem is not None
    assert problem.code == "newest_deleted"
    assert problem.event_id == ids[-1]


def test_an_interval_of_zero_writes_a_line_per_transaction(
    settings: Any, checkpoint_file: Path
) -> None:
    settings.MUSTER_AUDIT_READ_CHECKPOINT_SECONDS = 0.0
    ids = [_read(str(i)) for i in range(3)]
    assert _read_lines(checkpoint_file) == ids
