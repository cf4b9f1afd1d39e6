"""The `muster` command: Django's management commands under Muster's settings.

`muster demo`, `muster serve`, `muster geo load`, `muster bench NAME` ... are management
commands in the apps; this only picks settings and the database before Django starts.
`MUSTER_SETTINGS=production` selects the production settings (see docs/deployment.md).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Commands that accept `--db PATH` as a shortcut for DATABASE_URL=sqlite:///PATH.
DB_SHORTCUT_COMMANDS = {"demo", "serve"}


def _apply_db_shortcut(argv: list[str]) -> list[str]:
    if not argv or argv[0] not in DB_SHORTCUT_COMMANDS:
        return argv
    out: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg == "--db":
            path = next(args, None)
            if path is None:
                sys.exit("muster: --db needs a PATH")
        elif arg.startswith("--db="):
            path = arg.split("=", 1)[1]
        else:
            out.append(arg)
            continue
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(path).resolve()}"
        os.environ["MUSTER_DB_PATH"] = str(Path(path).resolve())
    return out


def main(argv: list[str] | None = None) -> None:
    args = _apply_db_shortcut(list(sys.argv[1:] if argv is None else argv))
    from config import env

    try:
        os.environ["DJANGO_SETTINGS_MODULE"] = env.settings_module()
    except env.ConfigError as exc:
        sys.exit(f"muster: {exc}")
    import django
    from django.conf import settings
    from django.core.management import execute_from_command_line
    from django.utils import translation

    django.setup()
    # Messages (coded errors, rejects reports) in the CLI's language; a served page still
    # follows its reader (LocaleMiddleware activates per request).
    translation.activate(settings.MUSTER_CLI_LANGUAGE)
    execute_from_command_line(["muster", *args])


if __name__ == "__main__":
    main()
