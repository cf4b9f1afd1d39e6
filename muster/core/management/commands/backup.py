"""`muster backup --out FILE --key-file K`: the database (SQLite's online backup API while the
server runs; PostgreSQL's `pg_dump -Fc` of one snapshot), its keys, audit checkpoints and
sealed files, in one file encrypted with the key in K (docs/backup.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from muster import audit
from muster.audit.chain import identity_get
from muster.core.backup_format import BackupError
from muster.core.keys import KeyFileError, backup_key_read
from muster.core.management.backups import backup_write, opened


class Command(BaseCommand):
    help = "Write an encrypted backup of the database, its keys, checkpoints and sealed files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, required=True, help="the backup file to create")
        parser.add_argument(
            "--key-file",
            type=Path,
            required=True,
            help="the backup key (create one with `muster keys backup-key K`)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        try:
            key = backup_key_read(options["key_file"])
        except KeyFileError as exc:
            raise CommandError(str(exc)) from exc
        if out.exists():
            raise CommandError(f"{out} exists: a backup is never overwritten")
        try:
            with opened(out, "wb") as handle:
                written = backup_write(handle, key, identity=identity_get())
        except (BackupError, OSError) as exc:
            out.unlink(missing_ok=True)
            raise CommandError(f"backup failed: {exc}") from exc
        rows = sum(written.counts.values())
        with transaction.atomic():
            audit.record(
                "backup.created",
                actor=None,
                target=("backup", out.name),
                data={"vendor": written.vendor, "tables": len(written.counts), "rows": rows,
                      "files": written.files, "bytes": out.stat().st_size},
            )  # fmt: skip
        self.stdout.write(
            f"backup written to {out}: {len(written.counts)} tables, {rows} rows, "
            f"{written.files} sealed files, {out.stat().st_size} bytes (encrypted)"
        )
