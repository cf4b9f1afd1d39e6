"""`muster demo`: build the demo province, print the logins, then serve it."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from rich.console import Console
from rich.table import Table

from config import env
from muster.core.errors import InvalidInput

LEGACY_DB_NAME = "demo-legacy.sqlite3"
# The demo's users (both demos; the legacy one adds tinhNN per legacy province).
DEMO_USERNAMES = ("admin", "quankhu", "tinh", "ptkv", "xa1", "xa2", "kiemtoan", "huyen", "xa")


class Command(BaseCommand):
    help = "Build a demo province with a synthetic population and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province", default="Lào Cai", help="2025 province, code or name (default: Lào Cai)"
        )
        parser.add_argument("--people", type=int, default=100_000)
        parser.add_argument("--password", help="demo users' password (random if absent)")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--no-serve", action="store_true", help="build, print, exit")
        parser.add_argument(
            "--legacy",
            action="store_true",
            help="the province as it stood on 2025-06-30 (legacy units, old addresses), to plan "
            "and apply the 2025 change with `muster restructure`; default database "
            f"var/{LEGACY_DB_NAME}",
        )
        # --db PATH is handled by muster.cli before Django starts (it selects the database).

    def handle(self, *args: Any, **options: Any) -> None:
        if options["people"] < 1:
            raise CommandError("--people must be at least 1")
        if options["password"] is not None:
            self._check_password(options["password"])
        if options["legacy"]:
            self._use_legacy_database()
        db_path = self._sqlite_path()
        params: dict[str, Any] = {k: options[k] for k in ("province", "people", "seed")}
        if options["legacy"]:
            params["legacy"] = True
        if db_path is not None:
            self._reset_if_built_differently(db_path, params)
        console = Console(stderr=True)
        started = time.monotonic()
        from muster.demo.build import build_demo

        try:
            if options["legacy"]:
                result, password = self._build_legacy(options, db_path, console)
            else:
                result, password = build_demo(
                    province=options["province"],
                    people=options["people"],
                    seed=options["seed"],
                    password=options["password"],
                    db_path=db_path or env.VAR_DIR / "demo.db",
                    console=console,
                    register_dir=self._register_dir(db_path),
                )
        except InvalidInput as exc:
            raise CommandError(str(exc)) from exc
        if db_path is not None:
            self._marker(db_path).write_text(json.dumps(params, ensure_ascii=False))
        serve_hint = None if not options["no_serve"] else self._serve_command(db_path, options)
        self._print(
            console, result, password, options["port"], time.monotonic() - started, serve_hint
        )
        if not options["no_serve"]:
            from muster.core.serving import serve

            try:
                serve(host="127.0.0.1", port=options["port"], worker=True)
            except KeyboardInterrupt:
                console.print("stopped")

    @staticmethod
    def _check_password(password: str) -> None:
        """Before anything is built or reset: the demo users' password passes the validators
        like every other (the users are made through accounts.actions, which would refuse it
        half-way through the build)."""
        from muster.accounts.models import User
        from muster.accounts.passwords import password_check

        for username in DEMO_USERNAMES:
            try:
                password_check(password, user=User(username=username), field="--password")
            except InvalidInput as exc:
                raise CommandError(str(exc)) from exc

    @staticmethod
    def _build_legacy(
        options: dict[str, Any], db_path: Path | None, console: Console
    ) -> tuple[Any, str]:
        from muster.demo.legacy import build_legacy_demo

        return build_legacy_demo(
            province=options["province"],
            people=options["people"],
            seed=options["seed"],
            password=options["password"],
            db_path=db_path or env.VAR_DIR / "demo-legacy.db",
            console=console,
        )

    @staticmethod
    def _use_legacy_database() -> None:
        """Without --db or DATABASE_URL, the legacy demo gets its own file beside the default
        one, so `muster demo` and `muster demo --legacy` never overwrite each other."""
        if env.database_url() != env.DEFAULT_DATABASE_URL:
            return
        path = env.VAR_DIR / LEGACY_DB_NAME
        connections["default"].close()
        connections["default"].settings_dict["NAME"] = str(path)
        settings.DATABASES["default"]["NAME"] = str(path)

    def _sqlite_path(self) -> Path | None:
        db = settings.DATABASES["default"]
        if db["ENGINE"] != "django.db.backends.sqlite3":
            return None
        path = Path(db["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    @staticmethod
    def _register_dir(db_path: Path | None) -> Path:
        """The sandbox register's data directory, beside the database it feeds."""
        if db_path is None:
            return env.VAR_DIR / "popreg-demo"
        return db_path.with_name(db_path.stem + "-popreg")

    @staticmethod
    def _marker(db_path: Path) -> Path:
        return db_path.with_name(db_path.name + ".demo.json")

    @staticmethod
    def _serve_command(db_path: Path | None, options: dict[str, Any]) -> str:
        """The command that serves what was just built (nothing is listening yet)."""
        port = f" --port {options['port']}" if options["port"] != 8000 else ""
        if db_path is None:
            return f"muster serve{port}   (with the same DATABASE_URL)"
        if env.database_url() == env.DEFAULT_DATABASE_URL and not options["legacy"]:
            return f"muster serve{port}"
        return f"muster serve --db {db_path}{port}"

    def _reset_if_built_differently(self, db_path: Path, params: dict[str, Any]) -> None:
        """A demo database built with other parameters is rebuilt from scratch; with no
        database at all, what an earlier build left beside it (the register's folder, the
        spreadsheets, the marker) is cleared so the new build starts from the same state."""
        marker = self._marker(db_path)
        if not db_path.exists():
            marker.unlink(missing_ok=True)
            shutil.rmtree(self._register_dir(db_path), ignore_errors=True)
            shutil.rmtree(db_path.with_name(db_path.stem + "-callup"), ignore_errors=True)
            return
        if marker.exists() and json.loads(marker.read_text()) == params:
            return
        if not marker.exists() and db_path.stat().st_size > 0:
            raise CommandError(f"{db_path} exists and is not a demo database: choose another --db")
        connections["default"].close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        marker.unlink(missing_ok=True)
        shutil.rmtree(self._register_dir(db_path), ignore_errors=True)

    def _print(
        self,
        console: Console,
        result: Any,
        password: str,
        port: int,
        seconds: float,
        serve_hint: str | None,
    ) -> None:
        table = Table(title=f"Demo logins — password: {password}")
        for column in ("username", "role", "jurisdiction"):
            table.add_column(column)
        for account in result.accounts:
            table.add_row(account.username, account.role, account.jurisdiction_code or "national")
        out = Console()
        out.print(
            f"Demo province {result.province_name} ({result.province_code}): "
            f"{result.communes} communes, {result.people_loaded:,} people, built in {seconds:.0f} s"
        )
        out.print(table)
        if result.register_summary:
            out.print(f"Population register: {result.register_summary}")
        if result.callup_summary:
            out.print(f"Military service: {result.callup_summary}")
        if result.militia_summary:
            out.print(f"Militia: {result.militia_summary}")
        if result.reserve_summary:
            out.print(f"Reserve: {result.reserve_summary}")
        if result.reserve_units_summary:
            out.print(f"Reserve units: {result.reserve_units_summary}")
        if result.cadres_summary:
            out.print(f"Cadres: {result.cadres_summary}")
        if result.civil_defence_summary:
            out.print(f"Civil defence: {result.civil_defence_summary}")
        if result.accounts_file:
            out.print(f"Accounts written to {result.accounts_file}")
        if serve_hint is None:
            out.print(f"URL: http://127.0.0.1:{port}/")
        else:
            out.print("Built, not served. To serve it, run:")
            out.print(f"    {serve_hint}", soft_wrap=True, highlight=False)
            out.print(f"then open http://127.0.0.1:{port}/")
