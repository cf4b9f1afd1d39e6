"""The units' outlines kept in a file under var/, so a new database does not redraw them.

Drawing the outlines (`bulk.compute_shapes`) is about five seconds of CPU and depends only
on the bundled records, the drawing code and the geometry library. The file is named by a
digest of all three, so a change to any of them draws the outlines anew; a file that is
missing, unreadable or does not match is ignored and rewritten. Pure file work: no ORM.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy
import shapely

from muster.geo import shapes
from muster.geo.source import UnitRecord

UnitKey = tuple[str, str]
PREFIX = "unit-shapes-"


def default_directory() -> Path:
    from config import env

    return env.VAR_DIR / "cache"


def digest(records: Sequence[UnitRecord], draw: Callable[..., object]) -> str:
    """What the outlines depend on: the records' places, the drawing code, the libraries."""
    h = hashlib.sha256()
    for part in (
        shapes.METHOD,
        Path(shapes.__file__).read_text(encoding="utf-8"),
        inspect.getsource(draw if inspect.isroutine(draw) else type(draw)),
        shapely.__version__,
        shapely.geos_version_string,
        numpy.__version__,
    ):
        h.update(part.encode())
        h.update(b"\0")
    rows = [(r.edition, r.level, r.code, r.parent_code, r.lat, r.lon, r.area_km2) for r in records]
    h.update(json.dumps(rows, ensure_ascii=False).encode())
    return h.hexdigest()[:32]


def _read(path: Path, key: str) -> dict[UnitKey, str] | None:
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored.get("key") != key:
            return None
        return {(str(e), str(c)): str(text) for e, c, text in stored["outlines"]}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write(directory: Path, path: Path, key: str, outlines: dict[UnitKey, str]) -> None:
    rows = [[e, c, text] for (e, c), text in sorted(outlines.items())]
    tmp: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"key": key, "outlines": rows}, out, ensure_ascii=False)
        os.replace(tmp, path)
        for stale in directory.glob(f"{PREFIX}*.json"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def cached_shapes(
    records: Sequence[UnitRecord],
    draw: Callable[[Sequence[UnitRecord]], dict[UnitKey, str]],
    directory: Path | None = None,
) -> dict[UnitKey, str]:
    """`draw(records)`, read from the cache file when it was drawn from the same inputs."""
    directory = directory or default_directory()
    key = digest(records, draw)
    path = directory / f"{PREFIX}{key}.json"
    outlines = _read(path, key)
    if outlines is None:
        outlines = draw(records)
        _write(directory, path, key, outlines)
    return outlines
