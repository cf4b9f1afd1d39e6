"""Geo tests share one full load per package run (a load takes seconds, not milliseconds)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import connection

from muster.audit.models import AuditEvent
from muster.geo.bulk import LoadResult, load_admin_units
from muster.geo.models import AdminUnit, Succession, UnitShape


@dataclass
class Loaded:
    first: LoadResult
    second: LoadResult
    rows_after_first: tuple[int, int, int]
    rows_after_second: tuple[int, int, int]
    audit_events: list[AuditEvent]


def _row_counts() -> tuple[int, int, int]:
    return AdminUnit.objects.count(), Succession.objects.count(), UnitShape.objects.count()


@pytest.fixture(scope="package")
def loaded(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[Loaded]:
    """Both editions loaded twice (the second run proves idempotency); removed afterwards."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        first = load_admin_units()
        rows_first = _row_counts()
        second = load_admin_units()
        rows_second = _row_counts()
        events = list(AuditEvent.objects.filter(id__gt=last_event, action="geo.units.loaded"))
        yield Loaded(first, second, rows_first, rows_second, events)
        # Leave the shared test database as other apps' tests expect it: empty of geography.
        # Plain DELETEs: the ORM collector walks 14k units one relation at a time.
        AdminUnit.objects.update(parent=None)
        with connection.cursor() as cursor:
            for model in (UnitShape, Succession, AdminUnit):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        AuditEvent.objects.filter(id__gt=last_event).delete()
