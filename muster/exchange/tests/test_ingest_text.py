"""The ingest and the change feed refuse text no record may hold (issue #13, finding 7: control,
bidirectional and zero-width characters, people.rules), row by row; a NUL byte in one row is a
rejected row like any other defect, on PostgreSQL (which cannot store it) as on SQLite
(finding 8); and a run that fails for any reason ends "failed", never left "running"."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from muster.core.errors import FieldError, InvalidInput
from muster.core.wording import reject_text
from muster.exchange import apply
from muster.exchange.events import FeedEvent
from muster.exchange.ingest import extract_ingest
from muster.exchange.models import IngestRun, IngestStatus
from muster.exchange.tests.ingest_support import set_cell, text_frame
from muster.exchange.tests.test_ingest import extract_of, ingest, key, rejects_of, world
from muster.people.models import Person

__all__ = ["key", "world"]  # the fixtures of test_ingest


def test_a_nul_byte_in_one_row_rejects_that_row_only(tmp_path, key):
    frame = set_cell(text_frame(10), 3, address="Thôn 2\x00; DROP TABLE")
    result = ingest(extract_of(tmp_path, key, frame))
    assert (result.inserted, result.rejected) == (9, 1)
    [problem] = rejects_of(tmp_path / "rejects.csv")
    assert problem == {
        "line": "5",
        "personal_id": frame["personal_id"][3],
        "field": "address",
        "reason": reject_text(
            FieldError(
                "address", "TEXT_FORBIDDEN_CHARACTER", {"character": "U+0000", "position": 7}
            )
        ),
        "action": "rejected",
    }
    run = IngestRun.objects.get()
    assert (run.status, run.rows_read, run.rejected) == (IngestStatus.DONE, 10, 1)
    assert not Person.objects.filter(personal_id=frame["personal_id"][3]).exists()


def test_a_nul_byte_into_a_registry_that_is_not_empty(tmp_path, key):
    """The merge path (staging table on PostgreSQL, batches on SQLite) too."""
    ingest(extract_of(tmp_path, key, text_frame(10)))
    frame = set_cell(text_frame(10), 2, full_name="Nguyễn\x00Văn An", ethnicity="Kinh\x00")
    result = ingest(extract_of(tmp_path, key, frame))
    assert (result.rejected, result.unchanged) == (1, 9)
    fields = {(p["line"], p["field"]) for p in rejects_of(tmp_path / "rejects.csv")}
    assert fields == {("4", "full_name"), ("4", "ethnicity")}
    assert IngestRun.objects.filter(status=IngestStatus.DONE).count() == 2


@pytest.mark.parametrize(
    ("column", "value", "character", "position"),
    [
        ("full_name", "Nguyễn Văn \u202eAn", "U+202E", 12),  # a bidirectional override
        ("full_name", "\x1b[2JNguyễn Văn An", "U+001B", 1),  # a control character
        ("full_name", "Nguyễn\u200bVăn An", "U+200B", 7),  # a zero-width space
        ("household_id", "HK\ufeff12", "U+FEFF", 3),  # a zero-width no-break space
        ("address", "Thôn 1\x85", "U+0085", 7),  # a C1 control character
    ],
)
def test_forbidden_characters_are_rejected_with_the_reason(
    tmp_path, key, column, value, character, position
):
    frame = set_cell(text_frame(5), 1, **{column: value})
    result = ingest(extract_of(tmp_path, key, frame))
    assert (result.inserted, result.rejected) == (4, 1)
    [problem] = rejects_of(tmp_path / "rejects.csv")
    params = {"character": character, "position": position}
    assert (problem["line"], problem["field"], problem["reason"]) == (
        "3",
        column,
        reject_text(FieldError(column, "TEXT_FORBIDDEN_CHARACTER", params)),
    )


def test_the_rejects_report_never_quotes_the_characters(tmp_path, key):
    frame = set_cell(text_frame(5), 0, personal_id="0790\x00", sex="\x1bM")
    ingest(extract_of(tmp_path, key, frame))
    report = (tmp_path / "rejects.csv").read_text(encoding="utf-8")
    assert "\x00" not in report
    assert "\x1b" not in report
    assert "0790\ufffd" in report


def test_a_run_that_fails_is_marked_failed(tmp_path, key):
    """Any failure after the run began (here the caller's progress report raising once a
    batch is in the database) leaves it "failed" with the reason, no half-written rejects
    file, and nothing loaded; the same file again is a new run that loads it."""

    def progress(rows: int) -> None:
        raise RuntimeError(f"the operator cancelled after {rows} rows")

    path = extract_of(tmp_path, key, set_cell(text_frame(5), 0, sex="X"))
    with pytest.raises(RuntimeError, match="cancelled"):
        extract_ingest(path, rejects=tmp_path / "rejects.csv", progress=progress)
    run = IngestRun.objects.get()
    assert run.status == IngestStatus.FAILED
    assert run.finished_at is not None
    assert run.detail.startswith("failed: RuntimeError: the operator cancelled after")
    assert not (tmp_path / "rejects.csv").exists()
    assert not Person.objects.exists()
    result = extract_ingest(path, rejects=tmp_path / "rejects.csv")
    assert (result.inserted, result.rejected) == (4, 1)
    assert list(IngestRun.objects.order_by("id").values_list("status", flat=True)) == [
        IngestStatus.FAILED,
        IngestStatus.DONE,
    ]


def test_the_database_is_the_one_under_test():
    assert connection.vendor in {"sqlite", "postgresql"}


# --- the change feed ------------------------------------------------------------------------


def _event(world, event_type: str, data: dict[str, object], pid: str = "079200009999") -> FeedEvent:
    return FeedEvent(
        sequence=1,
        type=event_type,
        personal_id=pid,
        occurred_on=date(2026, 3, 1),
        data=data,
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("full_name", "Nguyễn Văn \u202eAn"),
        ("full_name", "An\x00"),
        ("address", "Thôn \u2066 1"),
        ("ethnicity", "Kinh\u200d"),
    ],
)
def test_feed_events_with_such_text_are_refused(world, field, value):
    data = {
        "full_name": "Nguyễn Văn An",
        "sex": "M",
        "birth_date": "2000-05-01",
        "residence_commune_code": world.communes[0].code,
        field: value,
    }
    with pytest.raises(InvalidInput) as exc:
        apply.apply_event(_event(world, "person.added", data), producer="popreg-test")
    assert (exc.value.errors[0].field, exc.value.errors[0].code) == (
        field,
        "TEXT_FORBIDDEN_CHARACTER",
    )
    assert not Person.objects.exists()
