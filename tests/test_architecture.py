"""The dependency direction of docs/architecture.md holds, and the page names every app."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ORDER = [
    "core",
    "audit",
    "geo",
    "orgs",
    "accounts",
    "people",
    "worklists",
    "reserve",
    "militia",
    "conscription",
    "exchange",
    "linkage",
    "restructure",
    "readiness",
    "demo",
    "web",
]


def _apps() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "muster").glob("*/apps.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m.split(".")[1] for m in found if m.startswith("muster.") and m.count(".") >= 1}


def test_every_app_has_a_place_in_the_order():
    assert sorted(ORDER) == _apps()


def test_architecture_page_names_every_app():
    page = (ROOT / "docs" / "architecture.md").read_text()
    missing = [app for app in _apps() if f"`{app}`" not in page]
    assert not missing, f"docs/architecture.md does not describe: {missing}"


@pytest.mark.parametrize("app", ORDER)
def test_no_app_imports_a_higher_one(app):
    rank = ORDER.index(app)
    offences = []
    for path in (ROOT / "muster" / app).rglob("*.py"):
        # API routers and CLI commands are the top layer (beside web), whatever app holds them.
        top_layer = path.name == "api.py" or "management" in path.parts
        if top_layer or "tests" in path.parts or "migrations" in path.parts:
            continue
        for imported in _imports(path):
            if imported in ORDER and ORDER.index(imported) > rank:
                offences.append(f"{path.relative_to(ROOT)} imports muster.{imported}")
    assert not offences, offences
