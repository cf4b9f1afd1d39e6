"""`field__in_array=[...]`: membership as one array parameter on PostgreSQL.

Jurisdiction filters list hundreds of commune ids on every request; `= ANY(%s)` binds them as a
single array instead of hundreds of placeholders that the ORM and the driver must each build and
parse. Other databases get the plain `IN (...)`.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, ForeignObject
from django.db.models.lookups import In
from django.db.models.sql.compiler import SQLCompiler


class InArray(In):  # type: ignore[type-arg]
    lookup_name = "in_array"

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [v for v in self.rhs if v is not None]
        return f"{lhs} = ANY(%s)", [*lhs_params, values]


# Foreign keys keep their own lookup table, so register on both.
Field.register_lookup(InArray)
ForeignObject.register_lookup(InArray)
