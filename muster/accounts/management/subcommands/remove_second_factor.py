"""`muster accounts remove-second-factor USERNAME`."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from muster.accounts.actions import second_factor_remove
from muster.accounts.models import User

HELP = (
    "Remove a user's authenticator app (a lost phone, or the only administrator locked out): "
    "the user enrols a new one at the next login. Audited."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("username")


def handle(options: dict[str, Any], out: TextIO) -> int:
    user = User.objects.filter(username=options["username"]).first()
    if user is None:
        out.write(f"no user named {options['username']!r}\n")
        return 2
    removed = second_factor_remove(user=user, acting_user=None)
    out.write(
        f"removed the authenticator of {user.username}\n"
        if removed
        else f"{user.username} has no authenticator\n"
    )
    return 0
