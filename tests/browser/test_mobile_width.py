"""Every main page is usable on a phone (390 px wide) without scrolling the whole page sideways:
wide tables scroll inside their own box (muster.css), the page never does.

Each user of the demo visits every page of the main navigation, and the pages one step below
(a person, a commune, a call-up cycle, a militia roster, a unit below on the dashboard), in
Chromium at 390 × 844; the document's scroll width may not pass the viewport's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.conftest import SCREENSHOTS
from tests.browser.support import browser_marks, launch, log_in, new_page, resident_of

pytestmark = browser_marks()

WIDTH = 390
USERS = ("xa1", "ptkv", "tinh", "admin")
# One step below the navigation: the first link to a page of each kind.
DETAILS = (
    ("/communes/", "a[href^='/communes/'][href$='/']:not([href='/communes/'])"),
    ("/callup/cycles/", "a[href^='/callup/cycles/'][href$='/']:not([href='/callup/cycles/'])"),
    ("/militia/", "a[href^='/militia/'][href$='/']:not([href='/militia/'])"),
    ("/", "#below-table a"),
)


def _too_wide(page: Any) -> str | None:
    sizes = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth, "
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > window.innerWidth + 1 && !e.closest('table.data, .table-scroll, #map'))"
        ".slice(0, 3).map(e => e.tagName + (e.id ? '#' + e.id : '') + "
        "(e.className && typeof e.className === 'string' ? '.' + e.className : ''))]"
    )
    scroll_width, inner_width, culprits = sizes
    if scroll_width <= inner_width:
        return None
    return f"{page.url}: {scroll_width} px > {inner_width} px ({', '.join(culprits)})"


def _nav_links(page: Any) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all(
        "header.site nav a", "links => links.map(a => a.getAttribute('href'))"
    )
    return hrefs


def test_every_main_page_fits_a_phone(demo_server: tuple[str, Path]) -> None:
    from playwright.sync_api import sync_playwright

    base, db = demo_server
    _name, personal_id = resident_of(db, "xa1")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    visited = 0
    with sync_playwright() as pw:
        browser = launch(pw)
        for username in USERS:
            page = new_page(
                browser, viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True
            )
            log_in(page, base, username)
            urls = _nav_links(page)
            if username == "xa1":
                urls.append(f"/persons/{personal_id}/")
                urls.append("/persons/?q=nguyen")
            for list_url, selector in DETAILS:
                page.goto(f"{base}{list_url}")
                found = page.locator(selector).first
                if found.count():
                    urls.append(str(found.get_attribute("href")))
            for url in dict.fromkeys(urls):
                page.goto(f"{base}{url}")
                page.wait_for_load_state("networkidle")
                visited += 1
                if (problem := _too_wide(page)) is not None:
                    problems.append(f"{username} {problem}")
                    name = url.strip("/").replace("/", "_") or "dashboard"
                    page.screenshot(path=str(SCREENSHOTS / f"mobile-{username}-{name}.png"))
            page.context.close()
        browser.close()
    assert visited >= 30, visited
    assert not problems, "\n".join(problems)
