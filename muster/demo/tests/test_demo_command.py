"""`muster demo` checks its `--password` like every other password (issue 13, finding 1)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command


def test_a_weak_password_is_refused_before_anything_is_built():
    # No database access is allowed in this test: the refusal comes before any of it.
    with pytest.raises(CommandError, match="--password: PASSWORD_TOO_SHORT"):
        call_command("demo", "--password", "12345", "--no-serve", "--people", "1")
