"""Route scope cases of the review queue: a case for each of the two scope-test persons."""

from __future__ import annotations

from muster.accounts.tests.factories import World
from muster.linkage.models import ReviewCase
from muster.people.models import Person
from tests.scope_support import IN_ID, OUT_ID, Case, Write


def prepare(world: World) -> None:
    for pid in (IN_ID, OUT_ID):
        person = Person.objects.get(personal_id=pid)
        ReviewCase.objects.create(
            source="scope",
            legacy_id=f"L-{pid}",
            legacy={"full_name": person.full_name, "birth_year": "2000"},
            person=person,
            commune=person.residence_commune,
            probability=0.8,
        )


def _case_id(pid: str) -> int:
    return ReviewCase.objects.get(legacy_id=f"L-{pid}").pk


CASES: dict[str, Case] = {
    "linkage:queue": Case(lambda w: "/linkage/"),
    "linkage:case": Case(
        lambda w: f"/linkage/{_case_id(IN_ID)}/", lambda w: f"/linkage/{_case_id(OUT_ID)}/"
    ),
}


WRITES: dict[str, Write] = {
    "linkage:case": Write(
        lambda w: f"/linkage/{_case_id(OUT_ID)}/", lambda w: {"status": "accepted"}
    ),
}
