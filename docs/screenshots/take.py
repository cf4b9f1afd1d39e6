"""Retake the README's screenshots from a demo database, in Chromium (Playwright).

    .venv/bin/muster demo --no-serve --db var/shots.sqlite3 --password demo-screens-pw
    .venv/bin/python docs/screenshots/take.py --db var/shots.sqlite3 --password demo-screens-pw

Serves the database with `muster serve` on a free port, logs in as the demo's users (the
accounts file beside the database) and writes docs/screenshots/*.png: the dashboard, a worklist,
a person page, the call-up, a militia roster, the map, and civil defence: the flood on the 2D
map, the same in 3D (WebGL through SwiftShader) and the exercise with its review.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT = 1280, 860


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "muster.cli", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/login/", timeout=2):
                return server, base
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("muster serve did not answer")


def log_in(page: Any, base: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")


def shoot(page: Any, name: str, *, full: bool = False, element: str | None = None) -> None:
    page.wait_for_load_state("networkidle")
    path = HERE / f"{name}.png"
    if element:
        page.locator(element).screenshot(path=str(path))
    else:
        page.screenshot(path=str(path), full_page=full)
    print(f"wrote {path.relative_to(HERE.parents[1])}")


def first_href(page: Any, selector: str) -> str:
    href = page.locator(selector).first.get_attribute("href")
    if not href:
        raise SystemExit(f"no link {selector} on {page.url}")
    return str(href)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--password", required=True)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    stem = args.db.with_suffix("")
    accounts_file = args.db.parent / f"{stem.name}-accounts.json"
    if not accounts_file.exists():
        accounts_file = args.db.parent / "demo-accounts.json"
    accounts = {a["username"]: a for a in json.loads(accounts_file.read_text())}
    server, base = serve(args.db)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
            )
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            # A commune officer's morning: the dashboard, the worklist, a person, the roster.
            log_in(page, base, "xa1", args.password)
            shoot(page, "dashboard", full=True)
            page.click("#work-due_first_registration a")
            shoot(page, "worklists")
            page.goto(base + first_href(page, "#worklist-table tbody td a"))
            page.wait_for_selector("#service-section table, #service-section h2", timeout=20000)
            shoot(page, "person")
            page.goto(f"{base}/militia/{accounts['xa1']['jurisdiction_code']}/")
            shoot(page, "militia")
            # The province: the call-up cycle and the map of its communes.
            log_in(page, base, "tinh", args.password)
            page.goto(f"{base}/callup/cycles/")
            page.goto(
                base + first_href(page, "main a[href^='/callup/cycles/']:not([href$='/new/'])")
            )
            shoot(page, "callup")
            page.goto(f"{base}/")
            page.wait_for_selector("#map .leaflet-interactive", timeout=30000)
            shoot(page, "map", element="#map")
            # Civil defence: the demo's flood on the Red River, in 2D and 3D; the exercise.
            page.goto(f"{base}/map/civil-defence/?hazard=yagi-2024-song-hong")
            page.wait_for_selector("#cd-map[data-loaded]", timeout=30000)
            page.locator("#cd-map").scroll_into_view_if_needed()
            shoot(page, "civil-defence-map")
            page.goto(f"{base}/map/civil-defence/3d/?hazard=yagi-2024-song-hong")
            page.wait_for_selector("#cd-map-3d[data-loaded]", timeout=60000)
            page.locator("#cd-map-3d").scroll_into_view_if_needed()
            shoot(page, "civil-defence-3d")
            page.goto(f"{base}/exercises/")
            page.goto(base + first_href(page, "#exercises tbody a"))
            shoot(page, "exercise")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=15)


if __name__ == "__main__":
    main()
