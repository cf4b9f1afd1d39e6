"""Route scope cases of the training pages: each scope-test person is a member of their
commune's command with one session and an attendance; the user (commune 99001's command) must
not see or write the other command's session."""

from __future__ import annotations

from datetime import date

from muster.accounts.tests.factories import World
from muster.militia.models import MilitiaMembership
from muster.people.models import Person
from muster.training.models import Attendance, TrainingSession
from tests.scope_support import IN_ID, OUT_ID, Case, Write

HELD = date(2026, 3, 2)


def prepare(world: World) -> None:
    # The militia's prepare() put both persons on their command's roster from 2025-08-15.
    for pid, command in ((IN_ID, world.commune_commands[0]), (OUT_ID, world.commune_commands[2])):
        person = Person.objects.get(personal_id=pid)
        membership = MilitiaMembership.objects.get(person=person)
        session = TrainingSession.objects.create(
            unit=command,
            title=f"Huấn luyện {command.code}",
            starts_on=HELD,
            ends_on=date(2026, 3, 13),
            days=10,
        )
        Attendance.objects.create(session=session, person=person, membership=membership, days=4)


def _session(world: World, index: int) -> int:
    return TrainingSession.objects.get(unit=world.commune_commands[index]).pk


CASES: dict[str, Case] = {
    "training:index": Case(lambda w: "/training/?year=2026"),
    "training:shortfalls": Case(lambda w: "/training/shortfalls/?year=2026"),
    "training:session": Case(
        lambda w: f"/training/{_session(w, 0)}/", lambda w: f"/training/{_session(w, 2)}/"
    ),
    "training:session_new": Case(
        lambda w: "/training/new/",
        method="post",
        data=lambda w: {
            "unit": w.commune_commands[0].code,
            "title": "Buổi mới",
            "starts_on": "2026-04-01",
            "ends_on": "2026-04-02",
            "days": "2",
        },
        in_status=302,
    ),
    "training:attendance": Case(
        lambda w: f"/training/{_session(w, 0)}/attendance/",
        lambda w: f"/training/{_session(w, 2)}/attendance/",
        method="post",
        data=lambda w: {f"days-{IN_ID}": "5"},
        in_status=302,
    ),
}

WRITES: dict[str, Write] = {
    "training:session_new": Write(
        lambda w: "/training/new/",
        lambda w: {
            "unit": w.commune_commands[2].code,
            "title": "Buổi mới",
            "starts_on": "2026-04-01",
            "ends_on": "2026-04-02",
            "days": "2",
        },
    ),
    "training:attendance": Write(
        lambda w: f"/training/{_session(w, 2)}/attendance/",
        lambda w: {f"days-{OUT_ID}": "5"},
    ),
}
