"""Who writes which app's tables, read from the source (for `test_architecture`).

A write is an ORM call that changes rows (`.save()`, `.create()`, `.update()`, `.delete()`,
`bulk_create`, `bulk_update`, `get_or_create`, `update_or_create`) whose receiver goes back to a
model class — named directly (`Person.objects.filter(…).update(…)`), or through a variable bound
to one (`rows = Territory.objects.filter(…)`, `for org in OrgUnit.objects…`, `user: User`) —
or SQL text that inserts into, updates, deletes from, copies into or truncates a table: string
literals, f-strings, `+`, `str.format` and psycopg's `sql.SQL(…).format(sql.Identifier(…))`,
with table names taken from literals, `Model._meta.db_table` and constants (also imported ones).
The model's app comes from the imports; the table's from Django's registry (`<app>_<model>`;
a `…__swap` staging copy belongs to its table's app). What cannot be resolved statically (a
related manager, a table name passed in by the caller) is not reported: best effort, no noise.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]
ORM_WRITES = frozenset(
    {
        "save",
        "create",
        "update",
        "delete",
        "bulk_create",
        "bulk_update",
        "get_or_create",
        "update_or_create",
    }
)
# Attributes of a model class that lead to its own rows (managers), not to a related model's.
MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
SQL_WRITE = re.compile(
    r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY|TRUNCATE(?:\s+TABLE)?|MERGE\s+INTO)"
    r"\s+(?:ONLY\s+)?\"?([A-Za-z_][A-Za-z0-9_]*)\"?",
    re.IGNORECASE,
)
SWAP_SUFFIX = "__swap"
UNKNOWN = "\x00"  # a piece of SQL text that could not be resolved


@dataclass(frozen=True)
class Write:
    path: str  # relative to the repository root
    line: int
    app: str  # whose table it writes
    what: str  # "Person.objects….update()" or "UPDATE people_person"

    def __str__(self) -> str:
        return f"{self.path}:{self.line} writes {self.app}'s tables ({self.what})"


@cache
def _registry() -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    """(module, class name) → app label, and db table → app label, for Muster's models."""
    classes: dict[tuple[str, str], str] = {}
    tables: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        if not model.__module__.startswith("muster."):
            continue
        classes[(model.__module__, model.__name__)] = model._meta.app_label
        tables[model._meta.db_table.lower()] = model._meta.app_label
    return classes, tables


def table_app(name: str) -> str | None:
    name = name.lower()
    if name.endswith(SWAP_SUFFIX):
        name = name[: -len(SWAP_SUFFIX)]
    return _registry()[1].get(name)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _module_path(module: str) -> Path | None:
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


class _Module:
    """One source file: what its names stand for (model classes, SQL text constants)."""

    def __init__(self, path: Path, source: str | None = None) -> None:
        self.path = path
        self.name = _module_name(path)
        self.tree = ast.parse(path.read_text() if source is None else source)
        self.models: dict[str, str] = {}  # local name → app of the model class it names
        self.imported: dict[str, tuple[str, str]] = {}  # local name → (module, name)
        self.constants: dict[str, ast.expr] = {}
        classes = _registry()[0]
        package = self.name if path.name == "__init__.py" else self.name.rpartition(".")[0]
        for node in self.tree.body:
            if isinstance(node, ast.ImportFrom):
                source = _absolute(node, package)
                for alias in node.names:
                    local = alias.asname or alias.name
                    self.imported[local] = (source, alias.name)
                    if (source, alias.name) in classes:
                        self.models[local] = classes[(source, alias.name)]
            elif isinstance(node, ast.ClassDef) and (self.name, node.name) in classes:
                self.models[node.name] = classes[(self.name, node.name)]
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name):
                    self.constants[target.id] = node.value
                    if _calls(node.value, "get_user_model"):
                        self.models[target.id] = "accounts"
            elif (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and node.value is not None
            ):
                self.constants[node.target.id] = node.value

    def constant_text(self, name: str, depth: int = 0) -> str | None:
        """The SQL text a module-level name stands for, following imports."""
        if depth > 4:
            return None
        if name in self.constants:
            return self.text(self.constants[name], {}, depth + 1)
        if name in self.imported:
            source, original = self.imported[name]
            other = _parsed(source)
            if other is not None:
                return other.constant_text(original, depth + 1)
        return None

    def text(self, node: ast.AST, local: dict[str, ast.expr], depth: int = 0) -> str | None:
        """`node` as SQL text with every resolvable name filled in (UNKNOWN elsewhere)."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            return "".join(
                self.text(part.value, local, depth) or UNKNOWN
                if isinstance(part, ast.FormattedValue)
                else (self.text(part, local, depth) or "")
                for part in node.values
            )
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.text(node.left, local, depth), self.text(node.right, local, depth)
            return (
                None if left is None and right is None else (left or UNKNOWN) + (right or UNKNOWN)
            )
        if isinstance(node, ast.Name):
            if node.id in local and depth < 6:
                return self.text(local[node.id], {}, depth + 1)
            return self.constant_text(node.id, depth)
        if isinstance(node, ast.Attribute) and node.attr == "db_table":
            owner = node.value
            if isinstance(owner, ast.Attribute) and owner.attr == "_meta":
                return self._model_table(owner.value)
        if isinstance(node, ast.Call):
            return self._call_text(node, local, depth)
        return None

    def _model_table(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name) and node.id in self.models:
            model = _model_class(self, node.id)
            return model._meta.db_table if model is not None else None
        return None

    def _call_text(self, node: ast.Call, local: dict[str, ast.expr], depth: int) -> str | None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "format":
            template = self.text(func.value, local, depth)
            if template is None:
                return None
            args = [self.text(a, local, depth) or UNKNOWN for a in node.args]
            named = {k.arg: self.text(k.value, local, depth) or UNKNOWN for k in node.keywords}
            return _fill(template, args, named)
        if isinstance(func, ast.Attribute) and func.attr == "join":
            return UNKNOWN
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in ("SQL", "Identifier", "Literal") and node.args:
            return self.text(node.args[0], local, depth)
        if name == "staging" and node.args:  # TableSwap.staging(table): its swap copy
            table = self.text(node.args[0], local, depth)
            return None if table is None else table + SWAP_SUFFIX
        return None


def _fill(template: str, args: list[str], named: dict[str | None, str]) -> str:
    position = iter(args)

    def one(match: re.Match[str]) -> str:
        key = match.group(1)
        if key == "":
            return next(position, UNKNOWN)
        if key.isdigit():
            return args[int(key)] if int(key) < len(args) else UNKNOWN
        return named.get(key, UNKNOWN)

    return re.sub(
        r"\{(\w*)(?:![rsa])?(?::[^{}]*)?\}", one, template.replace("{{", "(").replace("}}", ")")
    )


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    base = package.split(".")
    if node.level > 1:
        base = base[: -(node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _calls(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "id", None) == name


@cache
def _parsed(module: str) -> _Module | None:
    path = _module_path(module)
    return _Module(path) if path is not None and module.startswith("muster") else None


def _reexported(module: _Module) -> None:
    """Models imported from a module that re-exports them (`from muster.x import Model`)."""
    for local, (source, original) in module.imported.items():
        if local in module.models or not source.startswith("muster.") or source == module.name:
            continue
        other = _parsed(source)
        if other is not None and original in other.models:
            module.models[local] = other.models[original]


def _model_class(module: _Module, name: str) -> type | None:
    app = module.models[name]
    _source, original = module.imported.get(name, (module.name, name))
    for model in apps.get_app_config(app).get_models(include_auto_created=True):
        if model.__name__ == original:
            return model
    return None


def _chain_root(node: ast.expr) -> tuple[ast.expr, bool]:
    """The expression a method chain starts from, and whether the chain stays on that model's
    own rows (managers and method calls only — no related manager or field in between)."""
    own = True
    while True:
        if isinstance(node, ast.Call):
            node = node.func
            if isinstance(node, ast.Attribute):
                node = node.value  # a method called: its receiver
            continue
        if isinstance(node, ast.Attribute):
            if node.attr not in MANAGERS:
                own = False  # `person.militia_periods`: another table
            node = node.value
            continue
        if isinstance(node, ast.Subscript):
            node = node.value
            continue
        return node, own


class _Writes(ast.NodeVisitor):
    def __init__(self, module: _Module, relative: str) -> None:
        self.module = module
        self.relative = relative
        self.found: list[Write] = []
        self.scopes: list[dict[str, ast.expr]] = [{}]  # name → what it was bound to
        self.annotated: list[dict[str, str]] = [{}]  # parameter → app of its model annotation

    # -- bindings ----------------------------------------------------------------------------
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        bound: dict[str, ast.expr] = {}
        params: dict[str, str] = {}
        arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        for arg in arguments:
            app = self._annotation_app(arg.annotation)
            if app:
                params[arg.arg] = app
        for inner in ast.walk(node):
            if isinstance(inner, ast.Assign):
                for target in inner.targets:
                    if isinstance(target, ast.Name):
                        bound.setdefault(target.id, inner.value)
            elif isinstance(inner, ast.AnnAssign) and isinstance(inner.target, ast.Name):
                if inner.value is not None:
                    bound.setdefault(inner.target.id, inner.value)
                app = self._annotation_app(inner.annotation)
                if app:
                    params[inner.target.id] = app
            elif isinstance(inner, (ast.For, ast.comprehension)) and isinstance(
                inner.target, ast.Name
            ):
                bound.setdefault(inner.target.id, inner.iter)
        self.scopes.append(bound)
        self.annotated.append(params)
        self.generic_visit(node)
        self.scopes.pop()
        self.annotated.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def _annotation_app(self, annotation: ast.expr | None) -> str | None:
        """The app of a model an annotation names: `Model`, `Model | None`, `"Model"`,
        `QuerySet[Model]` — not containers (`dict[int, Model]` has its own `update`)."""
        if annotation is None:
            return None
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                annotation = ast.parse(annotation.value, mode="eval").body
            except SyntaxError:
                return None
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            return self._annotation_app(annotation.left) or self._annotation_app(annotation.right)
        if isinstance(annotation, ast.Subscript):
            wrapper = annotation.value
            name = (
                wrapper.attr if isinstance(wrapper, ast.Attribute) else getattr(wrapper, "id", "")
            )
            if name in ("QuerySet", "Manager", "Optional"):
                return self._annotation_app(annotation.slice)
            return None
        if isinstance(annotation, ast.Name):
            return self.module.models.get(annotation.id)
        return None

    def _local(self) -> dict[str, ast.expr]:
        merged: dict[str, ast.expr] = {}
        for scope in self.scopes:
            merged.update(scope)
        return merged

    def _model_app(self, node: ast.expr, depth: int = 0) -> str | None:
        """The app of the model whose rows `node` (a chain root) stands for."""
        if depth > 5:
            return None
        if isinstance(node, ast.Call):
            if _calls(node, "get_user_model"):
                return "accounts"
            if (
                getattr(node.func, "id", None) in ("list", "sorted", "iter", "reversed")
                and node.args
            ):
                root, own = _chain_root(node.args[0])
                return self._model_app(root, depth + 1) if own else None
            root, own = _chain_root(node)
            return self._model_app(root, depth + 1) if own and root is not node else None
        if not isinstance(node, ast.Name):
            root, own = _chain_root(node)
            return self._model_app(root, depth + 1) if own and root is not node else None
        if node.id in self.module.models:
            return self.module.models[node.id]
        for params in reversed(self.annotated):
            if node.id in params:
                return params[node.id]
        bound = self._local().get(node.id)
        if bound is not None:
            root, own = _chain_root(bound)
            return self._model_app(root, depth + 1) if own else None
        return None

    # -- writes ------------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ORM_WRITES:
            root, own = _chain_root(func.value)
            app = self._model_app(root) if own else None
            if app:
                self._add(node, app, f"{ast.unparse(func)[:60]}()")
        text = self.module.text(node, self._local()) if _is_sql_call(node) else None
        if text:
            self._sql(node, text)
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            self._sql(node, node.value)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        self._sql(node, self.module.text(node, self._local()) or "")
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if isinstance(node.op, ast.Add):
            self._sql(node, self.module.text(node, self._local()) or "")
        self.generic_visit(node)

    def _sql(self, node: ast.AST, text: str) -> None:
        for match in SQL_WRITE.finditer(text):
            app = table_app(match.group(1))
            if app:
                self._add(node, app, " ".join(match.group(0).split()))

    def _add(self, node: ast.AST, app: str, what: str) -> None:
        write = Write(self.relative, getattr(node, "lineno", 0), app, what)
        if write not in self.found:
            self.found.append(write)


def _is_sql_call(node: ast.Call) -> bool:
    func = node.func
    return isinstance(func, ast.Attribute) and func.attr == "format"


def writes(path: Path, source: str | None = None) -> Iterator[Write]:
    """Every write in the file at `path` (or in `source`, read as that file) whose table's app
    could be resolved."""
    module = _Module(path, source)
    _reexported(module)
    visitor = _Writes(module, str(path.relative_to(ROOT)))
    visitor.visit(module.tree)
    yield from visitor.found
