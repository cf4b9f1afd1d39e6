"""Exposure from the readiness commune snapshots against exposure counted live: the same rows
on the same data (people, households, the vulnerable of CD Law Art. 2(4) — under 16, 60 and
over, flagged as needing help to move), and where the counts came from said each time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from muster.accounts.actions import api_token_issue
from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.audit.models import AuditEvent
from muster.civildefence import planning, queries
from muster.civildefence.tests.factories import import_zone
from muster.geo.models import AdminUnit
from muster.people.models import Person, PersonFact
from muster.people.tests.factories import make_person
from muster.readiness import bulk
from muster.readiness.models import CommuneSnapshot, PendingRefresh

DAY = date(2026, 9, 7)


def _fact(person: Person, value: str, on: date) -> None:
    PersonFact.objects.create(
        person=person, kind="mobility_need", value=value, recorded_on=on, source="test"
    )


def _households(one: AdminUnit, _two: AdminUnit) -> None:
    """Shared household numbers, people alone, and a household split across communes."""
    for n in range(7):
        person = make_person(one, birth_date=date(1990, 1, 1))
        person.household_id = f"H{n // 3}"
        person.save()
    make_person(one, birth_date=date(1991, 1, 1))  # alone: a household of one
    moved = make_person(_two, birth_date=date(1992, 1, 1))
    moved.household_id = "H0"  # the same number counts once in each commune
    moved.save()


def _ages(one: AdminUnit, two: AdminUnit) -> None:
    """The age bounds on the day: 16 and 60 exactly, a day either side, not yet born."""
    make_person(one, birth_date=date(2010, 9, 7))  # 16 on the day: not a child
    make_person(one, birth_date=date(2010, 9, 8))  # 15: a child
    make_person(one, birth_date=date(1966, 9, 7))  # 60 on the day: older
    make_person(one, birth_date=date(1966, 9, 8))  # 59
    make_person(two, birth_date=date(2026, 9, 8))  # born after the day: not counted


def _life(one: AdminUnit, two: AdminUnit) -> None:
    """Deaths before and after the day."""
    before = make_person(one, birth_date=date(1950, 1, 1))
    before.life_status, before.died_on = "dead", date(2026, 1, 1)
    before.save()
    after = make_person(two, birth_date=date(1950, 1, 1))
    after.life_status, after.died_on = "dead", date(2026, 10, 1)  # alive on the day
    after.save()


def _mobility(one: AdminUnit, two: AdminUnit) -> None:
    """Flags: yes, yes then no, yes after the day, yes on someone vulnerable by age already."""
    _fact(make_person(one, birth_date=date(1980, 1, 1)), "yes", date(2026, 1, 1))
    withdrawn = make_person(one, birth_date=date(1981, 1, 1))
    _fact(withdrawn, "yes", date(2026, 1, 1))
    _fact(withdrawn, "no", date(2026, 2, 1))
    _fact(make_person(two, birth_date=date(1982, 1, 1)), "yes", date(2026, 12, 1))
    _fact(make_person(two, birth_date=date(1940, 1, 1)), "yes", date(2026, 1, 1))


def _empty(_one: AdminUnit, _two: AdminUnit) -> None:
    """Nobody lives in the communes touched."""


CASES: list[tuple[str, Callable[[AdminUnit, AdminUnit], None], dict[str, tuple[int, ...]]]] = [
    # (case, data, commune → (people, households, vulnerable) on DAY — the law's groups)
    ("households", _households, {"99001": (8, 4, 0), "99002": (1, 1, 0)}),
    ("ages", _ages, {"99001": (4, 4, 2), "99002": (0, 0, 0)}),
    ("life", _life, {"99001": (0, 0, 0), "99002": (1, 1, 1)}),
    ("mobility", _mobility, {"99001": (2, 2, 1), "99002": (2, 2, 1)}),
    ("empty", _empty, {"99001": (0, 0, 0), "99002": (0, 0, 0)}),
]


def _counts(found: queries.Exposure) -> dict[str, tuple[int, ...]]:
    return {r.commune_code: (r.people, r.households, r.vulnerable) for r in found.rows}


@pytest.mark.parametrize(("case", "build", "expected"), CASES, ids=[c[0] for c in CASES])
def test_snapshot_and_live_agree(
    world: World,
    case: str,
    build: Callable[[AdminUnit, AdminUnit], None],
    expected: dict[str, tuple[int, ...]],
) -> None:
    one, two, _three = world.communes
    build(one, two)
    zone = import_zone()  # all of 99001, half of 99002
    live = queries.exposure_counts(zone, DAY)
    assert (live.source, live.computed_at, live.live) == ("live", None, 2)
    assert _counts(live) == expected, case
    bulk.refresh(DAY)
    read = queries.exposure_counts(zone, DAY)
    assert (read.source, read.live) == ("snapshot", 0)
    assert read.computed_at is not None
    assert read.rows == live.rows, case


def test_a_snapshot_of_another_day_is_not_read(world: World) -> None:
    one, _two, _three = world.communes
    make_person(one, birth_date=date(1950, 1, 1))
    zone = import_zone()
    bulk.refresh(date(2026, 9, 6))
    assert queries.exposure_counts(zone, DAY).source == "live"


def test_a_stale_or_older_snapshot_is_counted_live_the_rest_read(world: World) -> None:
    one, two, _three = world.communes
    make_person(one, birth_date=date(1950, 1, 1))
    make_person(two, birth_date=date(1990, 1, 1))
    zone = import_zone()
    bulk.refresh(DAY)
    make_person(one, birth_date=date(2020, 1, 1))  # a change the refresh has not seen yet
    PendingRefresh.objects.create(as_of=DAY, kind=PendingRefresh.COMMUNE, ref_id=one.pk)
    found = queries.exposure_counts(zone, DAY)
    assert (found.source, found.live) == ("mixed", 1)
    assert _counts(found)["99001"] == (2, 2, 2)  # counted now: the new child included
    # A snapshot from before the counts were kept (null) is not read either.
    PendingRefresh.objects.all().delete()
    CommuneSnapshot.objects.filter(commune=two).update(households=None, vulnerable=None)
    found = queries.exposure_counts(zone, DAY)
    assert (found.source, found.live) == ("mixed", 1)
    assert _counts(found)["99002"] == (1, 1, 0)


def test_the_plan_reuses_the_exposure_given(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    one, _two, _three = world.communes
    for _ in range(20):
        make_person(one, birth_date=date(1950, 1, 1))
    zone = import_zone()
    bulk.refresh(DAY)
    exposure = queries.exposure_counts(zone, DAY)

    def _again(*_args: object, **_kwargs: object) -> queries.Exposure:
        raise AssertionError("the plan read the exposure again")

    monkeypatch.setattr(queries, "exposure_counts", _again)
    plan = planning.plan_compute(zone=zone, as_of=DAY, acting_user=None, exposure=exposure)
    assert plan.people_in_zone == sum(r.people_in_zone for r in exposure.rows) == 20
    event = AuditEvent.objects.get(action="civildefence.plan.computed")
    assert event.data["exposure"] == "snapshot"
    assert event.data["exposure_computed_at"] == exposure.computed_at.isoformat()  # type: ignore[union-attr]


def test_the_plan_reads_the_exposure_itself_when_given_another_days(world: World) -> None:
    one, _two, _three = world.communes
    make_person(one, birth_date=date(1950, 1, 1))
    zone = import_zone()
    other = queries.exposure_counts(zone, date(2026, 9, 8))
    plan = planning.plan_compute(zone=zone, as_of=DAY, acting_user=None, exposure=other)
    assert plan.as_of == DAY
    event = AuditEvent.objects.get(action="civildefence.plan.computed")
    assert event.data["exposure"] == "live"


def test_the_page_api_and_cli_say_where_the_counts_came_from(world: World, tmp_path: Path) -> None:
    one, _two, _three = world.communes
    make_person(one, birth_date=date(1950, 1, 1))
    import_zone()
    user = world.user("tinh1", Role.PROVINCE_STAFF, world.provincial)
    page = Client()
    page.force_login(user)
    api = Client(headers={"Authorization": f"Bearer {api_token_issue(user=user)}"})
    url = f"/civil-defence/hazards/FLOOD-1/?as_of={DAY.isoformat()}"
    endpoint = f"/api/v1/civil-defence/hazards/FLOOD-1/exposure?as_of={DAY.isoformat()}"

    def cli() -> str:
        err = StringIO()
        out = tmp_path / "exposure.csv"
        call_command(
            "civildefence",
            "exposure",
            "FLOOD-1",
            "--as-of",
            DAY.isoformat(),
            "--out",
            str(out),
            stderr=err,
        )
        assert out.read_text().splitlines()[0] == ",".join(queries.EXPOSURE_CSV_HEADER)
        return err.getvalue()

    assert "Đếm ngay lúc này" in page.get(url).content.decode()  # counted now (Vietnamese)
    live = api.get(endpoint).json()
    assert (live["counts"], live["counts_computed_at"], live["counted_live"]) == ("live", None, 2)
    assert "counted live" in cli()
    bulk.refresh(DAY)
    read = api.get(endpoint).json()
    assert (read["counts"], read["counted_live"]) == ("snapshot", 0)
    assert read["counts_computed_at"] is not None
    assert read["items"] == live["items"]
    assert "counts of the readiness snapshots of 2026-09-07, computed at" in cli()
    assert "Số liệu lấy từ bảng tổng hợp của ngày, tính lúc" in page.get(url).content.decode()
