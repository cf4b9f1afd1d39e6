"""The civil-defence register in real Chromium against the served demo: a commune officer
opens the shelters from the civil-defence pages, adds a shelter on its form (its place left
empty: the commune's centre), comes back to the list and finds it there, opens it again and
sees the form refuse a capacity of 0 beside the field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD, SCREENSHOTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)"
    ),
]


def test_a_commune_officer_adds_a_shelter_and_sees_it_listed(
    demo_server: tuple[str, Path],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, _db = demo_server
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/login/")
        page.fill("#id_username", "xa1")
        page.fill("#id_password", PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/")
        page.goto(f"{base}/civil-defence/")
        page.click("#cd-subnav a[href='/civil-defence/shelters/']")
        page.click("#cd-shelter-add a")
        page.wait_for_url(f"{base}/civil-defence/shelters/new/")
        page.fill("#id_code", "BROWSER-NVH-1")
        page.select_option("#id_kind", "community_house")
        page.fill("#id_name", "Nhà văn hoá thôn thử nghiệm")
        page.fill("#id_capacity", "140")
        page.screenshot(path=str(SCREENSHOTS / "cd-shelter-form.png"))
        page.click("#cd-place-save")
        page.wait_for_url(f"{base}/civil-defence/shelters/")
        row = page.locator("#cd-shelters tbody tr", has_text="Nhà văn hoá thôn thử nghiệm")
        expect(row).to_have_count(1)
        expect(row.locator("td.num")).to_have_text(re.compile(r"^\s*140\s*$"))
        page.screenshot(path=str(SCREENSHOTS / "cd-shelters.png"))
        # Opened again from the list, a capacity of 0 is refused beside its field.
        row.locator("a").click()
        page.wait_for_url(f"{base}/civil-defence/shelters/BROWSER-NVH-1/")
        page.fill("#id_capacity", "0")
        page.click("#cd-place-save")
        expect(page.locator("#id_capacity_error")).to_contain_text("1")
        expect(page.locator("#form-errors")).to_be_visible()
        browser.close()
