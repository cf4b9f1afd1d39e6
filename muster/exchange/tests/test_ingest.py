"""`muster exchange ingest`: file-level refusals change nothing; rows are checked, reported and
upserted; re-runs change nothing. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from muster.audit.models import AuditEvent
from muster.exchange import manifest, signing
from muster.exchange.actions import producer_key_trust
from muster.exchange.ingest import IngestResult, extract_ingest
from muster.exchange.ingest_file import ExtractRefused
from muster.exchange.models import IngestRun, IngestStatus
from muster.exchange.tests.ingest_support import (
    PRODUCER,
    csv_bytes,
    set_cell,
    signed_extract,
    text_frame,
)
from muster.people import bulk, rules
from muster.people.models import Person, ResidencePeriod
from muster.people.tests.factories import World, make_world


@pytest.fixture
def world(db: None) -> World:
    return make_world()


@pytest.fixture
def key(world: World) -> Ed25519PrivateKey:
    private = Ed25519PrivateKey.generate()
    producer_key_trust(
        pem=signing.public_pem(private.public_key()), producer=PRODUCER, acting_user=None
    )
    return private


def extract_of(tmp_path: Path, key: Ed25519PrivateKey, frame: pl.DataFrame) -> Path:
    return signed_extract(tmp_path, csv_bytes(frame), key=key, rows=frame.height)


def rejects_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["line", "personal_id", "field", "reason", "action"]
        return list(reader)


def ingest(path: Path, *, batch_rows: int = 100_000, manifest: Path | None = None) -> IngestResult:
    return extract_ingest(
        path, manifest=manifest, rejects=path.with_name("rejects.csv"), batch_rows=batch_rows
    )


def assert_nothing_changed(tmp_path: Path) -> None:
    assert not Person.objects.exists()
    assert not ResidencePeriod.objects.exists()
    assert not IngestRun.objects.exists()
    assert not AuditEvent.objects.filter(action="exchange.extract.ingested").exists()
    assert not (tmp_path / "rejects.csv").exists()


def refused(path: Path, match: str, *, manifest: Path | None = None) -> str:
    with pytest.raises(ExtractRefused, match=match) as exc:
        ingest(path, manifest=manifest)
    return str(exc.value)


# --- a clean extract, re-runs and changes ---------------------------------------------------


def test_clean_extract_loads_everything_and_is_recorded(tmp_path, key):
    frame = text_frame(300)
    result = ingest(extract_of(tmp_path, key, frame), batch_rows=70)
    assert (result.read, result.inserted, result.updated, result.unchanged) == (300, 300, 0, 0)
    assert (result.rejected, result.warned) == (0, 0)
    assert Person.objects.count() == 300
    assert ResidencePeriod.objects.filter(valid_from=None, valid_to=None).count() == 300
    person = Person.objects.get(personal_id=frame["personal_id"][7])
    assert person.full_name == frame["full_name"][7]
    assert person.search_key == rules.search_key(person.full_name)
    assert person.source == PRODUCER
    run = IngestRun.objects.get()
    assert (run.status, run.rows_read, run.inserted, run.rejected) == (
        IngestStatus.DONE,
        300,
        300,
        0,
    )
    event = AuditEvent.objects.get(action="exchange.extract.ingested")
    assert event.data["inserted"] == 300
    assert event.target_id == str(run.pk)
    assert rejects_of(tmp_path / "rejects.csv") == []
    assert bulk.indexes_missing() == []


def test_rerun_changes_nothing(tmp_path, key):
    path = extract_of(tmp_path, key, text_frame(200))
    ingest(path, batch_rows=64)
    before = dict(Person.objects.values_list("personal_id", "updated_at"))
    again = ingest(path, batch_rows=64)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 200)
    assert dict(Person.objects.values_list("personal_id", "updated_at")) == before
    assert ResidencePeriod.objects.count() == 200
    assert IngestRun.objects.filter(status=IngestStatus.DONE).count() == 2


def test_ten_percent_changed_updates_exactly_those(tmp_path, key):
    frame = text_frame(400)
    ingest(extract_of(tmp_path, key, frame))
    every_tenth = pl.int_range(pl.len()) % 10 == 0
    changed = frame.with_columns(
        address=pl.when(every_tenth)
        .then(pl.concat_str(pl.col("address"), pl.lit(" (mới)")))
        .otherwise(pl.col("address")),
        residence_commune_code=pl.when(pl.int_range(pl.len()) == 1)
        .then(pl.lit("00003"))
        .otherwise(pl.col("residence_commune_code")),
    )
    other = tmp_path / "changed"
    other.mkdir()
    result = ingest(extract_of(other, key, changed), batch_rows=128)
    moved = 1 if frame["residence_commune_code"][1] != "00003" else 0
    assert (result.inserted, result.updated, result.unchanged) == (0, 40 + moved, 360 - moved)
    person = Person.objects.get(personal_id=frame["personal_id"][10])
    assert person.address.endswith(" (mới)")
    if moved:
        mover = Person.objects.get(personal_id=frame["personal_id"][1])
        assert mover.residences.count() == 2


def test_parquet_extract_loads_and_reports_row_numbers(tmp_path, key):
    frame = set_cell(text_frame(50), 4, sex="X")
    typed = frame.with_columns(
        pl.col("birth_date").str.to_date(), pl.col("died_on").str.to_date(strict=False)
    )
    path = tmp_path / "extract.parquet"
    typed.write_parquet(path)
    manifest.write_manifest(
        path, rows=50, producer=PRODUCER, key=key, generated_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    result = ingest(path)
    assert (result.inserted, result.rejected) == (49, 1)
    [problem] = rejects_of(tmp_path / "rejects.csv")
    assert (problem["line"], problem["field"], problem["action"]) == ("5", "sex", "rejected")


# --- file-level refusals ----------------------------------------------------------------------


def test_truncated_file_fails_the_hash(tmp_path, key):
    path = extract_of(tmp_path, key, text_frame(40))
    content = path.read_bytes()
    path.write_bytes(content[: len(content) - 25])  # the last line cut
    assert refused(path, r"^hash").startswith("hash")
    assert_nothing_changed(tmp_path)


def test_truncated_file_with_a_matching_hash_fails_the_row_count(tmp_path, key):
    content = csv_bytes(text_frame(40))
    cut = content[: content.rstrip(b"\n").rfind(b"\n") + 1]  # the last line gone
    path = signed_extract(tmp_path, cut, key=key, rows=40)
    refused(path, r"^rows: extract.csv has 39 data rows, the manifest says 40")
    assert_nothing_changed(tmp_path)


def test_wrong_row_count(tmp_path, key):
    path = signed_extract(tmp_path, csv_bytes(text_frame(40)), key=key, rows=41)
    refused(path, r"^rows: .* 40 data rows, the manifest says 41")
    assert_nothing_changed(tmp_path)


def test_wrong_hash(tmp_path, key):
    path = extract_of(tmp_path, key, text_frame(40))
    path.write_bytes(csv_bytes(text_frame(40, seed=2)))
    refused(path, r"^hash: extract.csv has SHA-256")
    assert_nothing_changed(tmp_path)


def test_wrong_hash_is_named_before_the_columns(tmp_path, key):
    # The pre-pass may start before the hash is checked; the order of the checks is kept.
    path = extract_of(tmp_path, key, text_frame(40))
    path.write_bytes(csv_bytes(text_frame(40).with_columns(phone=pl.lit("0900000000"))))
    refused(path, r"^hash: extract.csv has SHA-256")
    assert_nothing_changed(tmp_path)


def test_wrong_encoding_latin1(tmp_path, key):
    frame = set_cell(
        text_frame(20).with_columns(full_name=pl.lit("Nguyen Van An")), 6, full_name="Lê Thị Hà"
    )
    content = frame.write_csv(null_value="").encode("latin-1", errors="replace")
    path = signed_extract(tmp_path, content, key=key, rows=20)
    message = refused(path, r"^encoding")
    assert "line 8" in message
    assert_nothing_changed(tmp_path)


def test_utf8_bom_is_accepted(tmp_path, key):
    content = b"\xef\xbb\xbf" + csv_bytes(text_frame(30))
    path = signed_extract(tmp_path, content, key=key, rows=30)
    result = ingest(path)
    assert (result.inserted, result.rejected) == (30, 0)


def test_extra_column_is_named(tmp_path, key):
    frame = text_frame(10).with_columns(phone=pl.lit("0900000000"))
    refused(extract_of(tmp_path, key, frame), r"^columns: unexpected phone")
    assert_nothing_changed(tmp_path)


def test_missing_column_is_named(tmp_path, key):
    frame = text_frame(10).drop("household_id")
    refused(extract_of(tmp_path, key, frame), r"^columns: missing household_id")
    assert_nothing_changed(tmp_path)


def test_signature_by_an_untrusted_key(tmp_path, key):
    stranger = Ed25519PrivateKey.generate()
    path = extract_of(tmp_path, stranger, text_frame(10))
    refused(path, r"^signature: the manifest is not signed by a trusted key")
    assert_nothing_changed(tmp_path)


def test_manifest_altered_after_signing(tmp_path, key):
    path = extract_of(tmp_path, key, text_frame(10))
    manifest_path = manifest.manifest_path_for(path)
    body = json.loads(manifest_path.read_text())
    body["files"][0]["rows"] = 11
    manifest_path.write_text(json.dumps(body))
    refused(path, r"^signature")
    assert_nothing_changed(tmp_path)


def test_unknown_producer_and_missing_manifest(tmp_path, key):
    frame = text_frame(10)
    path = signed_extract(tmp_path, csv_bytes(frame), key=key, rows=10, producer="other")
    refused(path, r"^signature: no trusted key for producer 'other'")
    manifest.manifest_path_for(path).unlink()
    refused(path, r"^manifest: manifest not found")
    assert_nothing_changed(tmp_path)


def test_file_not_listed_in_its_manifest(tmp_path, key):
    path = extract_of(tmp_path, key, text_frame(10))
    other = tmp_path / "other.csv"
    other.write_bytes(path.read_bytes())
    refused(other, r"^listed", manifest=manifest.manifest_path_for(path))
    assert_nothing_changed(tmp_path)


# --- row checks -------------------------------------------------------------------------------


def test_duplicate_ids_identical_kept_once_conflicting_all_rejected(tmp_path, key):
    frame = text_frame(20)
    identical = frame.slice(3, 1)
    conflicting = set_cell(frame.slice(5, 1), 0, full_name="Trần Văn Khác")
    path = extract_of(tmp_path, key, pl.concat([frame, identical, conflicting]))
    result = ingest(path, batch_rows=8)
    assert (result.read, result.inserted, result.rejected, result.warned) == (22, 19, 2, 1)
    assert result.duplicates_skipped == 1
    assert not Person.objects.filter(personal_id=frame["personal_id"][5]).exists()
    assert Person.objects.filter(personal_id=frame["personal_id"][3]).count() == 1
    problems = {(p["line"], p["field"], p["action"]) for p in rejects_of(tmp_path / "rejects.csv")}
    # line = header (1) + 1-based row: row 6 and the conflicting copy at row 22.
    assert problems == {
        ("7", "personal_id", "rejected"),
        ("23", "personal_id", "rejected"),
        ("22", "personal_id", "warned"),
    }


def test_impossible_and_future_dates_are_rejected(tmp_path, key):
    future = (date.today() + timedelta(days=3)).isoformat()
    frame = set_cell(text_frame(10), 0, birth_date="2025-02-30")
    frame = set_cell(frame, 1, birth_date=future)
    frame = set_cell(frame, 2, birth_date="2025-2-3")
    frame = set_cell(frame, 3, birth_date=None)
    with translation.override("en"):  # the rejects report in English
        result = ingest(extract_of(tmp_path, key, frame))
    assert (result.inserted, result.rejected) == (6, 4)
    reasons = {p["line"]: p["reason"] for p in rejects_of(tmp_path / "rejects.csv")}
    assert reasons == {
        "2": "NOT_A_DATE_VALUE: “2025-02-30” is not a date (YYYY-MM-DD).",
        "3": "DATE_IN_FUTURE: The date must not be in the future.",
        "4": "NOT_A_DATE_VALUE: “2025-2-3” is not a date (YYYY-MM-DD).",
        "5": "REQUIRED: This field is required.",
    }


def test_id_digits_contradicting_sex_and_birth_year_are_warned_and_loaded(tmp_path, key):
    frame = text_frame(10)
    row = frame.row(2, named=True)
    other_sex = "F" if row["sex"] == "M" else "M"
    frame = set_cell(frame, 2, sex=other_sex)
    frame = set_cell(frame, 3, birth_date="1931-01-01")
    result = ingest(extract_of(tmp_path, key, frame))
    assert (result.inserted, result.rejected, result.warned) == (10, 0, 2)
    person = Person.objects.get(personal_id=row["personal_id"])
    assert person.id_warnings == "ID_SEX_MISMATCH"
    problems = rejects_of(tmp_path / "rejects.csv")
    assert [(p["line"], p["action"]) for p in problems] == [("4", "warned"), ("5", "warned")]
    assert problems[0]["reason"].startswith("ID_SEX_MISMATCH")
    assert problems[1]["reason"].startswith("ID_BIRTH_YEAR_MISMATCH")


def test_unknown_commune_is_rejected(tmp_path, key):
    frame = set_cell(text_frame(10), 4, residence_commune_code="99999")
    with translation.override("en"):
        result = ingest(extract_of(tmp_path, key, frame))
    assert (result.inserted, result.rejected) == (9, 1)
    [problem] = rejects_of(tmp_path / "rejects.csv")
    assert problem == {
        "line": "6",
        "personal_id": frame["personal_id"][4],
        "field": "residence_commune_code",
        "reason": "COMMUNE_NOT_2025: 99999 is not a 2025 commune: choose a commune from the list.",
        "action": "rejected",
    }


def test_died_on_rules(tmp_path, key):
    frame = text_frame(10)
    frame = set_cell(frame, 0, died_on="2020-01-01")  # alive with a death date
    frame = set_cell(frame, 1, life_status="dead")  # dead without one
    frame = set_cell(frame, 2, life_status="dead", died_on="1900-01-01")  # before birth
    frame = set_cell(frame, 3, life_status="dead", died_on="2020-05-05")  # fine
    frame = set_cell(frame, 4, life_status="dead", died_on="2019-02-29")  # no such day
    result = ingest(extract_of(tmp_path, key, frame))
    assert (result.inserted, result.rejected) == (6, 4)
    got = {
        (p["line"], p["field"], p["reason"].split(": ", 1)[0])
        for p in rejects_of(tmp_path / "rejects.csv")
    }
    assert got == {
        ("2", "died_on", "DIED_ON_WHILE_ALIVE"),
        ("3", "died_on", "DIED_ON_REQUIRED"),
        ("4", "died_on", "DIED_BEFORE_BIRTH"),
        ("6", "died_on", "NOT_A_DATE_VALUE"),
    }
    dead = Person.objects.get(personal_id=frame["personal_id"][3])
    assert (dead.life_status, dead.died_on) == ("dead", date(2020, 5, 5))


def test_missing_name_and_bad_sex_and_id(tmp_path, key):
    frame = set_cell(text_frame(6), 0, full_name="  ")
    frame = set_cell(frame, 1, sex="m")
    frame = set_cell(frame, 2, personal_id="12345")
    result = ingest(extract_of(tmp_path, key, frame))
    assert (result.inserted, result.rejected) == (3, 3)
    got = {(p["line"], p["field"]) for p in rejects_of(tmp_path / "rejects.csv")}
    assert got == {("2", "full_name"), ("3", "sex"), ("4", "personal_id")}


# --- indexes and the command --------------------------------------------------------------------


def test_missing_indexes_are_rebuilt_at_start(tmp_path, key):
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX person_given_key")
    assert bulk.indexes_missing() == ["person_given_key"]
    ingest(extract_of(tmp_path, key, text_frame(10)))
    assert bulk.indexes_missing() == []


def test_command_prints_the_summary_and_refuses_with_exit_code_2(tmp_path, key):
    path = extract_of(tmp_path, key, set_cell(text_frame(12), 0, sex="X"))
    out = io.StringIO()
    call_command("exchange", "ingest", str(path), stdout=out)
    assert (
        "read 12 · inserted 11 · updated 0 · unchanged 0 · rejected 1 · warned 0" in out.getvalue()
    )
    assert len(rejects_of(path.with_name("extract.csv.rejects.csv"))) == 1
    path.write_bytes(path.read_bytes() + b"\n")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("exchange", "ingest", str(path), stdout=out)
    assert exc.value.code == 2
    assert "refused, nothing changed — hash:" in out.getvalue()


def test_line_break_inside_a_field_is_refused(tmp_path, key):
    frame = set_cell(text_frame(10), 3, address="Thôn 1\nXã Hai")
    refused(extract_of(tmp_path, key, frame), r"^format: .* 11 lines after the header but 10")
    assert_nothing_changed(tmp_path)


def test_row_with_too_many_fields_is_refused(tmp_path, key):
    content = csv_bytes(text_frame(10)).replace(b",alive,\n", b",alive,,extra\n", 1)
    path = signed_extract(tmp_path, content, key=key, rows=10)
    refused(path, r"^format: the file is not a well-formed CSV extract")
    assert_nothing_changed(tmp_path)
