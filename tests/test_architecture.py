"""The dependency direction of docs/architecture.md holds, for the code and for each app's tests;
the page names every app; no module outside tests and migrations is longer than MAX_LINES."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

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
