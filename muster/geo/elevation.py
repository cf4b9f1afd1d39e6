"""Elevation for the 3D civil-defence map: a GeoTIFF read with Pillow (already a dependency,
through fpdf2; no GDAL/rasterio), kept as a float32 grid, served as terrain tiles.

What is read: a single-band GeoTIFF of heights in metres, in geographic coordinates (WGS 84
longitude/latitude, EPSG:4326 — what SRTM and Copernicus DEM tiles ship as), north-up, placed by
its ModelPixelScale (33550) and ModelTiepoint (33922) tags. A projected file (GeoKey 3072 set)
is refused: reprojecting is GDAL's job (`gdalwarp -t_srs EPSG:4326`). A grid larger than
`GRID_MAX` a side is thinned to it (a province at ~150 m is plenty for a view).

Tiles are Web-Mercator z/x/y PNGs in Mapzen's *terrarium* encoding (height + 32768 = R·256 + G +
B/256), what MapLibre's `raster-dem` source reads; outside the grid the ground is at 0 m.
"""

from __future__ import annotations

import contextlib
import io
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from muster.core.errors import FieldError, InvalidInput

GRID_MAX = 1200
TILE = 256
PIXEL_SCALE, TIEPOINT, GEOKEYS, NODATA = 33550, 33922, 34735, 42113
PROJECTED_CS = 3072


@dataclass(frozen=True)
class Grid:
    """Heights (metres, float32, row 0 the north edge) over [west, east] × [south, north]."""

    west: float
    south: float
    east: float
    north: float
    heights: NDArray[np.float32]

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return (self.west, self.south, self.east, self.north)


def read_geotiff(data: bytes) -> Grid:
    """The grid of a GeoTIFF (see the module's docstring for what is accepted)."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, ValueError) as exc:
        raise InvalidInput([FieldError("file", "ELEVATION_NOT_A_TIFF")]) from exc
    tags = getattr(image, "tag_v2", None)
    if tags is None or PIXEL_SCALE not in tags or TIEPOINT not in tags:
        raise InvalidInput([FieldError("file", "ELEVATION_NOT_GEOREFERENCED")])
    keys = tuple(tags.get(GEOKEYS, ()))
    # GeoKeyDirectory: a header of 4 shorts, then (key, location, count, value) per key.
    if any(keys[i] == PROJECTED_CS for i in range(4, len(keys) - 3, 4)):
        raise InvalidInput([FieldError("file", "ELEVATION_PROJECTED")])
    scale_x, scale_y = float(tags[PIXEL_SCALE][0]), float(tags[PIXEL_SCALE][1])
    tie = tags[TIEPOINT]
    west = float(tie[3]) - float(tie[0]) * scale_x
    north = float(tie[4]) + float(tie[1]) * scale_y
    heights = np.asarray(image, dtype=np.float32)
    if heights.ndim != 2:
        raise InvalidInput([FieldError("file", "ELEVATION_NOT_ONE_BAND")])
    nodata = tags.get(NODATA)
    if nodata is not None:
        with contextlib.suppress(ValueError):
            heights = np.where(heights == np.float32(float(str(nodata).strip("\x00"))), 0, heights)
    heights = np.nan_to_num(heights, nan=0.0).astype(np.float32)
    rows, cols = heights.shape
    east, south = west + cols * scale_x, north - rows * scale_y
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise InvalidInput([FieldError("file", "ELEVATION_PROJECTED")])
    step = max(1, math.ceil(max(rows, cols) / GRID_MAX))
    return Grid(west, south, east, north, np.ascontiguousarray(heights[::step, ::step]))


def to_bytes(grid: Grid) -> bytes:
    return grid.heights.astype("<f4").tobytes()


def from_bytes(
    bounds: tuple[float, float, float, float], rows: int, cols: int, data: bytes
) -> Grid:
    heights = np.frombuffer(data, dtype="<f4").reshape(rows, cols)
    return Grid(*bounds, heights=heights)


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """West, south, east, north of Web-Mercator tile z/x/y in degrees."""
    n = 2**z

    def lat(row: float) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return (x / n * 360 - 180, lat(y + 1), (x + 1) / n * 360 - 180, lat(y))


def tile_heights(grid: Grid, z: int, x: int, y: int) -> NDArray[np.float32]:
    """The grid sampled (nearest) at each pixel centre of tile z/x/y; 0 outside it."""
    n = 2**z
    pixels = (np.arange(TILE, dtype=np.float64) + 0.5) / TILE
    lons = (x + pixels) / n * 360 - 180
    lats = np.degrees(np.arctan(np.sinh(np.pi * (1 - 2 * (y + pixels) / n))))
    rows, cols = grid.heights.shape
    col = np.floor((lons - grid.west) / (grid.east - grid.west) * cols).astype(np.int64)
    row = np.floor((grid.north - lats) / (grid.north - grid.south) * rows).astype(np.int64)
    inside = (
        (row[:, None] >= 0) & (row[:, None] < rows) & (col[None, :] >= 0) & (col[None, :] < cols)
    )
    sampled = grid.heights[np.clip(row, 0, rows - 1)[:, None], np.clip(col, 0, cols - 1)[None, :]]
    return np.where(inside, sampled, 0).astype(np.float32)


def terrarium_png(heights: NDArray[np.float32]) -> bytes:
    """A PNG in terrarium encoding: height + 32768 = R·256 + G + B/256."""
    value = np.clip(heights.astype(np.float64) + 32768.0, 0, 65535.996)
    red = np.floor(value / 256)
    green = np.floor(value - red * 256)
    blue = np.floor((value - np.floor(value)) * 256)
    rgb = np.stack([red, green, blue], axis=-1).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="PNG", optimize=False)
    return out.getvalue()
