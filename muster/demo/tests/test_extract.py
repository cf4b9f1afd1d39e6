"""Population-register extract files: exact columns, round trips, checksums, atomic writes."""

from __future__ import annotations

import hashlib
from datetime import date

import polars as pl
import pytest

from muster.demo.extract import EXTRACT_COLUMNS, write_extract
from muster.demo.population import CommuneSpec, generate_population

EXPECTED_COLUMNS = (
    "personal_id",
    "full_name",
    "sex",
    "birth_date",
    "ethnicity",
    "residence_commune_code",
    "address",
    "household_id",
    "life_status",
    "died_on",
)


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    communes = [
        CommuneSpec("02647", "Phường Lào Cai", "Phường", 72.3, "Tỉnh Lào Cai", "10"),
        CommuneSpec("02923", "Xã Gia Phú", "Xã", 102.4, "Tỉnh Lào Cai", "10"),
        CommuneSpec("04351", "Xã Mù Cang Chải", "Xã", 250.0, "Tỉnh Lào Cai", "15"),
    ]
    return generate_population(
        communes, people=3_000, seed=9, province_code="15", reference_date=date(2025, 7, 1)
    )


def with_one_death(frame: pl.DataFrame) -> pl.DataFrame:
    first = pl.int_range(pl.len()) == 0
    return frame.with_columns(
        life_status=pl.when(first).then(pl.lit("dead")).otherwise("life_status"),
        died_on=pl.when(first).then(pl.lit(date(2025, 3, 2))).otherwise("died_on"),
    )


def test_columns_are_exactly_the_register_extract():
    assert EXTRACT_COLUMNS == EXPECTED_COLUMNS


def test_csv_round_trip(frame, tmp_path):
    data = with_one_death(frame)
    path = tmp_path / "extract.csv"
    written = write_extract(data, path, fmt="csv")

    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8").splitlines()
    assert lines[0] == ",".join(EXPECTED_COLUMNS)
    assert lines[1].split(",")[-2:] == ["dead", "2025-03-02"]
    assert lines[2].endswith(",alive,")
    assert written.name == "extract.csv"
    assert written.rows == data.height
    assert written.sha256 == hashlib.sha256(raw).hexdigest()

    back = pl.read_csv(
        path,
        schema={
            name: pl.Date if name in {"birth_date", "died_on"} else pl.Utf8
            for name in EXPECTED_COLUMNS
        },
    )
    assert back.equals(data.select(EXPECTED_COLUMNS))


def test_parquet_round_trip(frame, tmp_path):
    path = tmp_path / "extract.parquet"
    written = write_extract(frame, path, fmt="parquet")
    back = pl.read_parquet(path)
    assert back.columns == list(EXPECTED_COLUMNS)
    assert back.schema["birth_date"] == pl.Date
    assert back.schema["died_on"] == pl.Date
    assert back.equals(frame.select(EXPECTED_COLUMNS))
    assert written.rows == frame.height
    assert written.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_replaces_atomically_and_leaves_no_temp_files(frame, tmp_path):
    path = tmp_path / "extract.csv"
    path.write_text("old contents")
    write_extract(frame.head(10), path, fmt="csv")
    assert [p.name for p in tmp_path.iterdir()] == ["extract.csv"]
    assert path.read_text(encoding="utf-8").count("\n") == 11


def test_refuses_invalid_rows_and_keeps_the_old_file(frame, tmp_path):
    path = tmp_path / "extract.csv"
    path.write_text("old contents")
    bad = frame.with_columns(sex=pl.lit("X"))
    with pytest.raises(ValueError, match="sex"):
        write_extract(bad, path, fmt="csv")
    alive_with_date = frame.with_columns(died_on=pl.lit(date(2025, 1, 1)))
    with pytest.raises(ValueError, match="died_on"):
        write_extract(alive_with_date, path, fmt="parquet")
    with pytest.raises(ValueError, match="lacks extract columns: household_id"):
        write_extract(frame.drop("household_id"), path, fmt="csv")
    assert path.read_text() == "old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["extract.csv"]


def test_unknown_format_is_refused(frame, tmp_path):
    with pytest.raises(ValueError, match="unknown extract format"):
        write_extract(frame, tmp_path / "x.json", fmt="json")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
