"""Issue 18 in Chromium against the demo, as its provincial officer: appoint a commune commander
and see the qualification gap, record the course result the demo left pending (the certificate
is issued), then the readiness dashboards — the province's figures with when they were computed,
the choropleth of its communes, a drill-down to a unit below — in the house style."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from tests.browser.conftest import SCREENSHOTS
from tests.browser.support import (
    accounts,
    browser_marks,
    launch,
    log_in,
    new_page,
    resident_of,
)
from tests.browser.test_officer_day import _watched_codes, check_style

pytestmark = browser_marks()

PROVINCIAL = "tinh"


def _vacant_commune_position(db: Path) -> tuple[str, int, int]:
    """A commune command of the provincial officer's province with an established position
    nobody holds today, the commander's first: (the command's code, the position's id and
    ordinal)."""
    province = accounts(db)[PROVINCIAL]["jurisdiction_code"]
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            """WITH RECURSIVE below(id) AS (
                   SELECT id FROM orgs_orgunit WHERE code = ?
                   UNION SELECT o.id FROM orgs_orgunit o JOIN below ON o.parent_id = below.id)
               SELECT o.code, p.id, p.ordinal FROM orgs_position p
               JOIN orgs_orgunit o ON o.id = p.org_unit_id
               WHERE o.id IN (SELECT id FROM below) AND o.kind = 'commune_command'
               AND p.kind IN ('commander', 'assistant')
               AND NOT EXISTS (SELECT 1 FROM orgs_appointment a WHERE a.position_id = p.id
                               AND (a.valid_to IS NULL OR a.valid_to >= date('now')))
               ORDER BY p.kind = 'commander' DESC, o.code, p.ordinal LIMIT 1""",
            (province,),
        ).fetchone()
    assert row, "the demo left no vacant commune position in the province"
    return str(row[0]), int(row[1]), int(row[2])


def _appoint(page: Any, base: str, db: Path) -> None:
    code, position_id, ordinal = _vacant_commune_position(db)
    name, personal_id = resident_of(db, "xa1")
    page.goto(f"{base}/cadres/positions/{code}/")
    page.select_option("#id_position", str(position_id))
    page.fill("#id_personal_id", personal_id)
    page.click("#appoint button[type=submit]")
    page.wait_for_url(re.compile(rf"/cadres/positions/{re.escape(code)}/"))
    row = page.locator(f"#position-{ordinal}")
    assert name in row.inner_text()
    # A resident with no certificates: the position's requirements are reported as gaps.
    gaps = row.locator("td.gaps").inner_text().strip()
    assert gaps, "no qualification gap shown"
    assert gaps.lower() not in {"qualified", "đạt chuẩn"}


def _record_result(page: Any, base: str) -> None:
    page.goto(f"{base}/cadres/training/")
    page.locator("a[href^='/cadres/training/sessions/']").first.click()
    page.wait_for_selector("#enrolments")
    form = page.locator("form.result-form").first
    enrolment = form.locator("xpath=ancestor::tr").get_attribute("id")
    form.locator("xpath=ancestor::details").locator("summary").click()
    form.locator("select[name=attendance]").select_option("full")
    form.locator("select[name=result]").select_option("passed")
    form.locator("input[name=score]").fill("88")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"#{enrolment}")
    row = page.locator(f"#{enrolment}")
    assert not row.locator("form.result-form").count(), "the result form is still offered"
    assert "88" in row.inner_text()


def _dashboards(page: Any, base: str, watched: re.Pattern[str]) -> None:
    page.goto(f"{base}/readiness/")
    page.wait_for_selector("#readiness-computed")
    assert "/readiness/BCHQS-" in page.url
    people = page.locator("#figure-people").inner_text()
    assert re.fullmatch(r"\d{1,3}(?:\.\d{3})*", people), people
    assert people != "0"
    # The choropleth: the province's communes arrive, and any indicator colours them.
    page.wait_for_function("() => Number(document.getElementById('map').dataset.loaded) > 0")
    page.select_option("#id_figure", "positions_filled_share")
    assert page.locator("#map-legend").inner_text().strip()
    check_style(page, watched)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "readiness-province.png"), full_page=True)
    # Drill down to the first unit below, then back up.
    below = page.locator("#readiness-table tbody a").first
    below_name = below.inner_text()
    below.click()
    page.wait_for_selector("#readiness-unit")
    assert below_name in page.locator("#readiness-unit").inner_text()
    assert page.locator("#readiness-computed").count() == 1
    check_style(page, watched)
    page.click("#readiness-up")
    page.wait_for_selector("#readiness-figures")


def test_appointment_course_result_and_dashboards(demo_server: tuple[str, Path]) -> None:
    from playwright.sync_api import sync_playwright

    base, db = demo_server
    watched = _watched_codes()
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = new_page(browser)
            log_in(page, base, PROVINCIAL)
            _appoint(page, base, db)
            _record_result(page, base)
            _dashboards(page, base, watched)
        finally:
            browser.close()
