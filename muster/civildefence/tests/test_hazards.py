"""Hazard import (versions, coded errors naming the feature) and exposure per commune."""

from __future__ import annotations

import json
from datetime import date

import pytest

from muster.accounts.models import Role
from muster.audit.models import AuditEvent
from muster.civildefence import actions, queries
from muster.civildefence.models import HazardZone
from muster.civildefence.tests.factories import SIDE, SOUTH, WEST, import_zone, zone_text
from muster.core.errors import InvalidInput, PermissionDenied
from muster.people.models import PersonFact
from muster.people.tests.factories import make_person

DAY = date(2026, 9, 7)


def test_import_touches_communes_with_their_shares(world):
    zone = import_zone()
    shares = {
        t.commune.code: round(t.area_share, 3) for t in zone.communes.select_related("commune")
    }
    assert shares == {"99001": 1.0, "99002": 0.5}
    assert zone.version == 1
    assert zone.is_current
    event = AuditEvent.objects.get(action="civildefence.hazard.imported")
    assert event.data["communes"] == 2


def test_reimport_makes_a_new_version_and_keeps_history(world):
    first = import_zone()
    second = import_zone(east=WEST + SIDE * 3)
    first.refresh_from_db()
    assert (second.version, second.is_current, first.is_current) == (2, True, False)
    assert [z.version for z in queries.hazard_history(second)] == [2, 1]
    assert queries.access_hazard(None, "FLOOD-1", DAY).pk == second.pk
    assert second.communes.count() == 3


def _import(text: str) -> HazardZone:
    given = actions.HazardInput(key="BAD", kind="flood", name="Lũ", valid_from=DAY)
    return actions.hazard_import(given=given, geojson=text, acting_user=None)


@pytest.mark.parametrize(
    ("text", "field", "code"),
    [
        ("not json", "file", "HAZARD_FILE_UNREADABLE"),
        ('{"type":"FeatureCollection","features":[]}', "features", "HAZARD_GEOJSON_EMPTY"),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [104, 22]}}
                    ],
                }
            ),
            "features[0].geometry",
            "HAZARD_GEOJSON_TYPE",
        ),
        (
            json.dumps(
                {"type": "Polygon", "coordinates": [[[104, 22], [400, 22], [104, 23], [104, 22]]]}
            ),
            "file",
            "HAZARD_COORDINATES",
        ),
        (
            # a bow tie: the ring crosses itself
            json.dumps(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [
                            [[104, 22], [104.1, 22.1], [104.1, 22], [104, 22.1], [104, 22]]
                        ],
                    },
                }
            ),
            "geometry",
            "HAZARD_GEOMETRY_INVALID",
        ),
    ],
)
def test_bad_geojson_is_refused_naming_the_feature(world, text, field, code):
    with pytest.raises(InvalidInput) as caught:
        _import(text)
    assert [(e.field, e.code) for e in caught.value.errors] == [(field, code)]
    assert caught.value.errors[0].message  # worded
    assert not HazardZone.objects.exists()


def test_bad_fields_are_refused_together(world):
    given = actions.HazardInput(
        key="bad key",
        kind="volcano",
        name="",
        valid_from=DAY,
        valid_to=date(2026, 9, 1),
        severity=6,
    )
    with pytest.raises(InvalidInput) as caught:
        actions.hazard_import(
            given=given, geojson=zone_text(104, 22, 104.1, 22.1), acting_user=None
        )
    assert {e.code for e in caught.value.errors} == {
        "HAZARD_KEY_FORMAT",
        "NOT_ONE_OF",
        "REQUIRED",
        "HAZARD_SEVERITY_RANGE",
        "HAZARD_ENDS_BEFORE_START",
    }


def test_a_commune_user_imports_only_zones_touching_the_jurisdiction(world):
    user = world.user("commune1", Role.COMMUNE_STAFF, world.commune_commands[0])
    given = actions.HazardInput(key="Z", kind="flood", name="Lũ", valid_from=DAY)
    far = zone_text(WEST + 2.05 * SIDE, SOUTH, WEST + 2.5 * SIDE, SOUTH + SIDE)  # 99003 only
    with pytest.raises(PermissionDenied) as caught:
        actions.hazard_import(given=given, geojson=far, acting_user=user)
    assert caught.value.code == "PERMISSION_JURISDICTION"
    near = zone_text(WEST, SOUTH, WEST + 2.5 * SIDE, SOUTH + SIDE)
    assert actions.hazard_import(given=given, geojson=near, acting_user=user).version == 1
    auditor = world.user("aud", Role.AUDITOR, world.provincial)
    with pytest.raises(PermissionDenied):
        actions.hazard_import(given=given, geojson=near, acting_user=auditor)


def test_exposure_counts_people_households_and_the_vulnerable(world):
    one, two, _three = world.communes
    for index in range(10):
        person = make_person(one, birth_date=date(1990, 1, 1))
        person.household_id = f"H{index // 2}"  # 5 households
        person.save()
    make_person(one, birth_date=date(2015, 1, 1))  # a child, alone
    make_person(one, birth_date=date(1950, 1, 1))  # older
    flagged = make_person(one, birth_date=date(1980, 1, 1))
    PersonFact.objects.create(
        person=flagged,
        kind="mobility_need",
        value="yes",
        recorded_on=date(2026, 1, 1),
        source="test",
    )
    unflagged = make_person(one, birth_date=date(1981, 1, 1))
    PersonFact.objects.create(
        person=unflagged,
        kind="mobility_need",
        value="yes",
        recorded_on=date(2026, 1, 1),
        source="test",
    )
    PersonFact.objects.create(
        person=unflagged,
        kind="mobility_need",
        value="no",
        recorded_on=date(2026, 2, 1),
        source="test",
    )
    for _ in range(4):
        make_person(two, birth_date=date(1940, 1, 1))
    dead = make_person(two)
    dead.life_status, dead.died_on = "dead", date(2026, 1, 1)
    dead.save()
    zone = import_zone()
    rows = {r.commune_code: r for r in queries.exposure(zone, DAY)}
    assert set(rows) == {"99001", "99002"}
    a, b = rows["99001"], rows["99002"]
    assert (a.people, a.people_in_zone, a.households_in_zone, a.vulnerable_in_zone) == (
        14,
        14,
        9,
        3,
    )
    assert (b.people, b.people_in_zone, b.vulnerable_in_zone) == (4, 2, 2)
    # Before the flag was recorded the flagged person does not count
    earlier = {r.commune_code: r for r in queries.exposure(zone, date(2025, 12, 1))}
    assert earlier["99001"].vulnerable_in_zone == 2


def test_exposure_is_scoped(world):
    zone = import_zone(east=WEST + SIDE * 3)
    user = world.user("c1", Role.COMMUNE_STAFF, world.commune_commands[0])
    assert [r.commune_code for r in queries.exposure(zone, DAY, user)] == ["99001"]
    outsider = world.user("c3", Role.COMMUNE_STAFF, world.commune_commands[2])
    small = import_zone("SMALL", east=WEST + SIDE / 2)
    from muster.core.errors import NotFound

    with pytest.raises(NotFound):
        queries.access_hazard(outsider, small.key, DAY)
