"""`muster restore FILE --key-file K --db URL [--var-dir DIR]`: a backup into an EMPTY
database (refused otherwise), its keys, audit checkpoints and sealed files into the var folder
of the target (default: this deployment's); then every table's row count is checked against
the backup's manifest. `muster audit verify` on the target then passes (docs/backup.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from config import env
from muster.core.backup_format import BackupError
from muster.core.keys import KeyFileError, backup_key_read
from muster.core.management.backups import Target, opened, restore_read


class Command(BaseCommand):
    help = "Restore an encrypted backup into an empty database and its var folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--key-file", type=Path, required=True)
        parser.add_argument("--db", required=True, help="sqlite:///PATH or postgres://… (empty)")
        parser.add_argument(
            "--var-dir",
            type=Path,
            help="the target's var folder: keys/, audit/checkpoints.jsonl, media/ "
            "(default: this deployment's key folder, checkpoint file and media folder)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            key = backup_key_read(options["key_file"])
            database = env.parse_database_url(options["db"])
        except (KeyFileError, env.ConfigError) as exc:
            raise CommandError(str(exc)) from exc
        var: Path | None = options["var_dir"]
        target = Target(
            vendor=database.vendor,
            settings=database.settings,
            key_dir=var / "keys" if var else Path(settings.MUSTER_KEY_DIR),
            checkpoints=var / "audit" / "checkpoints.jsonl"
            if var
            else Path(settings.MUSTER_AUDIT_CHECKPOINTS),
            media=var / "media" if var else Path(settings.MEDIA_ROOT),
        )
        try:
            with opened(options["file"], "rb") as handle:
                restored = restore_read(handle, key, target)
        except (BackupError, OSError) as exc:
            raise CommandError(f"restore refused: {exc}") from exc
        if restored.mismatches:
            detail = ", ".join(
                f"{t}: {want} in the backup, {got} restored"
                for t, (want, got) in sorted(restored.mismatches.items())
            )
            raise CommandError(f"restored row counts differ: {detail}")
        rows = sum(restored.counts.values())
        self.stdout.write(
            f"restored {len(restored.counts)} tables ({rows} rows, every count as in the "
            f"backup of {restored.manifest['created_at']}) and {restored.files} sealed files; "
            f"keys in {target.key_dir}, checkpoints in {target.checkpoints}. Check it with "
            "`muster audit verify` under that database and var folder."
        )
