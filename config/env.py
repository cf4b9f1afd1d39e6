"""The one place that reads the process environment. Settings import from here, nothing else does."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MUSTER_VAR_DIR", BASE_DIR / "var"))
DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'muster.sqlite3'}"


class ConfigError(ValueError):
    """The environment names a setting Muster cannot use."""


@dataclass(frozen=True)
class DatabaseConfig:
    vendor: str  # "sqlite" | "postgresql"
    settings: dict[str, Any]


def database_url() -> str:
    return os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)


def parse_database_url(url: str) -> DatabaseConfig:
    """`sqlite:///relative/or//absolute/path` or `postgres://user:pw@host:port/name`."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        raw = url[len("sqlite:///") :] if url.startswith("sqlite:///") else ""
        if not raw:
            raise ConfigError(f"DATABASE_URL {url!r}: expected sqlite:///PATH")
        path = Path(raw)
        return DatabaseConfig(
            "sqlite",
            {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(path),
                # IMMEDIATE: writers take the lock up front, so concurrent requests queue
                # instead of failing with "database is locked" on lock upgrade.
                "OPTIONS": {
                    "transaction_mode": "IMMEDIATE",
                    "timeout": 30,
                    # case_sensitive_like lets `LIKE 'prefix%'` use the plain index on
                    # lower-cased search keys.
                    "init_command": (
                        # WAL mode: muster.core.sqlite.wal_on_connect (a fresh load may
                        # hold the file in rollback mode, which this would fail on).
                        "PRAGMA synchronous=NORMAL; "
                        "PRAGMA case_sensitive_like=ON; PRAGMA cache_size=-65536;"
                    ),
                },
                "TEST": {"NAME": os.environ.get("MUSTER_SQLITE_TEST_NAME") or None},
            },
        )
    if parts.scheme in {"postgres", "postgresql"}:
        name = parts.path.lstrip("/")
        if not name:
            raise ConfigError(f"DATABASE_URL {url!r}: the database name is missing")
        return DatabaseConfig(
            "postgresql",
            {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": unquote(name),
                "USER": unquote(parts.username or ""),
                "PASSWORD": unquote(parts.password or ""),
                "HOST": parts.hostname or "",
                "PORT": str(parts.port or ""),
                "CONN_MAX_AGE": 60,
            },
        )
    raise ConfigError(f"DATABASE_URL {url!r}: only sqlite:/// and postgres:// are supported")


def replica_database_url() -> str | None:
    """DATABASE_REPLICA_URL: a PostgreSQL streaming replica of DATABASE_URL for reports
    (`muster.core.replica`); unset: reports read the primary."""
    return os.environ.get("DATABASE_REPLICA_URL") or None


def secret_key() -> str:
    """From MUSTER_SECRET_KEY, else a random key kept in var/ so sessions survive restarts."""
    if key := os.environ.get("MUSTER_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


def key_dir() -> Path:
    """MUSTER_KEY_DIR: where the keys kept apart from the database live (audit MAC and
    checkpoint-signing keys, the data key ring); default `var/keys`."""
    return Path(os.environ.get("MUSTER_KEY_DIR") or VAR_DIR / "keys")


def data_keys() -> str | None:
    """MUSTER_DATA_KEYS: the data key ring given inline (`k1:BASE64,k2:BASE64`, newest last),
    for deployments that keep keys in a secrets manager; unset: the ring file in key_dir()."""
    return os.environ.get("MUSTER_DATA_KEYS") or None


def audit_checkpoint_file() -> Path:
    """MUSTER_AUDIT_CHECKPOINTS: the append-only file of signed audit-chain checkpoints;
    default `var/audit/checkpoints.jsonl`."""
    return Path(
        os.environ.get("MUSTER_AUDIT_CHECKPOINTS") or VAR_DIR / "audit" / "checkpoints.jsonl"
    )


def debug() -> bool:
    return os.environ.get("MUSTER_DEBUG", "") == "1"


def self_defence_squad_size() -> int:
    """MUSTER_SELF_DEFENCE_SQUAD_SIZE: the eligible workers an agency or enterprise needs for
    one self-defence squad (DQTV Art. 17). The Ministry's headcount is not known for certain
    (domain-rules §3): 9 unless set."""
    value = os.environ.get("MUSTER_SELF_DEFENCE_SQUAD_SIZE", "9") or "9"
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"MUSTER_SELF_DEFENCE_SQUAD_SIZE {value!r}: expected a positive number")
    return int(value)


def cli_language() -> str:
    """MUSTER_CLI_LANGUAGE: the `muster` commands' language, `en` (default) or `vi`."""
    language = os.environ.get("MUSTER_CLI_LANGUAGE", "en") or "en"
    if language not in {"en", "vi"}:
        raise ConfigError(f"MUSTER_CLI_LANGUAGE {language!r}: expected en or vi")
    return language


def allowed_hosts() -> list[str]:
    return _list("MUSTER_ALLOWED_HOSTS", "127.0.0.1,localhost")


def csrf_trusted_origins() -> list[str]:
    """MUSTER_CSRF_TRUSTED_ORIGINS, e.g. `https://muster.example.vn` (comma-separated)."""
    return _list("MUSTER_CSRF_TRUSTED_ORIGINS", "")


def trusted_proxy() -> str:
    """MUSTER_TRUSTED_PROXY: the reverse proxy's address as Muster sees it (production)."""
    return os.environ.get("MUSTER_TRUSTED_PROXY", "127.0.0.1").strip()


def _list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# MUSTER_SETTINGS names the settings a deployment runs under.
SETTINGS_MODULES = {
    "default": "config.settings.base",
    "production": "config.settings.production",
}


def settings_module() -> str:
    """The Django settings module: MUSTER_SETTINGS (`default` or `production`) when set, else
    DJANGO_SETTINGS_MODULE (tests and tools set it), else the default settings."""
    name = os.environ.get("MUSTER_SETTINGS", "").strip()
    if name:
        if name not in SETTINGS_MODULES:
            raise ConfigError(
                f"MUSTER_SETTINGS={name!r}: expected one of {', '.join(sorted(SETTINGS_MODULES))}"
            )
        return SETTINGS_MODULES[name]
    return os.environ.get("DJANGO_SETTINGS_MODULE") or SETTINGS_MODULES["default"]


@dataclass(frozen=True)
class PopregClient:
    """Defaults for `muster exchange pull`: where the register's feed is, and the mTLS files."""

    producer: str | None
    url: str | None
    ca: str | None
    cert: str | None
    key: str | None


def popreg_client() -> PopregClient:
    """MUSTER_POPREG_PRODUCER, _URL, _CA, _CERT, _KEY (each may be unset)."""
    return PopregClient(
        producer=os.environ.get("MUSTER_POPREG_PRODUCER") or None,
        url=os.environ.get("MUSTER_POPREG_URL") or None,
        ca=os.environ.get("MUSTER_POPREG_CA") or None,
        cert=os.environ.get("MUSTER_POPREG_CERT") or None,
        key=os.environ.get("MUSTER_POPREG_KEY") or None,
    )
