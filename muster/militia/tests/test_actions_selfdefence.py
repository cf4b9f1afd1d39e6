"""Founding an agency's or enterprise's military command (DQTV Art. 17), audited and refused
with codes; its self-defence members join the same roster, serving where they work, and train
under it (training app) — and the militia page's scope covers it like a commune command."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.audit.models import AuditEvent
from muster.core.errors import InvalidInput, PermissionDenied
from muster.militia import actions, queries
from muster.militia.models import SelfDefenceCommand
from muster.orgs.models import OrgKind
from muster.people.tests.factories import make_person

TODAY = timezone.localdate()


def found(world: World, **kw: object) -> SelfDefenceCommand:
    args: dict[str, object] = {
        "code": "TV-99001-1",
        "organisation_name": "Công ty Cổ phần Apatit",
        "organisation_kind": "enterprise",
        "parent": world.provincial,
        "commune": world.communes[0],
        "operating_since": date(2015, 3, 1),
        "eligible_workers": 120,
        "founded_on": date(2025, 9, 1),
        "acting_user": None,
        **kw,
    }
    return actions.self_defence_found(**args)  # type: ignore[arg-type]


def test_found_creates_the_command_and_audits(world):
    record = found(world)
    unit = record.unit
    assert (unit.kind, unit.parent_id, unit.valid_from) == (
        OrgKind.SELF_DEFENCE_COMMAND,
        world.provincial.pk,
        date(2025, 9, 1),
    )
    assert AuditEvent.objects.filter(action="orgs.unit.created", target_id=str(unit.pk)).exists()
    event = AuditEvent.objects.get(action="militia.selfdefence.founded")
    assert (event.data["eligible_workers"], event.commune_code) == (120, "99001")


def test_found_refusals_write_nothing(world):
    with pytest.raises(InvalidInput) as exc:
        found(world, operating_since=date(2024, 1, 1), eligible_workers=4)
    assert {e.code for e in exc.value.errors} == {
        "SELF_DEFENCE_TOO_YOUNG",
        "SELF_DEFENCE_TOO_FEW_WORKERS",
    }
    with pytest.raises(InvalidInput) as exc:
        found(world, parent=world.areas[0])
    assert [e.code for e in exc.value.errors] == ["SELF_DEFENCE_PARENT"]
    assert not SelfDefenceCommand.objects.exists()
    other = world.user("xa3", Role.COMMUNE_STAFF, world.commune_commands[2])
    with pytest.raises(PermissionDenied):
        found(world, acting_user=other)


def test_self_defence_members_serve_where_they_work(world):
    unit = found(world).unit
    # Lives in another commune than the enterprise's: a self-defence member all the same.
    worker = make_person(world.communes[1], birth_date=date(1990, 4, 2))
    member = actions.militia_join(
        person=worker,
        unit=unit,
        joined_on=TODAY - timedelta(days=10),
        force_kind="mobile",
        acting_user=None,
    )
    assert member.unit == unit
    with pytest.raises(InvalidInput) as exc:
        actions.militia_join(
            person=make_person(world.communes[0]),
            unit=unit,
            joined_on=TODAY,
            force_kind="naval",
            acting_user=None,
        )
    assert [e.code for e in exc.value.errors] == ["SELF_DEFENCE_NO_VESSELS"]
    # Self-defence terms may run to the age limit (DQTV Art. 8(2)).
    extended = actions.militia_term_extend(
        membership=member, until=member.term_ends_on + timedelta(days=365 * 5), acting_user=None
    )
    assert extended.term_ends_on > member.joined_on + timedelta(days=365 * 8)


def test_self_defence_commands_are_scoped(world):
    found(world)
    own = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    other = world.user("xa3", Role.COMMUNE_STAFF, world.commune_commands[2])
    assert [r.command.code for r in queries.self_defence_commands(own)] == ["TV-99001-1"]
    assert queries.self_defence_commands(other) == []
