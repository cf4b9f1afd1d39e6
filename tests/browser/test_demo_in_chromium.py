"""A person's path through the demo, in real Chromium against a real `muster serve`.

Builds a small demo database with the CLI, serves it on 127.0.0.1, logs in as a commune user,
searches a resident by a diacritic-free name, opens the record and looks at the map.
Screenshots land in var/screenshots/.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from muster.core.text import fold

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PASSWORD = "demo-browser-pw"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)"
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _muster(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "muster.cli", *args],
        env=env,
        text=True,
        capture_output=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    workdir = tmp_path_factory.mktemp("demo")
    db = workdir / "demo.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["MUSTER_VAR_DIR"] = str(workdir)
    built = _muster(
        "demo",
        "--people",
        "4000",
        "--no-serve",
        "--db",
        str(db),
        "--password",
        PASSWORD,
        "--seed",
        "7",
        env=env,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "muster.cli", "serve", "--db", str(db), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/login/", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("server did not start: " + server.stderr.read().decode()[-2000:])
            time.sleep(0.3)
    try:
        yield base, db
    finally:
        server.terminate()
        server.wait(timeout=10)


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
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
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
