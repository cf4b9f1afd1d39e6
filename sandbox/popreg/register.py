"""The sandbox register's own state: a SQLite file (stdlib sqlite3), keys and certificates.

Data directory (default var/popreg/):

    popreg.sqlite3      people, communes, the signed event log, the simulated clock
    producer.key        Ed25519 signing key of the register (PKCS#8 PEM)
    producer.pub.pem    its public key, for `muster exchange trust producer.pub.pem --producer P`
    ca.pem, ca.key      the test CA that signs both TLS certificates below
    server.pem/.key     the feed's TLS server certificate (SAN: the host, 127.0.0.1 by default)
    client.pem/.key     Muster's TLS client certificate (the feed requires it)
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import polars as pl
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from muster.core.text import fold
from muster.demo.extract import write_extract
from muster.demo.population import CommuneSpec, generate_population
from muster.exchange import manifest, signing
from muster.people.extract_format import EXTRACT_COLUMNS, EXTRACT_SCHEMA
from sandbox.popreg import pki

DEFAULT_PROVINCE = "Lào Cai"
DEFAULT_PEOPLE = 20_000
DEFAULT_SEED = 2025
DEFAULT_PRODUCER = "popreg"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE commune (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, unit_type TEXT NOT NULL,
    province_name TEXT NOT NULL, legacy_province_code TEXT
);
CREATE TABLE person (
    personal_id TEXT PRIMARY KEY, full_name TEXT NOT NULL, sex TEXT NOT NULL,
    birth_date TEXT NOT NULL, ethnicity TEXT NOT NULL, residence_commune_code TEXT NOT NULL,
    address TEXT NOT NULL, household_id TEXT NOT NULL, life_status TEXT NOT NULL, died_on TEXT
);
CREATE TABLE event (sequence INTEGER PRIMARY KEY, body TEXT NOT NULL);
"""


class SandboxError(Exception):
    """The sandbox cannot do what was asked; the message says why."""


@dataclass(frozen=True)
class Paths:
    """Every file of one sandbox data directory."""

    root: Path

    @property
    def db(self) -> Path:
        return self.root / "popreg.sqlite3"

    @property
    def signing_key(self) -> Path:
        return self.root / "producer.key"

    @property
    def public_key(self) -> Path:
        return self.root / "producer.pub.pem"

    @property
    def ca(self) -> Path:
        return self.root / "ca.pem"

    @property
    def ca_key(self) -> Path:
        return self.root / "ca.key"

    @property
    def server_cert(self) -> Path:
        return self.root / "server.pem"

    @property
    def server_key(self) -> Path:
        return self.root / "server.key"

    @property
    def client_cert(self) -> Path:
        return self.root / "client.pem"

    @property
    def client_key(self) -> Path:
        return self.root / "client.key"


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    communes: tuple[CommuneSpec, ...]


def read_province(query: str) -> Province:
    """A 2025 province and its communes from the vietnamadminunits data (no Django database).

    Each commune's legacy province code (the place part of personal IDs of people born there)
    is the legacy province most of its predecessor wards belonged to.
    """
    from muster.geo.models import Edition, Level
    from muster.geo.source import read_source

    source = read_source()
    provinces = [
        u for u in source.units if u.edition == Edition.V2025 and u.level == Level.PROVINCE
    ]
    wanted = fold(query).replace("tinh ", "").replace("thanh pho ", "").strip()
    province = next(
        (
            p
            for p in provinces
            if query.strip() in {p.code, p.code.lstrip("0")}
            or wanted in {fold(p.short_name), fold(p.name)}
        ),
        None,
    )
    if province is None:
        names = ", ".join(sorted(p.short_name for p in provinces))
        raise SandboxError(f"--province: no 2025 province {query!r}; choose one of: {names}")
    parent = {u.key: u.parent_code for u in source.units if u.edition == Edition.LEGACY}
    legacy_votes: dict[str, Counter[str]] = defaultdict(Counter)
    for link in source.successions:
        district = parent.get(link.predecessor)
        legacy_province = parent.get((Edition.LEGACY, district)) if district else None
        if legacy_province:
            legacy_votes[link.successor[1]][legacy_province] += 1
    communes = tuple(
        CommuneSpec(
            code=u.code,
            name=u.name,
            unit_type=u.unit_type,
            area_km2=u.area_km2,
            province_name=province.name,
            legacy_province_code=(
                legacy_votes[u.code].most_common(1)[0][0] if legacy_votes[u.code] else None
            ),
        )
        for u in source.units
        if u.edition == Edition.V2025
        and u.level == Level.COMMUNE
        and u.parent_code == province.code
    )
    return Province(province.code, province.name, communes)


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that commits on success and rolls back on error, then closes."""
    db = sqlite3.connect(path, timeout=30)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        with db:
            yield db
    finally:
        db.close()


class Register:
    """One sandbox register on disk."""

    def __init__(self, root: Path) -> None:
        self.paths = Paths(Path(root))
        if not self.paths.db.is_file():
            raise SandboxError(f"{self.paths.db}: not initialised (run `muster sandbox popreg`)")
        self.key = signing.load_private_key(self.paths.signing_key.read_bytes())

    # --- state --------------------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        with connect(self.paths.db) as db:
            return dict(db.execute("SELECT key, value FROM meta").fetchall())

    @property
    def producer(self) -> str:
        return self.meta()["producer"]

    def clock(self) -> date:
        """The simulated day: every event so far happened on or before it."""
        return date.fromisoformat(self.meta()["clock"])

    def last_sequence(self) -> int:
        with connect(self.paths.db) as db:
            row = db.execute("SELECT COALESCE(MAX(sequence), 0) FROM event").fetchone()
        return int(row[0])

    def events_after(self, after: int, limit: int) -> list[str]:
        """Signed events (canonical JSON text) with sequence > after, oldest first."""
        with connect(self.paths.db) as db:
            rows = db.execute(
                "SELECT body FROM event WHERE sequence > ? ORDER BY sequence LIMIT ?",
                (after, limit),
            ).fetchall()
        return [str(body) for (body,) in rows]

    def people_frame(self) -> pl.DataFrame:
        """Everyone the register knows, living and dead, in the extract's columns and types."""
        with connect(self.paths.db) as db:
            rows = db.execute(
                f"SELECT {', '.join(EXTRACT_COLUMNS)} FROM person ORDER BY personal_id"
            ).fetchall()
        text = pl.DataFrame(rows, schema=dict.fromkeys(EXTRACT_COLUMNS, pl.Utf8), orient="row")
        return text.select(
            pl.col(name).str.to_date("%Y-%m-%d") if dtype == pl.Date() else pl.col(name)
            for name, dtype in EXTRACT_SCHEMA.items()
        )

    # --- extracts -----------------------------------------------------------------------------

    def write_extract(self, out: Path) -> tuple[Path, Path, int]:
        """The register as of its clock: the extract file and its signed manifest beside it."""
        suffix = out.suffix.lower()
        fmt: Literal["csv", "parquet"]
        if suffix == ".csv":
            fmt = "csv"
        elif suffix == ".parquet":
            fmt = "parquet"
        else:
            raise SandboxError(f"--write-extract: {out.name} must end in .csv or .parquet")
        out.parent.mkdir(parents=True, exist_ok=True)
        written = write_extract(self.people_frame(), out, fmt=fmt)
        path = manifest.write_manifest(
            out,
            rows=written.rows,
            producer=self.producer,
            key=self.key,
            generated_at=datetime.now(UTC).replace(microsecond=0),
        )
        return out, path, written.rows


def initialise(
    root: Path,
    *,
    province: str = DEFAULT_PROVINCE,
    people: int = DEFAULT_PEOPLE,
    seed: int = DEFAULT_SEED,
    start: date | None = None,
    producer: str = DEFAULT_PRODUCER,
    host: str = "127.0.0.1",
) -> Register:
    """Create the data directory: population, signing key, test CA and certificates.

    Refuses a directory that already holds a register (delete it to start over); the register
    starts on `start` (default: a year ago, so a year of events can be simulated up to today).
    """
    paths = Paths(Path(root))
    if paths.db.exists():
        raise SandboxError(f"{paths.db} exists: the sandbox is already initialised")
    if people < 1:
        raise SandboxError("--people: must be at least 1")
    start = start or date.today() - timedelta(days=365)
    if start > date.today():
        raise SandboxError(f"--start: {start} is in the future")
    found = read_province(province)
    frame = generate_population(
        found.communes, people=people, seed=seed, province_code=found.code, reference_date=start
    )
    paths.root.mkdir(parents=True, exist_ok=True)

    key = Ed25519PrivateKey.generate()
    paths.signing_key.write_bytes(signing.private_pem(key))
    paths.signing_key.chmod(0o600)
    paths.public_key.write_bytes(signing.public_pem(key.public_key()))
    ca = pki.make_ca()
    ca.write(paths.ca, paths.ca_key)
    pki.issue_server(ca, host).write(paths.server_cert, paths.server_key)
    pki.issue_client(ca, "muster").write(paths.client_cert, paths.client_key)

    rows = frame.select(
        pl.col(name).dt.strftime("%Y-%m-%d") if dtype == pl.Date() else pl.col(name)
        for name, dtype in EXTRACT_SCHEMA.items()
    ).rows()
    # Written under a temporary name and renamed last: a half-made register never looks ready.
    temp = paths.db.with_name(paths.db.name + ".tmp")
    temp.unlink(missing_ok=True)
    with connect(temp) as db:
        db.executescript(_SCHEMA)
        db.executemany(
            "INSERT INTO commune VALUES (?, ?, ?, ?, ?)",
            [
                (c.code, c.name, c.unit_type, c.province_name, c.legacy_province_code)
                for c in found.communes
            ],
        )
        db.executemany(
            f"INSERT INTO person ({', '.join(EXTRACT_COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in EXTRACT_COLUMNS)})",
            rows,
        )
        meta: dict[str, Any] = {
            "producer": producer,
            "province_code": found.code,
            "province_name": found.name,
            "seed": seed,
            "people_initial": people,
            "start": start.isoformat(),
            "clock": start.isoformat(),
        }
        db.executemany("INSERT INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in meta.items()])
    temp.replace(paths.db)
    return Register(paths.root)


def event_body(event: dict[str, Any], key: Ed25519PrivateKey) -> str:
    """A signed event as stored and served: canonical JSON text."""
    return signing.canonical_json(signing.sign(event, key)).decode()


def settings_summary(register: Register) -> str:
    meta = register.meta()
    return json.dumps(
        {
            "producer": meta["producer"],
            "province": meta["province_name"],
            "clock": meta["clock"],
            "last_sequence": register.last_sequence(),
        },
        ensure_ascii=False,
    )
