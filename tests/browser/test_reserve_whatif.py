"""The reserve assignment what-if in real Chromium against the served demo: provincial staff
open their province's what-if (filled by the solver when the demo was built), save a proposal,
keep one reservist out of it and see him among those who move; region staff — another person —
approve it, and the reservist no longer holds his post. Screenshots land in var/screenshots/.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD, SCREENSHOTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)"
    ),
]


def _province_and_holder(db: Path) -> tuple[str, str, str]:
    """The demo province's code, and one assigned reservist's personal ID and name."""
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            """SELECT g.code, p.personal_id, p.full_name FROM reserve_reserveassignment a
               JOIN people_person p ON p.id = a.person_id
               JOIN reserve_reservepost rp ON rp.id = a.post_id
               JOIN reserve_reserveunit u ON u.id = rp.unit_id
               JOIN orgs_territory t ON t.org_unit_id = u.command_id
               JOIN geo_adminunit g ON g.id = t.admin_unit_id AND g.level = 'province'
               WHERE a.valid_to IS NULL ORDER BY p.personal_id LIMIT 1"""
        ).fetchone()
    assert row, "the demo assigned nobody to a reserve unit"
    return row[0], row[1], row[2]


def _holds_a_post(db: Path, personal_id: str) -> bool:
    with sqlite3.connect(db) as conn:
        return bool(
            conn.execute(
                """SELECT 1 FROM reserve_reserveassignment a
                   JOIN people_person p ON p.id = a.person_id
                   WHERE p.personal_id = ? AND a.valid_to IS NULL""",
                (personal_id,),
            ).fetchone()
        )


def _login(browser, base: str, username: str):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")
    return page


def test_province_staff_adjust_and_another_approves(demo_server: tuple[str, Path]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, db = demo_server
    accounts = {a["username"] for a in json.loads((db.parent / "demo-accounts.json").read_text())}
    assert {"tinh", "quankhu"} <= accounts
    code, personal_id, full_name = _province_and_holder(db)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = _login(browser, base, "tinh")
        page.goto(f"{base}/reserve/units/")
        page.locator(f"a[href='/reserve/units/{code}/']").click()
        page.locator(f"a[href='/reserve/units/{code}/assign/']").click()
        # No proposal saved: nothing is solved until one is computed (and saved).
        expect(page.locator("#whatif-units")).to_have_count(0)
        page.locator("#whatif-propose button").click()
        expect(page.locator("#whatif-units tbody tr").first).to_be_visible()
        expect(page.locator("#whatif-total")).to_contain_text("%")
        page.screenshot(path=str(SCREENSHOTS / "reserve-whatif.png"), full_page=True)
        expect(page.locator("#whatif-pin")).to_be_visible()
        expect(page.locator("#whatif-approve")).to_have_count(0)  # not by its proposer
        page.fill("#id_personal_id", personal_id)
        page.select_option("#id_post", "")
        page.locator("#whatif-pin button").click()
        row = page.locator("#whatif-moves tr", has_text=full_name)
        expect(row).to_be_visible()
        expect(row.locator("button")).to_be_visible()  # the release button of a pin
        page.screenshot(path=str(SCREENSHOTS / "reserve-whatif-pinned.png"), full_page=True)
        page.close()

        approver = _login(browser, base, "quankhu")
        approver.goto(f"{base}/reserve/units/{code}/assign/")
        approver.locator("#whatif-approve button").click()
        expect(approver.locator("#whatif-propose")).to_be_visible()
        expect(approver.locator("#whatif-approve")).to_have_count(0)
        approver.screenshot(path=str(SCREENSHOTS / "reserve-whatif-approved.png"), full_page=True)
        browser.close()
    assert not _holds_a_post(db, personal_id)
