"""A commune officer's working day, in Chromium against the demo: the dashboard, a worklist item,
the person, recording what the item asks for (his first registration), the item closing itself,
and the list exported — checking on every page visited that people read one style: no ISO date
(YYYY-MM-DD), no raw status code, numbers grouped 1.234.567.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from muster.core.labels import codes, known_codes
from tests.browser.conftest import SCREENSHOTS
from tests.browser.support import accounts, browser_marks, launch, log_in, new_page

pytestmark = browser_marks()

ISO_DATE = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")
# A number grouped the English way (1,234) or not at all (12345) where a figure is shown.
COMMA_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])")
GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})*(?:,\d+)?%?$")
KIND = "due_first_registration"


def _watched_codes() -> re.Pattern[str]:
    """The codes a label table knows that look like codes (as tests/test_no_raw_codes.py)."""

    def code_shaped(code: str) -> bool:
        return bool(
            re.fullmatch(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+", code)
            or re.fullmatch(r"[a-z][a-z0-9]*(?:[._][a-z0-9]+)+", code)
        )

    # The register's source codes too, but "demo", which is also a word of the demo's own text
    # (the simulated-clock banner).
    sources = {c for c in codes("person_source") if c != "demo"}
    watched = {c for c in known_codes() if code_shaped(c)} | sources
    alternatives = "|".join(re.escape(c) for c in sorted(watched, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])")


def check_style(page: Any, watched: re.Pattern[str]) -> None:
    """The visible text of `page`: dd/mm/yyyy dates, words for codes, 1.234.567 numbers."""
    text: str = page.evaluate("() => document.body.innerText")
    where = page.url
    assert not ISO_DATE.findall(text), f"{where}: ISO dates {ISO_DATE.findall(text)[:3]}"
    assert not watched.findall(text), f"{where}: raw codes {watched.findall(text)[:3]}"
    assert not COMMA_GROUPED.findall(text), f"{where}: 1,234 numbers"
    figures: list[str] = page.eval_on_selector_all(
        "td.num, .figures dd, .count",
        "cells => cells.map(c => (c.firstChild && c.firstChild.textContent || '').trim())",
    )
    for figure in figures:
        for part in re.findall(r"[\d.,]+%?", figure):
            assert GROUPED.match(part), f"{where}: the figure {figure!r} is not 1.234.567"


def _officer_with_work(db: Path) -> tuple[str, str]:
    """A demo commune user with an open first-registration item in his commune, and the
    commune's code (the demo's busiest communes have some; else the area user)."""
    users = accounts(db)
    with sqlite3.connect(db) as conn:
        for username in ("xa1", "xa2", "ptkv"):
            code = users[username]["jurisdiction_code"]
            row = conn.execute(
                """SELECT a.code FROM worklists_workitem w
                   JOIN geo_adminunit a ON a.id = w.commune_id
                   JOIN orgs_territory t ON t.admin_unit_id = w.commune_id
                   JOIN orgs_orgunit o ON o.id = t.org_unit_id
                   WHERE o.code = ? AND w.kind = ? AND w.resolved_at IS NULL
                   ORDER BY w.due_on LIMIT 1""",
                (code, KIND),
            ).fetchone()
            if row:
                return username, row[0]
    raise AssertionError("no open first-registration item for the demo's users")


def test_a_commune_officers_day(demo_server: tuple[str, Path]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, db = demo_server
    username, _commune = _officer_with_work(db)
    watched = _watched_codes()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = launch(pw)
        page = new_page(browser, viewport={"width": 1280, "height": 900}, accept_downloads=True)
        log_in(page, base, username)

        # The dashboard opens on the work.
        row = page.locator(f"#work-{KIND}")
        expect(row).to_be_visible()
        check_style(page, watched)
        before = int(row.locator("td.num").first.inner_text().replace(".", ""))
        assert before >= 1
        row.locator("a").click()

        # The worklist, filtered to that kind: the first item's person.
        page.wait_for_url(re.compile(rf"/worklists/\?kind={KIND}"))
        expect(page.locator("#worklist-table tbody tr[id^='work-item-']").first).to_be_visible()
        check_style(page, watched)
        item = page.locator("#worklist-table tbody tr[id^='work-item-']").first
        item_id = item.get_attribute("id")
        worklist_url = page.url
        item.locator("td a").first.click()

        # The person: record his first registration in the military-service section.
        page.wait_for_url(re.compile(r"/persons/\d{12}/"))
        section = page.locator("#service-registration")
        expect(section).to_be_attached(timeout=15000)
        check_style(page, watched)
        section.locator("summary").click()
        section.locator("select[name=reg-kind]").select_option("first")
        section.locator("input[name=reg-registered_on]").fill(date.today().isoformat())
        section.locator("button[type=submit]").click()
        expect(page.locator("#service-section")).to_contain_text(
            "Đã ghi nhận đăng ký.", timeout=15000
        )
        check_style(page, watched)

        # Back on the worklist: the item closed itself; the dashboard counts one fewer.
        page.goto(worklist_url)
        expect(page.locator(f"#{item_id}")).to_have_count(0)
        check_style(page, watched)
        with page.expect_download() as waiting:
            page.locator("#export-csv").click()
        download = waiting.value
        exported = Path(download.path()).read_text(encoding="utf-8-sig")
        assert exported.count("\n") >= 1
        assert not ISO_DATE.search(exported), "the page's CSV keeps the page's dates"
        page.goto(f"{base}/")
        after = int(page.locator(f"#work-{KIND} td.num").first.inner_text().replace(".", ""))
        assert after == before - 1
        page.screenshot(path=str(SCREENSHOTS / "officer-day-dashboard.png"), full_page=True)
        page.context.close()
        browser.close()
