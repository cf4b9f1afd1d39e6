"""Militia structure (DQTV Art. 15 as amended): units with their leader's position in the orgs
app, disbanding, and the communes' defence flags from the configuration file."""

from __future__ import annotations

from datetime import date

import pytest

from muster.accounts.models import Role
from muster.audit.models import AuditEvent
from muster.core.errors import InvalidInput, PermissionDenied
from muster.geo.models import AdminUnit, Edition, Level
from muster.militia import actions, queries
from muster.militia.config import configured_communes
from muster.militia.models import DefenceCommune, MilitiaUnit
from muster.militia.rules import CommuneFlags
from muster.orgs.actions import appointment_make
from muster.orgs.models import PositionKind
from muster.people.tests.factories import make_person

REFORM = date(2025, 7, 1)


def test_a_unit_gets_its_leader_position_and_a_leader_extends_to_the_age_limit(world):
    command = world.commune_commands[0]
    team = actions.militia_unit_create(
        command=command,
        name="Tổ dân quân thôn Nà Phầu",
        echelon="team",
        force_kind="in_place",
        village="Thôn Nà Phầu",
        valid_from=REFORM,
        acting_user=None,
    )
    position = team.leader_position
    assert position is not None
    assert (position.org_unit, position.kind) == (command, PositionKind.MILITIA_LEADER)
    assert position.title == "Tổ trưởng — Tổ dân quân thôn Nà Phầu"
    assert (
        AuditEvent.objects.filter(
            action__in=["orgs.position.added", "militia.unit.created"]
        ).count()
        == 2
    )
    leader = make_person(world.communes[0], birth_date=date(1990, 3, 1))
    membership = actions.militia_join(
        person=leader, unit=command, joined_on=date(2025, 8, 15), force_kind="in_place",
        militia_unit=team, acting_user=None,
    )  # fmt: skip
    with pytest.raises(InvalidInput):  # 4 years past the term: only a commander may
        actions.militia_term_extend(
            membership=membership, until=date(2033, 8, 14), acting_user=None
        )
    appointment_make(
        position=position,
        holder_name=leader.full_name,
        holder_personal_id=leader.personal_id,
        valid_from=date(2025, 9, 1),
        acting_user=None,
    )
    extended = actions.militia_term_extend(
        membership=membership, until=date(2033, 8, 14), acting_user=None
    )
    assert extended.term_ends_on == date(2033, 8, 14)  # a commander, to the age limit (Art. 8(2))


def test_unit_refusals_and_disbanding(world):
    command = world.commune_commands[0]
    with pytest.raises(InvalidInput) as exc:
        actions.militia_unit_create(
            command=command, name="Tiểu đội biển", echelon="squad", force_kind="naval",
            valid_from=REFORM, acting_user=None,
        )  # fmt: skip
    assert {e.code for e in exc.value.errors} == {"MILITIA_NAVAL_NOT_COASTAL"}
    assert not MilitiaUnit.objects.exists()
    company = actions.militia_unit_create(
        command=world.provincial, name="Đại đội phòng không", echelon="company",
        force_kind="specialised", specialty="air_defence", valid_from=REFORM, acting_user=None,
    )  # fmt: skip
    assert company.leader_position is not None
    assert company.leader_position.title.startswith("Đại đội trưởng")
    outsider = world.user("xa3", Role.COMMUNE_STAFF, world.commune_commands[2])
    with pytest.raises(PermissionDenied):
        actions.militia_unit_create(
            command=command, name="Trung đội cơ động", echelon="platoon", force_kind="mobile",
            valid_from=REFORM, acting_user=outsider,
        )  # fmt: skip
    platoon = actions.militia_unit_create(
        command=command, name="Trung đội cơ động", echelon="platoon", force_kind="mobile",
        valid_from=REFORM, acting_user=None,
    )  # fmt: skip
    actions.militia_join(
        person=make_person(world.communes[0]), unit=command, joined_on=date(2025, 8, 15),
        force_kind="mobile", militia_unit=platoon, acting_user=None,
    )  # fmt: skip
    with pytest.raises(InvalidInput) as exc:
        actions.militia_unit_close(
            militia_unit=platoon, valid_to=date(2026, 1, 1), acting_user=None
        )
    assert {e.code for e in exc.value.errors} == {"MILITIA_UNIT_HAS_MEMBERS"}
    closed = actions.militia_unit_close(
        militia_unit=company, valid_to=date(2026, 1, 1), acting_user=None
    )
    assert closed.valid_to == date(2026, 1, 1)


def test_flags_have_history_and_need_the_province(world):
    commune = world.communes[1]
    staff = world.user("xa2", Role.COMMUNE_STAFF, world.commune_commands[1])
    with pytest.raises(PermissionDenied):  # the province plans where the forces stand
        actions.defence_commune_set(
            commune=commune, flags=CommuneFlags(border=True), valid_from=REFORM, acting_user=staff
        )
    province = world.user("tinh", Role.PROVINCE_STAFF, world.provincial)
    actions.defence_commune_set(
        commune=commune, flags=CommuneFlags(border=True), valid_from=REFORM, acting_user=province
    )
    actions.defence_commune_set(
        commune=commune,
        flags=CommuneFlags(border=True, key_defence=True),
        valid_from=date(2026, 1, 1),
        acting_user=province,
    )
    assert queries.commune_flags(commune.pk, date(2025, 12, 31)) == CommuneFlags(border=True)
    assert queries.commune_flags(commune.pk, date(2026, 1, 1)).key_defence
    assert DefenceCommune.objects.count() == 2
    again = AuditEvent.objects.count()
    actions.defence_commune_set(
        commune=commune,
        flags=CommuneFlags(border=True, key_defence=True),
        valid_from=date(2026, 6, 1),
        acting_user=province,
    )
    assert AuditEvent.objects.count() == again  # the same flags again change nothing


def test_the_configuration_flags_the_demo_border_commune(world):
    rows = {row.code: row for row in configured_communes()}
    assert rows["02647"].flags == CommuneFlags(border=True, key_defence=True)  # Phường Lào Cai
    lao_cai = AdminUnit.objects.create(
        code="15", name="Tỉnh Lào Cai", level=Level.PROVINCE, edition=Edition.V2025
    )
    AdminUnit.objects.create(
        code="02647",
        name="Phường Lào Cai",
        level=Level.COMMUNE,
        edition=Edition.V2025,
        parent=lao_cai,
        valid_from=REFORM,
    )
    assert (
        actions.defence_communes_configure(province=lao_cai, valid_from=REFORM, acting_user=None)
        == 1
    )
    assert (
        actions.defence_communes_configure(province=lao_cai, valid_from=REFORM, acting_user=None)
        == 0
    )
    flagged = DefenceCommune.objects.get(commune__code="02647")
    assert (flagged.border, flagged.key_defence, flagged.coastal) == (True, True, False)
