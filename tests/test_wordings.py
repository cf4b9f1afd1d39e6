"""Every error code raised in `muster/` has a wording in English and Vietnamese, every wording
is raised somewhere, and the parameters a raise site passes fill its wording's placeholders.

The raise sites are found by reading the source (AST), not by running it: calls of
`FieldError(field, CODE, params)`, `InvalidInput.single(field, CODE, params)`, a `CodedError`
subclass `(CODE, params)` (NotFound, PermissionDenied, QuotaError …) and `problem_rows(rows,
field, CODE, …)`. A code that is not a literal is allowed only where it passes on another coded
error's code (`exc.code`) or in a module listed in TABLE_MODULES, whose every code-shaped
literal must then be worded.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import translation

from muster.core.wording import PLACEHOLDER, registry

ROOT = Path(__file__).resolve().parent.parent / "muster"
CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")
# Call → index of its code argument.
CALLS = {"FieldError": 1, "single": 1, "problem_rows": 2}
# Modules whose codes come from a table of literals (each row: a check and its code).
TABLE_MODULES = {
    "people/bulk/checks.py": "check_rows: each check of the table names its code",
    "accounts/passwords.py": "Django's validator codes mapped to ours (PASSWORD_CODES)",
    "accounts/permissions.py": "a refusal's code: PERMISSION_* by reason, or the action's own",
}


@dataclass(frozen=True)
class Site:
    where: str
    code: str | None  # None: not a literal
    params: frozenset[str] | None  # keys of a literal dict; None: not a literal dict
    passes_on: bool  # the code is another error's `.code`


def _sources() -> list[Path]:
    return [
        path
        for path in sorted(ROOT.rglob("*.py"))
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path != ROOT / "core" / "errors.py"  # the classes themselves
    ]


def _coded_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """CodedError and every class deriving from it (by name, across modules)."""
    classes = {"CodedError"}
    grew = True
    while grew:
        grew = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in classes:
                    bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
                    if bases & classes:
                        classes.add(node.name)
                        grew = True
    return classes


def _argument(call: ast.Call, index: int, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return call.args[index] if len(call.args) > index else None


def _sites() -> list[Site]:
    trees = {path: ast.parse(path.read_text(), str(path)) for path in _sources()}
    classes = _coded_classes(trees)
    sites: list[Site] = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or isinstance(node.func, ast.Starred):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name == "single" and not (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id == "InvalidInput"
            ):
                continue
            if name in CALLS:
                index = CALLS[name]
            elif name in classes and name != "CodedError":
                index = 0
            else:
                continue
            code = _argument(node, index, "code")
            params = _argument(node, index + 1, "params")
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            keys = None
            if params is None:
                keys = frozenset()
            elif isinstance(params, ast.Dict) and all(
                isinstance(k, ast.Constant) and isinstance(k.value, str) for k in params.keys
            ):
                keys = frozenset(str(k.value) for k in params.keys if isinstance(k, ast.Constant))
            # `"A" if … else "B"` raises either literal.
            choices = [code.body, code.orelse] if isinstance(code, ast.IfExp) else [code]
            for choice in choices:
                literal = isinstance(choice, ast.Constant) and isinstance(choice.value, str)
                sites.append(
                    Site(
                        where,
                        str(choice.value) if isinstance(choice, ast.Constant) and literal else None,
                        keys,
                        isinstance(choice, ast.Attribute) and choice.attr == "code",
                    )
                )
    return sites


def _table_codes() -> dict[str, str]:
    codes: dict[str, str] = {}
    for module in TABLE_MODULES:
        tree = ast.parse((ROOT / module).read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and len(node.value) >= 4
                and CODE.match(node.value)
            ):
                codes[node.value] = module
    return codes


def _literals_outside_wordings() -> set[str]:
    found: set[str] = set()
    for path in _sources():
        if path.name == "wording.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


SITES = _sites()


def test_the_scan_finds_the_raise_sites():
    assert len(SITES) > 250
    assert any(site.code == "MILITIA_AGE" for site in SITES)


def test_every_raised_code_is_a_literal_or_passed_on():
    indirect = [
        site.where
        for site in SITES
        if site.code is None
        and not site.passes_on
        and site.where.split(":")[0] not in TABLE_MODULES
    ]
    assert indirect == [], "raise a literal code (or list the module in TABLE_MODULES)"


def test_every_code_is_upper_snake():
    assert [s.where for s in SITES if s.code and not CODE.match(s.code)] == []


def test_every_raised_code_has_a_wording():
    worded = registry()
    missing = sorted(
        {f"{s.code} ({s.where})" for s in SITES if s.code and s.code not in worded}
        | {f"{c} ({m})" for c, m in _table_codes().items() if c not in worded}
    )
    assert missing == [], "add these codes to the app's wording.py"


def test_every_wording_is_raised():
    used = _literals_outside_wordings()
    unused = sorted(code for code in registry() if code not in used)
    assert unused == [], "remove these wordings (no code raises them)"


def test_the_parameters_fill_the_wording():
    worded = registry()
    wrong = []
    with translation.override("en"):
        for site in SITES:
            if site.code not in worded or site.params is None:
                continue
            needed = set(PLACEHOLDER.findall(str(worded[site.code])))
            if not needed <= site.params:
                wrong.append(f"{site.where}: {site.code} needs {sorted(needed - site.params)}")
    assert wrong == []


@pytest.mark.parametrize("code", sorted(registry()))
def test_the_wording_exists_in_both_languages(code: str) -> None:
    wording = registry()[code]
    with translation.override("en"):
        english = str(wording)
    with translation.override("vi"):
        vietnamese = str(wording)
    assert english.strip()
    assert vietnamese != english, f"{code}: no Vietnamese translation of {english!r}"
    assert set(PLACEHOLDER.findall(vietnamese)) == set(PLACEHOLDER.findall(english))
