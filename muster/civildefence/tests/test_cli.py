"""`muster civildefence hazard import` and `exposure`: the contract's columns exactly."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from muster.civildefence.models import HazardZone
from muster.civildefence.tests.factories import SIDE, SOUTH, WEST, zone_text
from muster.people.tests.factories import make_person


def _import(tmp_path: Path, key: str = "YAGI", east: float = WEST + SIDE * 1.5) -> str:
    path = tmp_path / f"{key}.geojson"
    path.write_text(zone_text(WEST, SOUTH, east, SOUTH + SIDE), encoding="utf-8")
    out = io.StringIO()
    call_command(
        "civildefence",
        "hazard",
        "import",
        str(path),
        "--key",
        key,
        "--kind",
        "flood",
        "--name",
        "Lũ sông Thao",
        "--from",
        "2026-09-07",
        "--to",
        "2026-09-12",
        "--severity",
        "4",
        stdout=out,
    )
    return out.getvalue()


def test_hazard_import_and_reimport(world, tmp_path):
    assert "version 1: 2 communes" in _import(tmp_path)
    assert "version 2: 3 communes" in _import(tmp_path, "YAGI", WEST + SIDE * 3)
    zone = HazardZone.objects.get(key="YAGI", superseded_at__isnull=True)
    assert (zone.severity, zone.valid_to, zone.source) == (
        4,
        date(2026, 9, 12),
        "file:YAGI.geojson",
    )
    assert HazardZone.objects.filter(key="YAGI").count() == 2


def test_hazard_import_bad_file_exits_2_naming_the_feature(world, tmp_path, capsys):
    path = tmp_path / "bad.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature",'
        '"geometry":{"type":"LineString","coordinates":[[104,22],[105,23]]}}]}'
    )
    err = io.StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command(
            "civildefence",
            "hazard",
            "import",
            str(path),
            "--key",
            "X",
            "--kind",
            "flood",
            "--name",
            "X",
            "--from",
            "2026-09-07",
            stderr=err,
        )
    assert caught.value.code == 2
    assert "HAZARD_GEOJSON_TYPE" in err.getvalue()
    assert "features[0].geometry" in err.getvalue()


def test_exposure_csv_columns(world, tmp_path):
    for _ in range(10):
        make_person(world.communes[1], birth_date=date(1990, 1, 1))
    _import(tmp_path)
    out_file = tmp_path / "exposure.csv"
    call_command(
        "civildefence",
        "exposure",
        "YAGI",
        "--as-of",
        "2026-09-08",
        "--format",
        "csv",
        "--out",
        str(out_file),
    )
    rows = list(csv.reader(out_file.open(encoding="utf-8")))
    assert rows[0] == [
        "commune_code",
        "people",
        "people_in_zone",
        "households_in_zone",
        "vulnerable_in_zone",
    ]
    assert rows[1:] == [["99001", "0", "0", "0", "0"], ["99002", "10", "5", "5", "0"]]
    out = io.StringIO()
    call_command("civildefence", "exposure", "YAGI", "--format", "csv", stdout=out)
    assert out.getvalue().splitlines()[0].startswith("commune_code,")
