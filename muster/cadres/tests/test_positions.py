"""Positions filled and qualified, set-based, with the deputies Decree 72/2020 Art. 4 allows."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from muster.cadres.positions import position_figures, position_states, position_totals
from muster.cadres.tests.factories import certificate, positions_of
from muster.militia import actions as militia_actions
from muster.militia.rules import CommuneFlags
from muster.orgs import actions as orgs_actions
from muster.orgs.models import Appointment, Position
from muster.people.models import Person
from muster.people.tests.factories import make_person
from muster.reserve import actions as reserve_actions
from muster.reserve import rules as reserve_rules
from muster.reserve.rules import ReserveEntry

DAY = date(2026, 3, 1)


def _appoint(position: Position, person: Person, day: date = date(2025, 8, 1)) -> Appointment:
    return orgs_actions.appointment_make(
        position=position,
        holder_name=person.full_name,
        holder_personal_id=person.personal_id,
        valid_from=day,
        acting_user=None,
    )


def test_figures_count_established_filled_and_qualified(world):
    one, two = world.commune_commands[0], world.commune_commands[1]
    positions = positions_of(one)
    positions_of(two)
    commander = make_person(world.communes[0], "Lê Văn Chỉ", personal_id="099200000001")
    deputy = make_person(world.communes[0], "Lê Văn Phó", personal_id="099200000002")
    certificate(commander, "gm_university", date(2020, 6, 1))
    certificate(commander, "reserve_officer", date(2019, 1, 1))
    certificate(deputy, "gm_college", date(2021, 6, 1))
    _appoint(positions[1], commander)
    _appoint(positions[3], deputy)
    _appoint(positions[4], make_person(world.communes[0], "Lê Văn Hai"))  # a second deputy

    figures = position_figures([one.pk, two.pk], DAY)
    # One deputy only in an ordinary commune: 7 positions less the second deputy.
    assert (figures[one.pk].positions, figures[one.pk].positions_filled) == (6, 2)
    assert figures[one.pk].positions_qualified == 1  # the deputy; the commander lacks theory
    assert figures[one.pk].gaps == {"CADRE_POLITICAL_THEORY": 1}
    assert (figures[two.pk].positions, figures[two.pk].positions_filled) == (6, 0)

    # A border commune may have two deputies (Decree 72/2020 Art. 4).
    orgs_actions.command_designations_set(
        org_unit=one, designations={"border"}, valid_from=date(2026, 1, 1), acting_user=None
    )
    figures = position_figures([one.pk], DAY)
    assert (figures[one.pk].positions, figures[one.pk].positions_filled) == (7, 3)
    assert figures[one.pk].gaps == {"CADRE_POLITICAL_THEORY": 1, "CADRE_GM_TRAINING": 1}
    # As of an earlier day: no designation then, and the certificate not yet issued.
    before = position_figures([one.pk], date(2025, 12, 31))[one.pk]
    assert (before.positions, before.positions_filled) == (6, 2)

    total = position_totals([one.pk, two.pk], DAY)
    assert (total.positions, total.positions_filled, total.positions_qualified) == (13, 3, 1)


def test_expired_certificate_is_a_gap_and_queries_do_not_grow(world):
    units = world.commune_commands
    for unit in units:
        positions_of(unit)
    assistant = make_person(world.communes[0], "Trần Trợ Lý", personal_id="099200000003")
    certificate(assistant, "gm_college", date(2020, 1, 1), date(2025, 12, 31))
    _appoint(positions_of(units[0])[5], assistant)
    [state] = [s for s in position_states([units[0].pk], DAY) if s.position.ordinal == 5]
    assert state.gaps == ("CADRE_GM_TRAINING",)
    assert state.person_id == assistant.pk
    with CaptureQueriesContext(connection) as few:
        position_figures([units[0].pk], DAY)
    with CaptureQueriesContext(connection) as many:
        position_figures([u.pk for u in units], DAY)
    assert len(many) == len(few)


def test_the_militia_s_island_flag_establishes_a_second_deputy(world):
    unit = world.commune_commands[2]
    positions_of(unit)
    assert position_figures([unit.pk], DAY)[unit.pk].positions == 6
    militia_actions.defence_commune_set(
        commune=world.communes[2],
        flags=CommuneFlags(coastal=True, island=True),
        valid_from=date(2025, 7, 1),
        acting_user=None,
    )
    assert position_figures([unit.pk], DAY)[unit.pk].positions == 7


def test_a_reserve_officer_on_the_reserve_register_meets_the_requirement(world):
    unit = world.commune_commands[0]
    positions = positions_of(unit)
    commander = make_person(world.communes[0], "Tạ Văn Dự", birth_date=date(1980, 3, 1))
    certificate(commander, "gm_college", date(2020, 6, 1))
    certificate(commander, "political_theory", date(2021, 6, 1))
    _appoint(positions[1], commander)
    [state] = [s for s in position_states([unit.pk], DAY) if s.position.ordinal == 1]
    assert state.gaps == ("CADRE_RESERVE_OFFICER",)
    reserve_actions.reserve_enter(
        person=commander,
        entry=ReserveEntry(None, reserve_rules.OFFICER_BASIS),
        entered_on=date(2010, 1, 1),
        source="manual",
        kind=reserve_rules.OFFICER,
        rank="DAI_UY",
        acting_user=None,
    )
    [state] = [s for s in position_states([unit.pk], DAY) if s.position.ordinal == 1]
    assert state.gaps == ()


def test_a_militia_units_leader_is_not_a_cadre_position(world):
    """The leader of a militia unit is a position of the commune command in `orgs` (DQTV
    Art. 19), appointed from the militia roster: neither listed nor counted among its cadres."""
    one = world.commune_commands[0]
    positions_of(one)
    leader = Position.objects.create(
        org_unit=one, kind="militia_leader", title="Trung đội trưởng", ordinal=50
    )
    _appoint(leader, make_person(world.communes[0], "Lê Văn Đội"))
    figures = position_figures([one.pk], DAY)
    assert (figures[one.pk].positions, figures[one.pk].positions_filled) == (6, 0)
    assert leader.pk not in {s.position.pk for s in position_states([one.pk], DAY)}
