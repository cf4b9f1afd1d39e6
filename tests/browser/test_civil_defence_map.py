"""The civil-defence map in real Chromium against the served demo: provincial staff open the 2D
map on the demo's flood (zones, exposure, shelters, means, the plan's lines, legend and scale),
draw a zone with the mouse and save it, and see the exposure of the new zone; they open the
plan of the Red River zone (tasks, what the solver assigned, lines on the map); the 3D page
draws the communes extruded. Screenshots land in var/screenshots/ (the
README's are retaken by docs/screenshots/take.py)."""

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


def _login(browser, base: str, username: str):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")
    return page


def test_province_staff_draw_a_zone_and_see_its_exposure(demo_server: tuple[str, Path]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, _db = demo_server
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = _login(browser, base, "tinh")
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{base}/map/civil-defence/")
        # The demo's flood: its zones, the exposure of the Red River zone, the register, lines.
        expect(page.locator("#cd-map")).to_have_attribute(
            "data-loaded", re.compile(r"^[1-9][0-9]*$")
        )
        assert page.locator("#cd-map path.leaflet-interactive").count() > 3
        assert page.locator("#cd-exposure-table tbody tr").count() > 1
        expect(page.locator(".leaflet-control-scale")).to_be_visible()
        expect(page.locator("#cd-legend li").first).to_be_visible()
        layers = page.locator(".leaflet-control-layers-overlays input")
        assert layers.count() == 5
        layers.nth(4).uncheck()  # the assignments off, then on again
        layers.nth(4).check()
        page.screenshot(path=str(SCREENSHOTS / "cd-map.png"))
        # Draw a zone: four corners near the map's centre, finish, name it, save.
        page.click("#cd-draw-start")
        page.locator("#cd-map").scroll_into_view_if_needed()
        box = page.locator("#cd-map").bounding_box()
        assert box is not None
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        for dx, dy in ((-60, -50), (60, -50), (70, 40), (-50, 50)):
            page.mouse.click(cx + dx, cy + dy)
        expect(page.locator("#cd-draw-status")).to_contain_text("4")
        page.click("#cd-draw-finish")
        page.fill("#cd-draw-name", "Vùng ngập vẽ tay")
        page.select_option("#cd-draw-kind", "inundation")
        page.click("#cd-draw-save")
        page.wait_for_url("**/map/civil-defence/?hazard=drawn-*")
        expect(page.locator("#exposure-heading")).to_contain_text("Vùng ngập vẽ tay")
        expect(page.locator("#cd-exposure-table tbody tr").first).to_be_visible()
        assert page.locator("#cd-total-people").inner_text().strip() != ""
        expect(page.locator("#cd-map")).to_have_attribute(
            "data-loaded", re.compile(r"^[1-9][0-9]*$")
        )
        assert not [e for e in errors if "Content Security Policy" in e], errors
        browser.close()


def test_plan_page_and_3d_map(demo_server: tuple[str, Path]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, _db = demo_server
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[*CHROMIUM_ARGS, "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
        )
        page = _login(browser, base, "tinh")
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        # The plan the demo solved for the Red River zone: tasks, resources, lines on the map.
        page.goto(f"{base}/map/civil-defence/")
        page.select_option("#id_hazard", "yagi-2024-song-hong")
        page.click("#cd-hazard-choice button")
        page.click("#cd-plan-link")
        expect(page.locator("#cd-plan-facts")).to_be_visible()
        assert page.locator("#cd-plan-table tbody tr").count() > 5
        expect(page.locator("#cd-map")).to_have_attribute(
            "data-loaded", re.compile(r"^[1-9][0-9]*$")
        )
        lines = page.locator(".leaflet-overlay-pane path.leaflet-interactive")
        assert lines.count() > 10
        page.screenshot(path=str(SCREENSHOTS / "cd-plan.png"))
        page.goto(f"{base}/map/civil-defence/3d/")
        expect(page.locator("#cd-flat, #cd-terrain")).to_have_count(1)
        expect(page.locator("#cd-map-3d")).to_have_attribute(
            "data-loaded", re.compile(r"^[1-9][0-9]*$"), timeout=60000
        )
        page.screenshot(path=str(SCREENSHOTS / "cd-map-3d.png"))
        assert not [e for e in errors if "Content Security Policy" in e], errors
        browser.close()
