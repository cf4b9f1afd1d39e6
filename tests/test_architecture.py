"""The dependency direction of docs/architecture.md holds, for the code and for each app's tests;
the page names every app; no module outside tests and migrations is longer than MAX_LINES."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests import write_owners

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "architecture.md"
# Past this a module becomes a package (docs/architecture.md, CONTRIBUTING.md).
MAX_LINES = 700
# Trees held to MAX_LINES; tests and migrations inside them are not.
SIZED = ("muster", "config", "bench", "sandbox")


def _documented_order() -> list[str]:
    """The apps in the order of the page's block `core → audit → …` (continued on lines that
    start with `→`)."""
    lines = PAGE.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"\s+core\s+→", line))
    chained = [lines[start]]
    for line in lines[start + 1 :]:
        if not re.match(r"\s+→", line):
            break
        chained.append(line)
    return [name.strip() for name in " ".join(chained).split("→") if name.strip()]


ORDER = _documented_order()


def _apps() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "muster").glob("*/apps.py"))


def _imports(path: Path) -> set[str]:
    """The Muster apps `path` imports (`muster.<app>…`, or `from muster import <app>`)."""
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            if node.module == "muster":
                found.update(f"muster.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m.split(".")[1] for m in found if m.startswith("muster.") and m.count(".") >= 1}


def _top_layer(path: Path) -> bool:
    """API routers and CLI commands are the top layer (beside web), whatever app holds them;
    so are their tests (`test_api*.py`, `test_cli*.py`), which drive the whole stack."""
    return (
        path.name == "api.py"
        or "management" in path.parts
        or ("tests" in path.parts and path.name.startswith(("test_api", "test_cli")))
    )


def test_the_order_is_read_from_the_page():
    assert ORDER[:2] == ["core", "audit"]
    assert ORDER[-1] == "web"
    assert len(ORDER) == len(set(ORDER))


def test_every_app_has_a_place_in_the_order():
    assert sorted(ORDER) == _apps()


def test_architecture_page_names_every_app():
    page = PAGE.read_text()
    missing = [app for app in _apps() if f"`{app}`" not in page]
    assert not missing, f"docs/architecture.md does not describe: {missing}"


@pytest.mark.parametrize("app", ORDER)
def test_no_app_imports_a_higher_one(app):
    """Code and the app's own tests alike (tests/ at the root, bench/ and sandbox/ sit outside)."""
    rank = ORDER.index(app)
    offences = []
    for path in (ROOT / "muster" / app).rglob("*.py"):
        path = path.relative_to(ROOT)
        if _top_layer(path) or "migrations" in path.parts:
            continue
        for imported in _imports(ROOT / path):
            if imported in ORDER and ORDER.index(imported) > rank:
                offences.append(f"{path} imports muster.{imported}")
    assert not offences, offences


def test_no_module_is_longer_than_the_limit():
    long = []
    for tree in SIZED:
        for path in (ROOT / tree).rglob("*.py"):
            if {"tests", "migrations"} & set(path.relative_to(ROOT).parts):
                continue
            lines = len(path.read_text().splitlines())
            if lines > MAX_LINES:
                long.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert not long, f"split into a package past {MAX_LINES} lines: {long}"


def _app_of(path: Path) -> str:
    return path.relative_to(ROOT / "muster").parts[0]


def test_writes_only_in_their_owner():
    """A module writes its own app's tables only: another app's records change through that
    app's `actions` or `bulk` (docs/architecture.md, "Writes only in their owner")."""
    offences = []
    for path in sorted((ROOT / "muster").rglob("*.py")):
        if {"tests", "migrations"} & set(path.relative_to(ROOT).parts):
            continue
        app = _app_of(path)
        offences += [str(w) for w in write_owners.writes(path) if w.app != app]
    assert not offences, "write through the owning app's actions/bulk:\n" + "\n".join(offences)


_EVERY_FORM = """
from django.db import connection
from psycopg import sql
from muster.militia.models import MilitiaMembership
from muster.orgs.models import OrgUnit, Territory
from muster.people.models import Person
from muster.people.bulk import RESIDENCE

PERSON = Person._meta.db_table
TERRITORY = "orgs_territory"


def orm(unit: OrgUnit, person: Person | None) -> None:
    OrgUnit.objects.filter(pk=1).update(name="x")
    rows = Territory.objects.filter(org_unit=unit)
    rows.delete()
    for member in MilitiaMembership.objects.filter(unit=unit):
        member.save()
    unit.save()
    person.militia_periods.all().delete()  # a related manager: not resolved, not reported
    counts: dict[int, int] = {}
    counts.update({1: 2})  # a dict, not a model


def raw(cursor, swap) -> None:
    cursor.execute(f"UPDATE {PERSON} SET full_name = %s", ["x"])
    cursor.execute("DELETE FROM " + TERRITORY)
    cursor.execute(f"INSERT INTO {RESIDENCE} (person_id) SELECT 1")
    cursor.execute(sql.SQL("INSERT INTO {} SELECT 1").format(sql.Identifier(PERSON)))
    cursor.execute(sql.SQL("INSERT INTO {} SELECT 1").format(swap.staging(TERRITORY)))
    cursor.execute("SELECT 1 FROM people_person FOR UPDATE")
"""


def test_the_write_scan_sees_each_form():
    """The scan behind `test_writes_only_in_their_owner` finds writes in every form the code
    uses, resolving models and table names through imports and constants."""
    found = sorted(
        (w.line, w.app, w.what)
        for w in write_owners.writes(ROOT / "muster" / "core" / "example.py", _EVERY_FORM)
    )
    lines = _EVERY_FORM.splitlines()

    def line(text: str) -> int:
        return next(i for i, s in enumerate(lines, start=1) if text in s)

    assert found == sorted(
        [
            (line("OrgUnit.objects.filter"), "orgs", "OrgUnit.objects.filter(pk=1).update()"),
            (line("rows.delete()"), "orgs", "rows.delete()"),
            (line("member.save()"), "militia", "member.save()"),
            (line("unit.save()"), "orgs", "unit.save()"),
            (line("UPDATE {PERSON}"), "people", "UPDATE people_person"),
            (line('"DELETE FROM "'), "orgs", "DELETE FROM orgs_territory"),
            (line("INSERT INTO {RESIDENCE}"), "people", "INSERT INTO people_residenceperiod"),
            (line("sql.Identifier(PERSON)"), "people", "INSERT INTO people_person"),
            (line("swap.staging"), "orgs", "INSERT INTO orgs_territory__swap"),
        ]
    )
