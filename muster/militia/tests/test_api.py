"""The militia API (issue 16's contract): members on a day as `{items, count}`, one member,
join / leave / extend / targets through the actions — audited with the decision, 422 with each
field's code, 404 outside the jurisdiction — and reads logged."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from muster.accounts.actions import api_token_issue
from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.audit.models import AuditEvent, ReadEvent
from muster.militia.models import MilitiaDecision, MilitiaMembership, MilitiaTarget
from muster.people.models import Person
from muster.people.tests.factories import make_person


@pytest.fixture
def client(world: World) -> Client:
    user = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    return Client(headers={"Authorization": f"Bearer {api_token_issue(user=user)}"})


def post(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/militia/{path}", json.dumps(data), content_type="application/json")


def decision(day: date) -> dict[str, str]:
    return {
        "decision_number": "7/QĐ-UBND",
        "decided_on": day.isoformat(),
        "decided_by": "Chủ tịch UBND xã",
    }


@pytest.fixture
def people(world: World) -> dict[str, Person]:
    return {
        "an": make_person(world.communes[0], "Lò Văn An", birth_date=date(2000, 5, 17)),
        "young": make_person(world.communes[0], "Lò Văn Bé", birth_date=date(2010, 5, 17)),
        "far": make_person(world.communes[2], "Lò Văn Xa", birth_date=date(2000, 5, 17)),
    }


def test_join_extend_leave_and_list(world, people, client):
    command = world.commune_commands[0].code
    day = timezone.localdate() - timedelta(days=30)
    joined = post(client, "join", {
        "personal_id": people["an"].personal_id, "command": command, "force_kind": "mobile",
        "joined_on": day.isoformat(), **decision(day),
    })  # fmt: skip
    assert joined.status_code == 201, joined.content
    assert joined.json()["status"] == "serving"
    assert MilitiaDecision.objects.get(kind="join").number == "7/QĐ-UBND"
    listed = client.get(f"/api/v1/militia/members?command={command}&force_kind=mobile")
    assert listed.json()["count"] == 1
    assert listed.json()["items"][0]["personal_id"] == people["an"].personal_id
    assert client.get("/api/v1/militia/members?force_kind=naval").json() == {
        "items": [],
        "count": 0,
    }
    assert ReadEvent.objects.filter(action="militia.member.viewed").count() == 1
    term_end = date.fromisoformat(joined.json()["term_ends_on"])
    extended = post(client, "extend", {
        "personal_id": people["an"].personal_id, "until": (term_end + timedelta(days=365)).isoformat(),
        **decision(timezone.localdate()),
    })  # fmt: skip
    assert extended.status_code == 200, extended.content
    left = post(client, "leave", {
        "personal_id": people["an"].personal_id, "left_on": timezone.localdate().isoformat(),
        "reason": "released", "ground_code": "MREL_UNFIT", **decision(timezone.localdate()),
    })  # fmt: skip
    assert left.status_code == 200, left.content
    assert left.json()["ground_code"] == "MREL_UNFIT"
    detail = client.get(f"/api/v1/militia/members/{people['an'].personal_id}")
    assert detail.json()["left_reason"] == "released"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"militia.member.joined", "militia.term.extended", "militia.member.left"} <= actions


def test_refusals_are_422_with_codes_and_404_outside(world, people, client):
    command = world.commune_commands[0].code
    day = timezone.localdate()
    young = post(client, "join", {
        "personal_id": people["young"].personal_id, "command": command, "force_kind": "naval",
        "joined_on": day.isoformat(), **decision(day),
    })  # fmt: skip
    assert young.status_code == 422
    items = {(i["field"], i["code"]) for i in young.json()["detail"]}
    # Every problem at once: too young (DQTV Art. 8(1)) and no naval militia inland (Art. 15).
    assert {("joined_on", "MILITIA_AGE"), ("force_kind", "MILITIA_NAVAL_NOT_COASTAL")} <= items
    assert not MilitiaMembership.objects.exists()
    far = post(client, "join", {
        "personal_id": people["far"].personal_id, "command": world.commune_commands[2].code,
        "force_kind": "mobile", "joined_on": day.isoformat(), **decision(day),
    })  # fmt: skip
    assert far.status_code == 404
    assert (
        client.get(f"/api/v1/militia/members?command={world.commune_commands[2].code}").status_code
        == 404
    )
    target = post(client, "targets", {"command": command, "size": 0, "valid_from": day.isoformat()})
    assert target.status_code == 422
    assert target.json()["detail"][0]["code"] == "MIN_VALUE"
    ok = post(client, "targets", {"command": command, "size": 12, "valid_from": day.isoformat()})
    assert ok.status_code == 200
    assert MilitiaTarget.objects.get().size == 12
