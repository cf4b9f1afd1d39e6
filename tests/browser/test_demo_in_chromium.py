"""A person's path through the demo, in real Chromium against a real `muster serve`.

Builds a small demo database with the CLI, serves it on 127.0.0.1, logs in as a commune user,
searches a resident by a diacritic-free name, opens the record and looks at the map.
Screenshots land in var/screenshots/.
"""

from __future__ import annotations

import json
import sqlite3
import time
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


def _militia_scene(db: Path, accounts_file: Path, username: str) -> tuple[str, str, str, int]:
    """xa1's commune command (code and name), a young man of the commune on no roster and
    not serving (one who may join, DQTV Art. 8(1), 10), and the command's members today."""
    accounts = {a["username"]: a for a in json.loads(accounts_file.read_text())}
    command = accounts[username]["jurisdiction_code"]
    today = time.strftime("%Y-%m-%d")
    with sqlite3.connect(db) as conn:
        name = conn.execute("SELECT name FROM orgs_orgunit WHERE code = ?", (command,)).fetchone()[
            0
        ]
        row = conn.execute(
            """SELECT p.personal_id FROM people_person p
               JOIN orgs_territory t ON t.admin_unit_id = p.residence_commune_id
               JOIN orgs_orgunit o ON o.id = t.org_unit_id
               WHERE o.code = ? AND p.sex = 'M' AND p.died_on IS NULL
                 AND p.birth_date BETWEEN date(?, '-28 years') AND date(?, '-20 years')
                 AND p.id NOT IN (SELECT person_id FROM militia_militiamembership)
                 AND p.id NOT IN (SELECT person_id FROM militia_militiadecision)
                 AND p.id NOT IN (SELECT person_id FROM conscription_servicerecord)
               ORDER BY p.personal_id LIMIT 1""",
            (command, today, today),
        ).fetchone()
        members = conn.execute(
            """SELECT COUNT(*) FROM militia_militiamembership m
               JOIN orgs_orgunit o ON o.id = m.unit_id
               WHERE o.code = ? AND m.valid_from <= ?
                 AND (m.valid_to IS NULL OR m.valid_to >= ?)""",
            (command, today, today),
        ).fetchone()[0]
    assert row, f"nobody in {command} may join"
    return command, name, row[0], int(members)


def test_commune_user_keeps_the_militia_roster(demo_server: tuple[str, Path]) -> None:
    """Issue 16: set the target one above the roster (the command's "below target" work item
    opens), join a member on a selection decision (the item closes), extend his term, release
    him with the law's code (DQTV Art. 12(1)): the item opens again."""
    from playwright.sync_api import expect, sync_playwright

    base, db = demo_server
    command, name, personal_id, members = _militia_scene(
        db, db.parent / "demo-accounts.json", "xa1"
    )
    today = time.strftime("%Y-%m-%d")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/login/")
        page.fill("#id_username", "xa1")
        page.fill("#id_password", PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/")

        def decide(prefix: str = "") -> None:
            page.fill(f"#id_{prefix}decision_number", "12/QĐ-UBND")
            page.fill(f"#id_{prefix}decided_on", today)
            page.fill(f"#id_{prefix}decided_by", "Chủ tịch UBND xã")

        def below_target_items() -> int:
            page.goto(f"{base}/worklists/?kind=militia_below_target")
            return page.locator("tbody tr", has_text=name).count()

        def member_page() -> None:
            page.goto(f"{base}/militia/{command}/")
            link = page.locator(f"#roster tr:has-text('{personal_id}') td a").first
            page.goto(f"{base}{link.get_attribute('href')}")

        page.goto(f"{base}/militia/{command}/")
        page.click("#set-target")
        page.fill("#id_size", str(members + 1))
        page.fill("#id_valid_from", today)
        page.click("#target-button")
        expect(page.locator("#saved")).to_be_visible()
        assert below_target_items() == 1
        page.screenshot(path=str(SCREENSHOTS / "militia-below-target.png"), full_page=True)

        page.goto(f"{base}/militia/{command}/")
        page.click("#add-member")
        page.fill("#id_personal_id", personal_id)
        page.select_option("#id_force_kind", "in_place")
        page.fill("#id_joined_on", today)
        decide()
        page.click("#join-button")
        expect(page.locator("#saved")).to_be_visible()
        expect(page.locator("#roster")).to_contain_text(personal_id)
        page.screenshot(path=str(SCREENSHOTS / "militia-joined.png"), full_page=True)
        assert below_target_items() == 0  # the roster reached its target: the item closed

        member_page()
        term_end = page.locator("#term-ends-on").inner_text()
        day, month, year = term_end.split("/")
        page.click("#member-extend summary")
        page.fill("#id_extend-until", f"{int(year) + 1}-{month}-{day}")
        decide("extend-")
        page.click("#extend-button")
        expect(page.locator("#saved")).to_be_visible()

        member_page()
        page.click("#member-leave summary")
        page.fill("#id_leave-left_on", today)
        page.select_option("#id_leave-reason", "released")
        page.select_option("#id_leave-ground_code", "MREL_STUDY_OR_ABROAD")
        decide("leave-")
        page.click("#leave-button")
        expect(page.locator("#saved")).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / "militia-released.png"), full_page=True)
        assert below_target_items() == 1  # below its target again
        browser.close()


def _login(page: object, base: str, username: str) -> None:
    page.goto(f"{base}/login/")  # type: ignore[attr-defined]
    page.fill("#id_username", username)  # type: ignore[attr-defined]
    page.fill("#id_password", PASSWORD)  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.wait_for_url(f"{base}/")  # type: ignore[attr-defined]


def _untrained_resident(db: Path, accounts_file: Path, username: str) -> tuple[str, str, str]:
    """A commune command of `username`'s commune and a resident of it holding no certificate
    and no position: (command code, full name, personal ID)."""
    accounts = {a["username"]: a for a in json.loads(accounts_file.read_text())}
    org_code = accounts[username]["jurisdiction_code"]
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            """SELECT p.full_name, p.personal_id FROM people_person p
               JOIN orgs_territory t ON t.admin_unit_id = p.residence_commune_id
               JOIN orgs_orgunit o ON o.id = t.org_unit_id
               WHERE o.code = ? AND p.birth_date < '2000-01-01'
                 AND p.id NOT IN (SELECT person_id FROM cadres_certificate)
                 AND p.personal_id NOT IN (SELECT holder_personal_id FROM orgs_appointment)
               ORDER BY p.personal_id LIMIT 1""",
            (org_code,),
        ).fetchone()
    assert row, f"no untrained resident in {org_code}"
    return org_code, row[0], row[1]


def _chromium(pw: object) -> object:
    return pw.chromium.launch(  # type: ignore[attr-defined]
        executable_path=str(CHROMIUM),
        args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
    )


def test_provincial_user_appoints_a_commander_and_sees_the_gap(
    demo_server: tuple[str, Path],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, db = demo_server
    code, full_name, personal_id = _untrained_resident(db, db.parent / "demo-accounts.json", "xa1")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = _chromium(pw)
        page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        _login(page, base, "tinh")
        page.goto(f"{base}/cadres/")
        page.locator(f"a[href='/cadres/positions/{code}/']").click()
        expect(page.locator("#positions")).to_be_visible()
        page.select_option("#id_position", index=0)  # the commander
        page.fill("#id_personal_id", personal_id)
        page.locator("#appoint button[type=submit]").click()
        page.wait_for_url(f"{base}/cadres/positions/{code}/")
        expect(page.locator("#position-1")).to_contain_text(full_name)
        # The warning names the unmet standards; the row lists them, the rule code on hover.
        expect(page.locator(".messages, [role=status], [role=alert]").first).to_contain_text("DQTV")
        expect(page.locator("#position-1 abbr[title=CADRE_GM_TRAINING]")).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / "cadres-appointment.png"), full_page=True)
        browser.close()  # type: ignore[attr-defined]


def test_provincial_user_enrols_a_cadre_and_records_a_result(
    demo_server: tuple[str, Path],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, db = demo_server
    _code, full_name, personal_id = _untrained_resident(db, db.parent / "demo-accounts.json", "xa2")
    with sync_playwright() as pw:
        browser = _chromium(pw)
        page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        _login(page, base, "tinh")
        page.goto(f"{base}/cadres/training/")
        page.locator("#courses a[href*='/cadres/training/sessions/']").first.click()
        page.fill("#id_personal_id", personal_id)
        page.locator("#enrol button[type=submit]").click()
        row = page.locator("#enrolments tr", has_text=full_name)
        expect(row).to_be_visible()
        row.locator("summary").click()
        row.locator("select[name=attendance]").select_option("full")
        row.locator("select[name=result]").select_option("passed")
        row.locator("input[name=score]").fill("88")
        row.locator("button[type=submit]").click()
        row = page.locator("#enrolments tr", has_text=full_name)
        expect(row).to_contain_text("Đạt")
        expect(row).to_contain_text("88,00")
        page.screenshot(path=str(SCREENSHOTS / "cadres-result.png"), full_page=True)
        browser.close()  # type: ignore[attr-defined]
