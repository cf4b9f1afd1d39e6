"""Rewrite whole PostgreSQL tables and swap them in, inside the caller's transaction.

Updating a million rows in place costs one new tuple plus one entry in every index per row;
writing a fresh copy without indexes and building each index once (a sort) costs a fraction.
`TableSwap` does that for a group of tables: a staging copy of each (`LIKE … INCLUDING ALL`
without indexes, identity or statistics), filled by the caller with INSERT … SELECT; then the
old tables are dropped and the copies renamed, and everything the catalog said about the old
ones is put back under the same names: indexes (their `pg_get_indexdef`), primary key / unique
/ exclusion constraints, foreign keys in and out (from `pg_constraint`, validated again), the
identity sequence (same name and position) or an owned serial sequence, owner, grants, comment.
Check constraints, defaults, collations and column comments come with `LIKE`.

PostgreSQL DDL is transactional: a failure or a kill at any point rolls all of it back.
What cannot be carried over generically (triggers, rules, dependent views, row security,
publications, extended statistics, inheritance, per-column settings, clustered or replica
identity indexes, other tablespaces, comments on indexes or constraints, grants on the identity
sequence) makes `unsupported` name it, and callers take their
row-by-row path instead; the final DROP is RESTRICT, so an unforeseen dependent aborts the swap.

It lives in core so that each app rewrites only its own tables with it: the restructure engine
its journal, a restructuring participant its records (`people.bulk.restructure`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from psycopg import sql

SUFFIX = "__swap"

# (what, query naming the offenders); %(t)s is the table's regclass.
_BLOCKERS: tuple[tuple[str, str], ...] = (
    ("trigger", "SELECT tgname FROM pg_trigger WHERE tgrelid = %(t)s AND NOT tgisinternal"),
    ("rule", "SELECT rulename FROM pg_rewrite WHERE ev_class = %(t)s"),
    (
        "dependent view",
        "SELECT DISTINCT w.ev_class::regclass::text FROM pg_depend d "
        "JOIN pg_rewrite w ON w.oid = d.objid "
        "WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = %(t)s",
    ),
    ("row security policy", "SELECT polname FROM pg_policy WHERE polrelid = %(t)s"),
    (
        "publication",
        "SELECT p.pubname FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid "
        "WHERE r.prrelid = %(t)s",
    ),
    ("extended statistics", "SELECT stxname FROM pg_statistic_ext WHERE stxrelid = %(t)s"),
    (
        "inheritance",
        "SELECT inhrelid::regclass::text FROM pg_inherits "
        "WHERE inhparent = %(t)s OR inhrelid = %(t)s",
    ),
    (
        "table kind or storage",
        "SELECT relname FROM pg_class WHERE oid = %(t)s AND (relkind <> 'r' "
        "OR relpersistence <> 'p' OR reltablespace <> 0 OR relrowsecurity "
        "OR relreplident <> 'd')",
    ),
    (
        "column setting",
        "SELECT attname FROM pg_attribute WHERE attrelid = %(t)s AND attnum > 0 "
        "AND NOT attisdropped AND (attstattarget >= 0 OR attacl IS NOT NULL)",
    ),
    (
        "index setting",
        "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = %(t)s AND (i.indisclustered OR i.indisreplident "
        "OR c.reltablespace <> 0 OR NOT i.indisvalid)",
    ),
    (
        "comment on an index or constraint",
        "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = %(t)s "
        "AND obj_description(indexrelid, 'pg_class') IS NOT NULL UNION ALL "
        "SELECT conname FROM pg_constraint WHERE (conrelid = %(t)s OR confrelid = %(t)s) "
        "AND contype <> 'c' AND obj_description(oid, 'pg_constraint') IS NOT NULL",
    ),
    (
        "grant on the identity sequence",
        "SELECT s.relname FROM pg_depend d JOIN pg_class s ON s.oid = d.objid "
        "WHERE d.classid = 'pg_class'::regclass AND d.refobjid = %(t)s AND d.deptype = 'i' "
        "AND s.relacl IS NOT NULL",
    ),
)


class SwapRefused(RuntimeError):
    """Something depends on a table that a swap would not carry over."""


@dataclass
class Steps:
    """Seconds per named step, for the caller's report."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            spent = self.seconds.get(name, 0.0) + time.perf_counter() - started
            self.seconds[name] = round(spent, 2)


@dataclass
class OwnedSequence:
    """An identity column's sequence (recreated) or an owned serial sequence (re-owned)."""

    column: str
    name: str
    identity: str  # pg_attribute.attidentity: 'a' / 'd', '' for an owned serial sequence
    options: str = ""  # START WITH … for an identity (its type is the column's)
    state: tuple[int, bool] = (1, False)  # last_value, is_called


@dataclass
class Shape:
    """What the catalog says about one table, to be put back after the swap."""

    table: str
    columns: list[str]
    indexes: list[str]  # CREATE INDEX statements of indexes that back no constraint
    constraints: list[tuple[str, str]]  # (name, definition): primary key / unique / exclusion
    sequences: list[OwnedSequence]
    owner: str
    grants: list[tuple[str, str, bool]]  # (grantee or PUBLIC, privilege, with grant option)
    comment: str | None


@dataclass
class ForeignKey:
    table: str  # the referencing table, as regclass text
    name: str
    definition: str


def _names(cursor: Any, query: str, params: Any = None) -> list[str]:
    cursor.execute(query, params)
    return [str(row[0]) for row in cursor.fetchall()]


def unsupported(cursor: Any, tables: Sequence[str]) -> str | None:
    """Why these tables cannot be swapped (e.g. "trigger audit_t on people_person"), or None."""
    for table in tables:
        for what, query in _BLOCKERS:
            found = _names(cursor, query, {"t": _regclass(cursor, table)})
            if found:
                return f"{what} {', '.join(sorted(found))} on {table}"
    return None


def _regclass(cursor: Any, table: str) -> int:
    cursor.execute("SELECT %s::regclass::oid", [table])
    return int(cursor.fetchone()[0])


def foreign_keys(cursor: Any, tables: Sequence[str]) -> list[ForeignKey]:
    """Every foreign key from or to one of `tables` (each once)."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND (conrelid = ANY(%s::regclass[]) OR confrelid = ANY(%s::regclass[])) "
        "ORDER BY conrelid::regclass::text, conname",
        [list(tables), list(tables)],
    )
    return [ForeignKey(str(t), str(n), str(d)) for t, n, d in cursor.fetchall()]


def tables_lock(cursor: Any, tables: Sequence[str]) -> None:
    """ACCESS EXCLUSIVE on the tables and every table their foreign keys touch, up front and
    in one statement, so no lock is upgraded half-way (that is how deadlocks start)."""
    cursor.execute(
        "SELECT DISTINCT x FROM pg_constraint c, "
        "LATERAL unnest(ARRAY[c.conrelid::regclass::text, c.confrelid::regclass::text]) x "
        "WHERE c.contype = 'f' AND (c.conrelid = ANY(%s::regclass[]) "
        "OR c.confrelid = ANY(%s::regclass[]))",
        [list(tables), list(tables)],
    )
    related = sorted({str(row[0]) for row in cursor.fetchall()} - set(tables))
    names = [sql.Identifier(t) for t in tables] + [sql.SQL(t) for t in related]
    cursor.execute(
        sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(sql.SQL(", ").join(names))
    )


def _shape(cursor: Any, table: str) -> Shape:
    oid = _regclass(cursor, table)
    columns = _names(
        cursor,
        "SELECT attname FROM pg_attribute WHERE attrelid = %s AND attnum > 0 "
        "AND NOT attisdropped ORDER BY attnum",
        [oid],
    )
    indexes = _names(
        cursor,
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = %s "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid "
        "AND c.conrelid = i.indrelid) ORDER BY i.indexrelid",
        [oid],
    )
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s AND contype IN ('p', 'u', 'x') ORDER BY oid",
        [oid],
    )
    constraints = [(str(n), str(d)) for n, d in cursor.fetchall()]
    cursor.execute(
        "SELECT pg_get_userbyid(relowner), obj_description(oid, 'pg_class') FROM pg_class "
        "WHERE oid = %s",
        [oid],
    )
    owner, comment = cursor.fetchone()
    cursor.execute(
        "SELECT COALESCE(pg_get_userbyid(NULLIF(a.grantee, 0)), 'PUBLIC'), a.privilege_type, "
        "a.is_grantable FROM pg_class c, aclexplode(c.relacl) a "
        "WHERE c.oid = %s AND a.grantee <> c.relowner",
        [oid],
    )
    grants = [(str(g), str(p), bool(o)) for g, p, o in cursor.fetchall()]
    return Shape(
        table, columns, indexes, constraints, _sequences(cursor, oid), owner, grants, comment
    )


def _sequences(cursor: Any, oid: int) -> list[OwnedSequence]:
    cursor.execute(
        "SELECT a.attname, s.oid::regclass::text, a.attidentity, "
        "format('START WITH %%s INCREMENT BY %%s MINVALUE %%s MAXVALUE %%s CACHE %%s %%s', "
        "q.seqstart, q.seqincrement, q.seqmin, q.seqmax, "
        "q.seqcache, CASE WHEN q.seqcycle THEN 'CYCLE' ELSE 'NO CYCLE' END) "
        "FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' "
        "JOIN pg_sequence q ON q.seqrelid = s.oid "
        "JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
        "WHERE d.classid = 'pg_class'::regclass AND d.refobjid = %s AND d.deptype IN ('a', 'i') "
        "ORDER BY a.attnum",
        [oid],
    )
    return [
        OwnedSequence(column=str(c), name=str(n), identity=str(i), options=str(o))
        for c, n, i, o in cursor.fetchall()
    ]


def staging_name(table: str) -> str:
    """The staging copy of `table` (within PostgreSQL's 63-character names)."""
    return f"{table[: 63 - len(SUFFIX)]}{SUFFIX}"


class TableSwap:
    """Staging copies of `tables`, filled by the caller, then swapped in by `swap()`.

    Call inside a transaction after `tables_lock`. Fill with INSERT INTO `staging(table)`.
    """

    def __init__(self, cursor: Any, tables: Sequence[str]) -> None:
        refusal = unsupported(cursor, tables)  # again, now that the tables are locked
        if refusal:
            raise SwapRefused(refusal)
        self.cursor = cursor
        self.shapes = {t: _shape(cursor, t) for t in tables}
        self.keys = foreign_keys(cursor, tables)
        for table in tables:
            cursor.execute(
                sql.SQL(
                    "CREATE TABLE {} (LIKE {} INCLUDING ALL EXCLUDING INDEXES "
                    "EXCLUDING IDENTITY EXCLUDING STATISTICS)"
                ).format(self.staging(table), sql.Identifier(table))
            )

    def staging(self, table: str) -> sql.Identifier:
        return sql.Identifier(staging_name(table))

    def columns(self, table: str) -> list[str]:
        return list(self.shapes[table].columns)

    def sequence(self, table: str, column: str = "id") -> str:
        """The sequence that numbers `column`, for nextval() in the caller's fill."""
        return next(s.name for s in self.shapes[table].sequences if s.column == column)

    def copy_all(self, table: str) -> None:
        """The old rows unchanged into the staging copy."""
        columns = sql.SQL(", ").join(map(sql.Identifier, self.columns(table)))
        self.cursor.execute(
            sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {}").format(
                self.staging(table), columns, columns, sql.Identifier(table)
            )
        )

    def swap(self, steps: Steps) -> None:
        """Old tables out, copies in under their names, everything else rebuilt."""
        cursor = self.cursor
        # Deferred checks queued earlier in the transaction would forbid ALTER TABLE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with steps.step("swap"):
            self._detach()
            cursor.execute(
                sql.SQL("DROP TABLE {} RESTRICT").format(
                    sql.SQL(", ").join(map(sql.Identifier, self.shapes))
                )
            )
            for table in self.shapes:
                cursor.execute(
                    sql.SQL("ALTER TABLE {} RENAME TO {}").format(
                        self.staging(table), sql.Identifier(table)
                    )
                )
                self._attach(self.shapes[table])
        for table, shape in self.shapes.items():
            with steps.step(f"indexes {table}"):
                self._indexes(shape)
        with steps.step("foreign keys"):
            for key in self.keys:
                cursor.execute(
                    sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                        sql.SQL(key.table), sql.Identifier(key.name), sql.SQL(key.definition)
                    )
                )
        with steps.step("analyze"):
            for table in self.shapes:
                cursor.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(table)))
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys are deferred

    def _detach(self) -> None:
        """Drop the foreign keys and keep the sequences alive and their positions known."""
        cursor = self.cursor
        for key in self.keys:
            cursor.execute(
                sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                    sql.SQL(key.table), sql.Identifier(key.name)
                )
            )
        for shape in self.shapes.values():
            for seq in shape.sequences:
                cursor.execute(
                    sql.SQL("SELECT last_value, is_called FROM {}").format(sql.SQL(seq.name))
                )
                last, called = cursor.fetchone()
                seq.state = (int(last), bool(called))
                if not seq.identity:  # a serial sequence outlives its table once disowned
                    cursor.execute(
                        sql.SQL("ALTER SEQUENCE {} OWNED BY NONE").format(sql.SQL(seq.name))
                    )

    def _attach(self, shape: Shape) -> None:
        """Sequences, owner, grants and comment of the renamed copy, as they were."""
        cursor, table = self.cursor, sql.Identifier(shape.table)
        for seq in shape.sequences:
            column = sql.Identifier(seq.column)
            if seq.identity:
                cursor.execute(
                    sql.SQL(
                        "ALTER TABLE {} ALTER COLUMN {} ADD GENERATED {} AS IDENTITY "
                        "(SEQUENCE NAME {} {})"
                    ).format(
                        table,
                        column,
                        sql.SQL("ALWAYS" if seq.identity == "a" else "BY DEFAULT"),
                        sql.SQL(seq.name),
                        sql.SQL(seq.options),
                    )
                )
            else:
                cursor.execute(
                    sql.SQL("ALTER SEQUENCE {} OWNED BY {}.{}").format(
                        sql.SQL(seq.name), table, column
                    )
                )
            cursor.execute("SELECT setval(%s::regclass, %s, %s)", [seq.name, *seq.state])
        cursor.execute(
            sql.SQL("ALTER TABLE {} OWNER TO {}").format(table, sql.Identifier(shape.owner))
        )
        for grantee, privilege, grantable in shape.grants:
            cursor.execute(
                sql.SQL("GRANT {} ON {} TO {}{}").format(
                    sql.SQL(privilege),
                    table,
                    sql.SQL("PUBLIC") if grantee == "PUBLIC" else sql.Identifier(grantee),
                    sql.SQL(" WITH GRANT OPTION" if grantable else ""),
                )
            )
        if shape.comment is not None:
            cursor.execute(sql.SQL("COMMENT ON TABLE {} IS %s").format(table), [shape.comment])

    def _indexes(self, shape: Shape) -> None:
        for statement in shape.indexes:
            self.cursor.execute(statement)
        for name, definition in shape.constraints:
            self.cursor.execute(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                    sql.Identifier(shape.table), sql.Identifier(name), sql.SQL(definition)
                )
            )
