"""Roster reads are scoped: a commune user sees their command only, an area user the area's,
a national administrator every command; a day before a member joined shows them absent."""

from __future__ import annotations

from datetime import date

import pytest

from muster.accounts.models import Role
from muster.core.errors import NotFound
from muster.militia import actions, queries
from muster.people.tests.factories import make_person


@pytest.fixture
def rosters(world):
    made = []
    for i, (commune, command) in enumerate(
        zip(world.communes, world.commune_commands, strict=True)
    ):
        for n, kind in enumerate(("mobile", "in_place", "in_place")[: i + 1]):
            person = make_person(commune, f"Lê Văn {'ABC'[i]}{n}")
            made.append(
                actions.militia_join(
                    person=person,
                    unit=command,
                    joined_on=date(2025, 8, 15 + n),
                    force_kind=kind,
                    acting_user=None,
                )
            )
        actions.militia_target_set(
            unit=command, size=2, valid_from=date(2025, 7, 1), acting_user=None
        )
    return made


def test_commands_in_scope_with_counts_against_target(world, rosters):
    commune = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    [row] = queries.militia_commands(commune)
    assert row.command == world.commune_commands[0]
    assert (row.members, row.target, row.shortfall, row.by_kind) == (1, 2, 1, {"mobile": 1})
    area = world.user("ptkv", Role.AREA_STAFF, world.areas[0])
    assert [r.command.code for r in queries.militia_commands(area)] == [
        "BCHQS-X-99001",
        "BCHQS-X-99002",
    ]
    admin = world.user("admin", Role.ADMINISTRATOR, None)
    counts = {r.command.code: (r.members, r.shortfall) for r in queries.militia_commands(admin)}
    assert counts == {"BCHQS-X-99001": (1, 1), "BCHQS-X-99002": (2, 0), "BCHQS-X-99003": (3, 0)}
    # As of a day before the last two joined, and before the commands existed.
    on_16th = {
        r.command.code: r.members for r in queries.militia_commands(admin, day=date(2025, 8, 16))
    }
    assert on_16th == {"BCHQS-X-99001": 1, "BCHQS-X-99002": 2, "BCHQS-X-99003": 2}
    assert queries.militia_commands(admin, day=date(2025, 6, 30)) == []


def test_roster_of_a_command_and_out_of_scope_not_found(world, rosters):
    area = world.user("ptkv", Role.AREA_STAFF, world.areas[0])
    roster = queries.militia_roster(area, code="BCHQS-X-99002")
    assert [m.force_kind for m in roster.members] == ["in_place", "mobile"]
    assert roster.count.members == 2
    with pytest.raises(NotFound):
        queries.militia_roster(area, code="BCHQS-X-99003")
    with pytest.raises(NotFound):
        queries.access_command(area, "PTKV-99-1")  # not a commune command
    actions.militia_leave(
        membership=roster.members[0], left_on=date(2026, 3, 1), reason="moved", acting_user=None
    )
    assert len(queries.militia_roster(area, code="BCHQS-X-99002").members) == 1
    earlier = queries.militia_roster(area, code="BCHQS-X-99002", day=date(2026, 3, 1))
    assert len(earlier.members) == 2  # still on the roster on the last day


def test_a_persons_militia_periods_newest_first_with_the_current_one(world):
    person = make_person(world.communes[0], "Lê Văn Chu")
    first = actions.militia_join(
        person=person,
        unit=world.commune_commands[0],
        joined_on=date(2025, 8, 1),
        force_kind="mobile",
        acting_user=None,
    )
    summary = queries.person_militia_summary(person, date(2025, 9, 1))
    assert summary.periods == [first]
    assert summary.current == first
    assert queries.person_militia_summary(person, date(2025, 7, 1)).current is None
    other = make_person(world.communes[0], "Lê Văn Khác")
    assert queries.person_militia_summary(other, date(2025, 9, 1)).periods == []
