"""The register's reads: the unit column from the assignment history on the day asked about
(LLDBĐV Art. 17), the person page's summary, scope."""

from __future__ import annotations

from datetime import date

from muster.accounts.tests.factories import World
from muster.reserve import register_queries
from muster.reserve.models_units import ReserveAssignment
from muster.reserve.queries import person_reserve_summary
from muster.reserve.tests import factories_units as f


def test_the_unit_column_follows_the_assignment_history(world: World) -> None:
    person = f.reservist(world.communes[0], specialty="DRIVER")
    f.unit(world, "DBDV-01", [("Lái xe", "DRIVER", 1)])
    ReserveAssignment.objects.create(
        person=person, post=f.post("DBDV-01", "Lái xe"), match="exact",
        valid_from=date(2026, 3, 1), valid_to=date(2026, 8, 31),
    )  # fmt: skip
    rows = {
        day: register_queries.register_rows(None, area=world.communes[0], day=day)[0].unit
        for day in (date(2026, 2, 28), date(2026, 3, 1), date(2026, 9, 1))
    }
    assert rows == {date(2026, 2, 28): "", date(2026, 3, 1): "DBDV-01", date(2026, 9, 1): ""}
    summary = person_reserve_summary(person, date(2026, 5, 1))
    assert summary is not None
    assert (summary.row.unit, summary.row.category, summary.row.status) == (
        "DBDV-01", 1, "in_reserve",
    )  # fmt: skip
    assert person_reserve_summary(person, date(2023, 12, 31)) is None
