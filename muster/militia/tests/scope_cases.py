"""Route scope cases of the militia pages: each scope-test person is on the roster of their
commune's command; the user (commune 99001's command) must not see the other's roster."""

from __future__ import annotations

from datetime import date

from muster.accounts.tests.factories import World
from muster.militia.models import MilitiaMembership, MilitiaTarget
from muster.people.models import Person
from tests.scope_support import IN_ID, OUT_ID, Case

JOINED = date(2025, 8, 15)


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


CASES: dict[str, Case] = {
    "militia:index": Case(lambda w: "/militia/"),
    "militia:roster": Case(
        lambda w: f"/militia/{w.commune_commands[0].code}/",
        lambda w: f"/militia/{w.commune_commands[2].code}/",
    ),
}
