"""Elevation GeoTIFFs for the 3D map: read with Pillow, placed by their tags, refused when
projected or not placed; tiles in terrarium encoding decode back to the heights."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from PIL import Image, TiffImagePlugin, TiffTags

from muster.audit.models import AuditEvent
from muster.core.errors import InvalidInput
from muster.geo import elevation
from muster.geo.bulk import elevation_load
from muster.geo.models import Elevation


def geotiff(
    heights: np.ndarray, *, west: float, north: float, step: float, projected: bool = False
) -> bytes:
    """A GeoTIFF as GDAL writes the essentials: pixel scale, tie point, geo keys."""
    info = TiffImagePlugin.ImageFileDirectory_v2()
    info.tagtype[elevation.PIXEL_SCALE] = TiffTags.DOUBLE
    info.tagtype[elevation.TIEPOINT] = TiffTags.DOUBLE
    info.tagtype[elevation.GEOKEYS] = TiffTags.SHORT
    info[elevation.PIXEL_SCALE] = (step, step, 0.0)
    info[elevation.TIEPOINT] = (0.0, 0.0, 0.0, west, north, 0.0)
    model_key = (3072, 0, 1, 32648) if projected else (2048, 0, 1, 4326)
    info[elevation.GEOKEYS] = (1, 1, 0, 1, *model_key)
    out = io.BytesIO()
    Image.fromarray(heights.astype(np.float32), mode="F").save(out, format="TIFF", tiffinfo=info)
    return out.getvalue()


RAMP = np.add.outer(np.arange(40, dtype=np.float32) * 10, np.arange(60, dtype=np.float32))


def test_read_places_the_grid_by_its_tags() -> None:
    grid = elevation.read_geotiff(geotiff(RAMP, west=103.5, north=22.9, step=0.025))
    assert grid.heights.shape == (40, 60)
    assert grid.bounds == pytest.approx((103.5, 21.9, 105.0, 22.9))
    assert float(grid.heights[39, 59]) == 449.0


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"not a tiff", "ELEVATION_NOT_A_TIFF"),
        (geotiff(RAMP, west=500000, north=2500000, step=30, projected=True), "ELEVATION_PROJECTED"),
    ],
)
def test_unreadable_or_projected_files_are_refused(data: bytes, code: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        elevation.read_geotiff(data)
    assert exc.value.errors[0].code == code


def test_an_unplaced_tiff_is_refused() -> None:
    out = io.BytesIO()
    Image.fromarray(RAMP, mode="F").save(out, format="TIFF")
    with pytest.raises(InvalidInput) as exc:
        elevation.read_geotiff(out.getvalue())
    assert exc.value.errors[0].code == "ELEVATION_NOT_GEOREFERENCED"


def test_a_tile_decodes_back_to_the_heights_and_is_flat_outside() -> None:
    grid = elevation.read_geotiff(geotiff(RAMP, west=103.5, north=22.9, step=0.025))
    # Zoom 8 tile over Lào Cai (x=202, y=112) lies inside the grid; one far away is flat.
    png = elevation.terrarium_png(elevation.tile_heights(grid, 8, 202, 112))
    rgb = np.asarray(Image.open(io.BytesIO(png)), dtype=np.float64)
    decoded = rgb[..., 0] * 256 + rgb[..., 1] + rgb[..., 2] / 256 - 32768
    assert decoded.min() >= 0
    assert decoded.max() <= 449
    assert decoded.max() > 0
    outside = elevation.tile_heights(grid, 8, 10, 10)
    assert not outside.any()


def test_import_command_keeps_the_grid_and_audits(db, tmp_path: Path) -> None:
    path = tmp_path / "laocai-dem.tif"
    path.write_bytes(geotiff(RAMP, west=103.5, north=22.9, step=0.025))
    call_command("geo", "elevation", str(path))
    row = Elevation.objects.get()
    assert (row.rows, row.cols, row.name) == (40, 60, "laocai-dem.tif")
    grid = elevation.from_bytes(
        (row.west, row.south, row.east, row.north), row.rows, row.cols, bytes(row.heights)
    )
    assert float(grid.heights[10, 20]) == float(RAMP[10, 20])
    assert AuditEvent.objects.get(action="geo.elevation.imported").data["rows"] == 40
    with pytest.raises(InvalidInput):
        elevation_load(name="x", data=b"junk", acting_user=None)
