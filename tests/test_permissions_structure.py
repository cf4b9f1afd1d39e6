"""Pages, the API and the CLI neither decide permissions nor read people by themselves.

Who may do what is `accounts.permissions` (`may`, `require`); reads of personal data are the
owning app's scoped queries (`access_<thing>`, `<thing>_list`/`_page`), which log the read.
This test reads the source of every page module (`views*.py`, `views/`), API module (`api.py`)
and command (`management/`) and fails on

- a role check: `.role` or `Role.<X>` in a comparison, `.is_superuser`, a `*_ROLES` set;
- a direct read of a personal-data model: `<Model>.objects` or a reverse relation to one
  (`person.facts.all()`, `batch.orders.filter(...)`). Personal-data models are `Person` and
  every model holding a foreign key to one of them (`WorkItem`, `CallupOrder`, `Evidence` …),
  read from the app registry so a new one is covered the day it is written.

A permission check that only a page could make does not exist: add the action to
`accounts/permissions.py`. A read only a page needs goes into the app's queries, with its read
logged (`people.queries.persons_read`).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import models

from muster.people.models import Person

ROOT = Path(__file__).resolve().parents[1]
QUERYSET_METHODS = frozenset(
    {
        "all",
        "filter",
        "exclude",
        "get",
        "first",
        "last",
        "order_by",
        "select_related",
        "prefetch_related",
        "values",
        "values_list",
        "only",
        "defer",
        "annotate",
        "aggregate",
        "count",
        "exists",
        "iterator",
        "in_bulk",
        "as_of",
        "distinct",
        "none",
    }
)


def personal_models() -> set[type[models.Model]]:
    """`Person` and every model with a foreign key to a personal-data model, transitively."""
    personal: set[type[models.Model]] = {Person}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model in personal:
                continue
            for field in model._meta.get_fields():
                if field.concrete and field.is_relation and field.related_model in personal:
                    personal.add(model)
                    grew = True
                    break
    return personal


def reverse_accessors(personal: set[type[models.Model]]) -> set[str]:
    """Names of the reverse relations leading to personal-data rows (`person.facts`,
    `batch.orders`, `decision.evidence` …)."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                field.auto_created
                and not field.concrete
                and field.is_relation
                and field.related_model in personal
                and isinstance(field, models.ForeignObjectRel)
            ):
                accessor = field.get_accessor_name()
                if accessor and not accessor.endswith("+"):
                    names.add(accessor)
    return names


def surface_modules() -> list[Path]:
    """Every page, API and command module of the apps (tests and migrations aside)."""
    found = []
    for path in sorted((ROOT / "muster").rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        if (
            path.name.startswith("views")
            or "views" in parts[:-1]
            or path.name == "api.py"
            or "management" in parts
        ):
            found.append(path)
    return found


@dataclass(frozen=True)
class Offence:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def _is_role_term(node: ast.AST) -> bool:
    """`x.role`, `Role.X` or a `*_ROLES` name: what a role check compares."""
    if isinstance(node, ast.Attribute):
        if node.attr == "role":
            return True
        if isinstance(node.value, ast.Name) and node.value.id == "Role":
            return True
        return node.attr.endswith("_ROLES")
    return isinstance(node, ast.Name) and node.id.endswith("_ROLES")


def offences(
    source: str, where: str, personal_names: set[str], accessors: set[str]
) -> list[Offence]:
    """What the module `where` does that only `accounts.permissions` or a scoped query may."""
    tree = ast.parse(source, filename=where)
    found: list[Offence] = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Compare):
            terms = [node.left, *node.comparators]
            if any(_is_role_term(term) for term in terms):
                found.append(Offence(where, line, "a role check (use accounts.permissions)"))
        elif isinstance(node, ast.Attribute) and node.attr == "is_superuser":
            found.append(Offence(where, line, "is_superuser (use accounts.permissions)"))
        elif isinstance(node, ast.Name | ast.alias):
            name = node.id if isinstance(node, ast.Name) else (node.asname or node.name)
            if name.endswith("_ROLES"):
                found.append(Offence(where, line, f"{name} (use accounts.permissions)"))
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            owner = node.value
            model = (
                owner.id
                if isinstance(owner, ast.Name)
                else owner.attr
                if isinstance(owner, ast.Attribute)
                else ""
            )
            if model in personal_names:
                found.append(
                    Offence(where, line, f"{model}.objects: read people through the queries")
                )
        if (
            isinstance(node, ast.Attribute)
            and node.attr in QUERYSET_METHODS
            and isinstance(node.value, ast.Attribute)
            and node.value.attr in accessors
        ):
            found.append(
                Offence(
                    where,
                    line,
                    f".{node.value.attr}.{node.attr}: read people through the queries",
                )
            )
    return found


def _all_offences() -> list[Offence]:
    personal = personal_models()
    names = {model.__name__ for model in personal}
    accessors = reverse_accessors(personal)
    return [
        offence
        for path in surface_modules()
        for offence in offences(path.read_text(), str(path.relative_to(ROOT)), names, accessors)
    ]


def test_the_surface_is_found():
    paths = {str(p.relative_to(ROOT)) for p in surface_modules()}
    assert "muster/web/views.py" in paths
    assert "muster/conscription/views/orders.py" in paths
    assert "muster/people/api.py" in paths
    assert "muster/restructure/management/subcommands/apply.py" in paths


def test_personal_models_are_read_from_the_registry():
    names = {model.__name__ for model in personal_models()}
    assert {"Person", "ResidencePeriod", "WorkItem", "CallupOrder", "Evidence"} <= names
    assert {"MilitiaMembership", "ReviewCase", "SplitCase"} <= names
    assert "OrderBatch" not in names  # a batch names nobody; its orders do
    assert {"facts", "residences", "orders"} <= reverse_accessors(personal_models())


def test_the_scan_catches_what_it_forbids():
    sample = (
        "def page(user, batch):\n"
        "    if user.is_superuser or user.role in WRITER_ROLES:\n"
        "        pass\n"
        "    if user.role == Role.AUDITOR:\n"
        "        pass\n"
        "    people = Person.objects.filter(pk=1)\n"
        "    orders = batch.orders.select_related('person')\n"
        "    return people, orders\n"
    )
    personal = personal_models()
    names = {model.__name__ for model in personal}
    found = offences(sample, "views.py", names, reverse_accessors(personal))
    whats = [o.what for o in found]
    assert sum("role check" in w for w in whats) == 2
    assert any(w.startswith("is_superuser") for w in whats)
    assert any(w.startswith("WRITER_ROLES") for w in whats)
    assert any(w.startswith("Person.objects") for w in whats)
    assert any(w.startswith(".orders.select_related") for w in whats)


def test_no_page_api_or_command_checks_roles_or_reads_people_itself():
    found = _all_offences()
    assert not found, "\n" + "\n".join(str(o) for o in found)


def _action_names_used() -> tuple[set[str], set[str]]:
    """(actions asked about in `may`/`require` calls and `|may:"…"` template filters, every
    string constant of the code outside accounts/permissions.py)."""
    asked: set[str] = set()
    constants: set[str] = set()
    for path in (ROOT / "muster").rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts or path.name == "permissions.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            if (
                isinstance(node, ast.Call)
                and (getattr(node.func, "attr", None) or getattr(node.func, "id", None))
                in {"may", "require", "refusal"}
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
            ):
                asked.add(str(node.args[1].value))
    for template in (ROOT / "muster").rglob("*.html"):
        asked.update(re.findall(r'\|may:"([^"]+)"', template.read_text()))
    return asked, constants | asked


def test_every_action_asked_about_is_declared_and_every_declared_one_is_asked():
    from muster.accounts.permissions import ACTIONS

    asked, used = _action_names_used()
    assert asked, "the scan found no permission checks"
    assert asked <= set(ACTIONS), sorted(asked - set(ACTIONS))
    assert set(ACTIONS) <= used, f"declared but never asked: {sorted(set(ACTIONS) - used)}"


def test_the_architecture_page_lists_every_action():
    from muster.accounts.permissions import ACTIONS

    page = (ROOT / "docs" / "architecture.md").read_text()
    section = page[page.index("## Permissions") :]
    listed = set(re.findall(r"^\| `([a-z_.]+)` \|", section, flags=re.MULTILINE))
    assert listed == set(ACTIONS)
