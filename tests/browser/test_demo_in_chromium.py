"""A person's path through the demo, in real Chromium against a real `muster serve`.

Builds a small demo database with the CLI, serves it on 127.0.0.1, logs in as a commune user,
searches a resident by a diacritic-free name, opens the record and looks at the map.
Screenshots land in var/screenshots/.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from muster.core.text import fold
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD, SCREENSHOTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)"
    ),
]


def _resident_of(db: Path, accounts_file: Path, username: str) -> tuple[str, str]:
    accounts = {a["username"]: a for a in json.loads(accounts_file.read_text())}
    org_code = accounts[username]["jurisdiction_code"]
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


def test_commune_user_finds_a_resident_and_sees_the_map(demo_server: tuple[str, Path]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, db = demo_server
    full_name, personal_id = _resident_of(db, db.parent / "demo-accounts.json", "xa1")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/login/")
        page.fill("#id_username", "xa1")
        page.fill("#id_password", PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/")

        map_box = page.locator("#map")
        expect(map_box).to_be_visible()
        expect(page.locator("#map .leaflet-interactive").first).to_be_attached(timeout=15000)
        page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)

        page.goto(f"{base}/persons/")
        page.locator("input[name=q]").press_sequentially(fold(full_name), delay=20)
        link = page.locator(f"a[href*='{personal_id}']").first
        expect(link).to_be_visible(timeout=10000)
        page.screenshot(path=str(SCREENSHOTS / "search.png"), full_page=True)
        link.click()
        expect(page.get_by_text(personal_id).first).to_be_visible()
        expect(page.get_by_text(full_name).first).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / "person.png"), full_page=True)
        browser.close()
