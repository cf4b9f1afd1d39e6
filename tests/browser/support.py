"""Helpers of the browser tests that walk the shared demo (tests/browser/conftest.py)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD

# The machine may be shared and slow: a page may take its time, a step is not a race.
TIMEOUT_MS = 120_000


def browser_marks() -> list[pytest.MarkDecorator]:
    """Every browser test module's `pytestmark`."""
    return [
        pytest.mark.browser,
        pytest.mark.skipif(
            not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)"
        ),
    ]


def accounts(db: Path) -> dict[str, dict[str, Any]]:
    """The demo's users by name, from the logins it wrote beside its database."""
    found = json.loads((db.parent / f"{db.stem}-accounts.json").read_text())
    return {a["username"]: a for a in found}


def resident_of(db: Path, username: str) -> tuple[str, str]:
    """The name and personal ID of a resident of `username`'s commune."""
    org_code = accounts(db)[username]["jurisdiction_code"]
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            """SELECT p.full_name, p.personal_id FROM people_person p
               JOIN orgs_territory t ON t.admin_unit_id = p.residence_commune_id
               JOIN orgs_orgunit o ON o.id = t.org_unit_id
               WHERE o.code = ? ORDER BY p.personal_id LIMIT 1""",
            (org_code,),
        ).fetchone()
    assert row, f"no resident in {org_code}"
    return row[0], row[1]


def launch(pw: Any) -> Any:
    return pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def new_page(browser: Any, **context: Any) -> Any:
    page = browser.new_context(**context).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    return page


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")
