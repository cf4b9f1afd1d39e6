"""Route scope cases of the militia pages and API: each scope-test person is on the roster of
their commune's command; the user (commune 99001's command) must not see, change or join
anything of the other's commune."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from muster.accounts.tests.factories import World
from muster.militia.models import (
    MilitiaAbsence,
    MilitiaMembership,
    MilitiaRegistration,
    MilitiaTarget,
    MilitiaUnit,
    SelfDefenceCommand,
)
from muster.orgs.models import OrgKind, OrgUnit, Territory
from muster.people.models import Person
from muster.people.tests.factories import make_person
from tests.scope_support import IN_ID, OUT_ID, Case, Write

JOINED = date(2025, 8, 15)
NEWCOMER = "099090001741"  # lives in 99001, on no roster: the API's join case


def prepare(world: World) -> None:
    for pid, command in ((IN_ID, world.commune_commands[0]), (OUT_ID, world.commune_commands[2])):
        MilitiaMembership.objects.create(
            person=Person.objects.get(personal_id=pid),
            unit=command,
            force_kind="mobile",
            joined_on=JOINED,
            term_years=4,
            term_ends_on=date(2029, 8, 14),
            valid_from=JOINED,
        )
        MilitiaTarget.objects.create(unit=command, size=3, valid_from=JOINED)
    make_person(world.communes[0], "Lò Văn Mới", birth_date=date(2001, 3, 3), personal_id=NEWCOMER)
    for command in (world.commune_commands[0], world.commune_commands[2]):
        MilitiaUnit.objects.create(
            command=command,
            name="Trung đội cơ động",
            echelon="platoon",
            force_kind="mobile",
            valid_from=date(2025, 7, 1),
        )
    _self_defence(world)
    for pid in (IN_ID, OUT_ID):
        MilitiaAbsence.objects.create(
            membership=MilitiaMembership.objects.get(person__personal_id=pid),
            reported_on=date(2026, 1, 5),
            absent_from=date(2026, 1, 5),
            absent_until=date(2026, 6, 30),
            reason="Đi làm việc xa",
        )
    for pid, commune in ((IN_ID, world.communes[0]), (OUT_ID, world.communes[2])):
        MilitiaRegistration.objects.create(
            person=Person.objects.get(personal_id=pid),
            commune=commune,
            year=2026,
            registered_on=date(2026, 4, 10),
        )


def _self_defence(world: World) -> None:
    """An enterprise's military command in each scope-test commune (DQTV Art. 15, 17)."""
    for commune in (world.communes[0], world.communes[2]):
        unit = OrgUnit.objects.create(
            code=f"TV-{commune.code}-1",
            name=f"Ban CHQS Công ty {commune.code}",
            kind=OrgKind.SELF_DEFENCE_COMMAND,
            parent=world.provincial,
            valid_from=JOINED,
        )
        Territory.objects.create(org_unit=unit, admin_unit=commune, valid_from=JOINED)
        SelfDefenceCommand.objects.create(
            unit=unit,
            organisation_name=f"Công ty {commune.code}",
            organisation_kind="enterprise",
            commune=commune,
            operating_since=date(2010, 1, 1),
            eligible_workers=40,
            founded_on=JOINED,
        )


def _membership(pid: str) -> int:
    return MilitiaMembership.objects.get(person__personal_id=pid, valid_to__isnull=True).pk


def _member_path(w: World, pid: str, suffix: str = "") -> str:
    command = w.commune_commands[0 if pid == IN_ID else 2]
    return f"/militia/{command.code}/members/{_membership(pid)}/{suffix}"


def _form_decision() -> dict[str, str]:
    return {
        "decision_number": "16/QĐ-UBND",
        "decided_on": timezone.localdate().isoformat(),
        "decided_by": "Chủ tịch UBND xã",
    }


def _form_leave() -> dict[str, str]:
    today = timezone.localdate().isoformat()
    data = {"left_on": today, "reason": "released", "ground_code": "MREL_UNFIT", **_form_decision()}
    return {f"leave-{k}": v for k, v in data.items()}


def _form_extend() -> dict[str, str]:
    return {f"extend-{k}": v for k, v in {"until": "2031-08-14", **_form_decision()}.items()}


def _form_transfer(w: World, pid: str) -> dict[str, str]:
    command = w.commune_commands[0 if pid == IN_ID else 2]
    unit = MilitiaUnit.objects.get(command=command)
    data = {
        "on": timezone.localdate().isoformat(),
        "militia_unit": str(unit.pk),
        **_form_decision(),
    }
    return {f"transfer-{k}": v for k, v in data.items()}


def _decision() -> dict[str, str]:
    return {
        "decision_number": "15/QĐ-UBND",
        "decided_on": timezone.localdate().isoformat(),
        "decided_by": "Chủ tịch UBND xã",
    }


def _join(pid: str, command: str) -> dict[str, Any]:
    return {
        "personal_id": pid,
        "command": command,
        "force_kind": "in_place",
        "joined_on": timezone.localdate().isoformat(),
        **_decision(),
    }


def _leave(pid: str) -> dict[str, Any]:
    return {
        "personal_id": pid,
        "left_on": timezone.localdate().isoformat(),
        "reason": "released",
        "ground_code": "MREL_STUDY_OR_ABROAD",
        **_decision(),
    }


def _extend(pid: str) -> dict[str, Any]:
    return {"personal_id": pid, "until": "2031-08-14", **_decision()}


def _target(command: str) -> dict[str, Any]:
    return {"command": command, "size": 5, "valid_from": timezone.localdate().isoformat()}


CASES: dict[str, Case] = {
    "militia:index": Case(lambda w: "/militia/"),
    "militia:roster": Case(
        lambda w: f"/militia/{w.commune_commands[0].code}/",
        lambda w: f"/militia/{w.commune_commands[2].code}/",
    ),
    "militia:join": Case(
        lambda w: f"/militia/{w.commune_commands[0].code}/join/",
        lambda w: f"/militia/{w.commune_commands[2].code}/join/",
    ),
    "militia:target": Case(
        lambda w: f"/militia/{w.commune_commands[0].code}/target/",
        lambda w: f"/militia/{w.commune_commands[2].code}/target/",
    ),
    "militia:member": Case(lambda w: _member_path(w, IN_ID), lambda w: _member_path(w, OUT_ID)),
    "militia:member_leave": Case(
        lambda w: _member_path(w, IN_ID, "leave/"),
        method="post",
        data=lambda w: _form_leave(),
        in_status=302,
    ),
    "militia:member_extend": Case(
        lambda w: _member_path(w, IN_ID, "extend/"),
        method="post",
        data=lambda w: _form_extend(),
        in_status=302,
    ),
    "militia:member_transfer": Case(
        lambda w: _member_path(w, IN_ID, "transfer/"),
        method="post",
        data=lambda w: _form_transfer(w, IN_ID),
        in_status=302,
    ),
    "api-v1:member_list": Case(lambda w: "/api/v1/militia/members", api=True),
    "api-v1:member_detail": Case(
        lambda w: f"/api/v1/militia/members/{IN_ID}",
        lambda w: f"/api/v1/militia/members/{OUT_ID}",
        api=True,
    ),
    "api-v1:member_join": Case(
        lambda w: "/api/v1/militia/join",
        api=True,
        method="post",
        data=lambda w: _join(NEWCOMER, w.commune_commands[0].code),
        in_status=201,
    ),
    "api-v1:member_leave": Case(
        lambda w: "/api/v1/militia/leave", api=True, method="post", data=lambda w: _leave(IN_ID)
    ),
    "api-v1:member_extend": Case(
        lambda w: "/api/v1/militia/extend", api=True, method="post", data=lambda w: _extend(IN_ID)
    ),
    "api-v1:target_set": Case(
        lambda w: "/api/v1/militia/targets",
        api=True,
        method="post",
        data=lambda w: _target(w.commune_commands[0].code),
    ),
}

WRITES: dict[str, Write] = {
    "militia:join": Write(
        lambda w: f"/militia/{w.commune_commands[2].code}/join/",
        lambda w: {
            "personal_id": OUT_ID,
            "force_kind": "in_place",
            "joined_on": timezone.localdate().isoformat(),
            **_form_decision(),
        },
    ),
    "militia:target": Write(
        lambda w: f"/militia/{w.commune_commands[2].code}/target/",
        lambda w: {"size": "5", "valid_from": timezone.localdate().isoformat()},
    ),
    "militia:member_leave": Write(
        lambda w: _member_path(w, OUT_ID, "leave/"), lambda w: _form_leave()
    ),
    "militia:member_extend": Write(
        lambda w: _member_path(w, OUT_ID, "extend/"), lambda w: _form_extend()
    ),
    "militia:member_transfer": Write(
        lambda w: _member_path(w, OUT_ID, "transfer/"), lambda w: _form_transfer(w, OUT_ID)
    ),
    "api-v1:member_join": Write(
        lambda w: "/api/v1/militia/join",
        lambda w: _join(OUT_ID, w.commune_commands[2].code),
        api=True,
    ),
    "api-v1:member_leave": Write(
        lambda w: "/api/v1/militia/leave", lambda w: _leave(OUT_ID), api=True
    ),
    "api-v1:member_extend": Write(
        lambda w: "/api/v1/militia/extend", lambda w: _extend(OUT_ID), api=True
    ),
    "api-v1:target_set": Write(
        lambda w: "/api/v1/militia/targets",
        lambda w: _target(w.commune_commands[2].code),
        api=True,
    ),
}


def _founding(commune_code: str) -> dict[str, str]:
    return {
        "organisation_name": "Công ty Mới",
        "organisation_kind": "enterprise",
        "commune": commune_code,
        "under": "province",
        "operating_since": "2015-01-01",
        "eligible_workers": "30",
        "founded_on": "2026-01-05",
    }


# Self-defence in agencies and enterprises (DQTV Art. 15, 17).
CASES.update(
    {
        "militia:self_defence": Case(lambda w: "/militia/self-defence/"),
        "militia:registration": Case(lambda w: "/militia/registration/?year=2026"),
        "militia:registration_record": Case(
            lambda w: "/militia/registration/record/",
            method="post",
            data=lambda w: {"personal_ids": IN_ID, "registered_on": "2026-04-10"},
            in_status=302,
        ),
        "militia:self_defence_found": Case(
            lambda w: "/militia/self-defence/new/",
            method="post",
            data=lambda w: _founding(w.communes[0].code),
            in_status=302,
        ),
    }
)
WRITES.update(
    {
        "militia:registration_record": Write(
            lambda w: "/militia/registration/record/",
            lambda w: {"personal_ids": OUT_ID, "registered_on": "2026-04-10"},
        ),
        "militia:self_defence_found": Write(
            lambda w: "/militia/self-defence/new/", lambda w: _founding(w.communes[2].code)
        ),
    }
)


def _form_unit() -> dict[str, str]:
    data = {
        "name": "Tổ dân quân thôn Mới",
        "force_kind": "in_place",
        "echelon": "team",
        "village": "Thôn Mới",
        "valid_from": timezone.localdate().isoformat(),
    }
    return {f"unit-{k}": v for k, v in data.items()}


def _form_leader(w: World, pid: str) -> dict[str, str]:
    command = w.commune_commands[0 if pid == IN_ID else 2]
    data = {
        "militia_unit": str(MilitiaUnit.objects.get(command=command).pk),
        "membership": str(_membership(pid)),
        "valid_from": timezone.localdate().isoformat(),
    }
    return {f"leader-{k}": v for k, v in data.items()}


def _form_duty() -> dict[str, str]:
    data = {"kind": "exemption", "ground_code": "MEX_CIPHER", **_form_decision()}
    return {f"duty-{k}": v for k, v in data.items()}


# The command's units and a member's duty decision (DQTV Art. 11, 15).
CASES.update(
    {
        "militia:unit_create": Case(
            lambda w: f"/militia/{w.commune_commands[0].code}/units/new/",
            lambda w: f"/militia/{w.commune_commands[2].code}/units/new/",
        ),
        "militia:unit_leader": Case(
            lambda w: f"/militia/{w.commune_commands[0].code}/units/leader/",
            lambda w: f"/militia/{w.commune_commands[2].code}/units/leader/",
        ),
        "militia:member_duty": Case(
            lambda w: _member_path(w, IN_ID, "duty/"),
            method="post",
            data=lambda w: _form_duty(),
            in_status=302,
        ),
    }
)
WRITES.update(
    {
        "militia:unit_create": Write(
            lambda w: f"/militia/{w.commune_commands[2].code}/units/new/",
            lambda w: _form_unit(),
        ),
        "militia:unit_leader": Write(
            lambda w: f"/militia/{w.commune_commands[2].code}/units/leader/",
            lambda w: _form_leader(w, OUT_ID),
        ),
        "militia:member_duty": Write(
            lambda w: _member_path(w, OUT_ID, "duty/"), lambda w: _form_duty()
        ),
    }
)


def _command_path(w: World, pid: str, suffix: str) -> str:
    return f"/militia/{w.commune_commands[0 if pid == IN_ID else 2].code}/{suffix}"


def _absence_path(w: World, pid: str) -> str:
    absence = MilitiaAbsence.objects.get(membership__person__personal_id=pid)
    return _command_path(w, pid, f"absences/{absence.pk}/return/")


def _disband_path(w: World, pid: str) -> str:
    command = w.commune_commands[0 if pid == IN_ID else 2]
    return _command_path(w, pid, f"units/{MilitiaUnit.objects.get(command=command).pk}/disband/")


def _form_absence(pid: str) -> dict[str, str]:
    data = {
        "membership": str(_membership(pid)),
        "reported_on": "2026-02-01",
        "absent_from": "2026-02-01",
        "absent_until": "2026-08-31",
        "reason": "Đi học",
    }
    return {f"absence-{k}": v for k, v in data.items()}


# Reported absences (DQTV Art. 9(2)(b)) and disbanding a unit (Art. 15 as amended).
CASES.update(
    {
        "militia:absences": Case(
            lambda w: _command_path(w, IN_ID, "absences/"),
            lambda w: _command_path(w, OUT_ID, "absences/"),
        ),
        "militia:absence_new": Case(
            lambda w: _command_path(w, IN_ID, "absences/new/"),
            lambda w: _command_path(w, OUT_ID, "absences/new/"),
        ),
        "militia:absence_return": Case(
            lambda w: _absence_path(w, IN_ID), lambda w: _absence_path(w, OUT_ID)
        ),
        "militia:unit_disband": Case(
            lambda w: _disband_path(w, IN_ID), lambda w: _disband_path(w, OUT_ID)
        ),
    }
)
WRITES.update(
    {
        "militia:absence_new": Write(
            lambda w: _command_path(w, OUT_ID, "absences/new/"),
            lambda w: _form_absence(OUT_ID),
        ),
        "militia:absence_return": Write(
            lambda w: _absence_path(w, OUT_ID),
            lambda w: {"return-returned_on": timezone.localdate().isoformat()},
        ),
        "militia:unit_disband": Write(
            lambda w: _disband_path(w, OUT_ID),
            lambda w: {"disband-valid_to": timezone.localdate().isoformat()},
        ),
    }
)
