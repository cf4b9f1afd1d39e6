"""Route scope cases of the restructuring pages: a split case for each scope-test person, and
a plan of each side's command.

The user is provincial staff whose jurisdiction is commune 99001's command, so the scope is
that commune only: the other person's case must not show and cannot be decided, the plan of
commune 99003's command does not exist for them (issue 13, finding 4).
"""

from __future__ import annotations

from datetime import date

from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.people.models import Person
from muster.restructure.models import Plan, PlanSource, PlanStatus, SplitCase
from tests.scope_support import IN_ID, OUT_ID, Case, Write

KEY = "scope-plan"
OUT_KEY = "scope-plan-out"


def prepare(world: World) -> None:
    plan = Plan.objects.create(
        key=KEY,
        title="Scope",
        effective_on=date(2026, 1, 1),
        source=PlanSource.CSV,
        status=PlanStatus.PLANNED,
        jurisdiction=world.commune_commands[0],
    )
    Plan.objects.create(
        key=OUT_KEY,
        title="Another command's plan",
        effective_on=date(2026, 1, 1),
        source=PlanSource.CSV,
        status=PlanStatus.PLANNED,
        jurisdiction=world.commune_commands[2],
    )
    for pid in (IN_ID, OUT_ID):
        person = Person.objects.get(personal_id=pid)
        SplitCase.objects.create(
            plan=plan,
            person=person,
            legacy_ward=person.residence_commune,
            proposed_commune=person.residence_commune,
            confidence=0.4,
            evidence={"address": ""},
        )


def _case_id(pid: str) -> int:
    return SplitCase.objects.get(plan__key=KEY, person__personal_id=pid).pk


def _decide(pid: str) -> dict[str, str]:
    return {"commune": str(Person.objects.get(personal_id=pid).residence_commune_id)}


CASES: dict[str, Case] = {
    "restructure:index": Case(lambda w: "/restructure/", role=Role.PROVINCE_STAFF),
    "restructure:plan": Case(
        lambda w: f"/restructure/{KEY}/",
        lambda w: f"/restructure/{OUT_KEY}/",
        role=Role.PROVINCE_STAFF,
    ),
    "restructure:plan_new": Case(lambda w: "/restructure/new/", role=Role.PROVINCE_STAFF),
    "restructure:plan_edit": Case(
        lambda w: f"/restructure/{KEY}/edit/",
        lambda w: f"/restructure/{OUT_KEY}/edit/",
        role=Role.PROVINCE_STAFF,
    ),
    "restructure:plan_compute": Case(
        lambda w: f"/restructure/{KEY}/compute/",
        lambda w: f"/restructure/{OUT_KEY}/compute/",
        method="post",
        data=lambda w: {},
        in_status=302,
        role=Role.PROVINCE_STAFF,
    ),
    "restructure:splits": Case(lambda w: f"/restructure/{KEY}/splits/", role=Role.PROVINCE_STAFF),
    "restructure:split_decide": Case(
        lambda w: f"/restructure/{KEY}/splits/{_case_id(IN_ID)}/",
        lambda w: f"/restructure/{KEY}/splits/{_case_id(OUT_ID)}/",
        method="post",
        data=lambda w: _decide(IN_ID),
        in_status=302,
        role=Role.PROVINCE_STAFF,
    ),
}


# A valid succession inside the user's own jurisdiction: the only thing wrong is whose plan.
SUCCESSION = (
    "effective_on,unit_type,kind,old_code,new_code,is_default\n"
    "2026-01-01,org,rename,BCHQS-X-99001,BCHQS-X-99001,1\n"
)

# Writes on the plan of commune 99003's command and its person's split case.
WRITES: dict[str, Write] = {
    # A new plan under another's key is refused on the key (finding 4), never a replacement.
    "restructure:plan_new": Write(
        lambda w: "/restructure/new/",
        lambda w: {"key": OUT_KEY, "title": "Mine", "text": SUCCESSION},
        refused=(400, 403),
        why="the key is taken: the new-plan form refuses it on its field (400); roles below "
        "the province are refused (403)",
    ),
    "restructure:plan_edit": Write(
        lambda w: f"/restructure/{OUT_KEY}/edit/", lambda w: {"title": "x", "text": SUCCESSION}
    ),
    "restructure:plan_compute": Write(lambda w: f"/restructure/{OUT_KEY}/compute/"),
    "restructure:split_decide": Write(
        lambda w: f"/restructure/{KEY}/splits/{_case_id(OUT_ID)}/", lambda w: _decide(OUT_ID)
    ),
}
