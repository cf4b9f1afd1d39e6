"""Route scope cases of the technical means pages (merged by scope_cases.py).

`prepare` registers a truck in commune 99001 (the user's) and one in 99003. The user sees and
opens only the first; the second is absent (404). Keeping the register needs
`reserve.means.edit` (provincial staff and above), so the form cases log in a provincial role
with the jurisdiction of commune 99001's command: it may change 99001's truck, and 99003's is
absent for it.
"""

from __future__ import annotations

from django.utils import timezone

from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.reserve.models_units import TechnicalMeans
from tests.scope_support import Case, Write

IN_MEANS, OUT_MEANS = "24C-990.01", "24C-990.03"


def prepare(world: World) -> None:
    for registration, commune in ((IN_MEANS, world.communes[0]), (OUT_MEANS, world.communes[2])):
        TechnicalMeans.objects.create(
            kind="vehicle",
            registration=registration,
            capability="cargo_truck",
            capacity="5 t",
            owner="Hợp tác xã Vận tải",
            commune=commune,
            state="ready",
            registry="Sở Xây dựng",
            registered_year=2026,
        )


def _path(registration: str, suffix: str = "") -> str:
    return f"/reserve/means/{TechnicalMeans.objects.get(registration=registration).pk}/{suffix}"


def _edit(commune: str) -> dict[str, str]:
    data = {
        "capability": "tanker_truck",
        "capacity": "10 m³",
        "owner": "Hợp tác xã Vận tải",
        "commune": commune,
        "state": "repair",
        "registry": "Sở Xây dựng",
    }
    return {f"edit-{k}": v for k, v in data.items()}


def _retire() -> dict[str, str]:
    return {"retire-retired_on": timezone.localdate().isoformat(), "retire-reason": "scrapped"}


def _new(commune: str) -> dict[str, str]:
    return {
        "kind": "vehicle",
        "registration": "24C-990.99",
        "capability": "cargo_truck",
        "capacity": "5 t",
        "owner": "Công ty Mới",
        "commune": commune,
        "state": "ready",
        "registry": "Sở Xây dựng",
        "registered_year": str(timezone.localdate().year),
    }


CASES: dict[str, Case] = {
    "reserve_means:index": Case(lambda w: "/reserve/means/"),
    "reserve_means:detail": Case(lambda w: _path(IN_MEANS), lambda w: _path(OUT_MEANS)),
    # The form offers only the communes of the user's jurisdiction.
    "reserve_means:new": Case(lambda w: "/reserve/means/new/", role=Role.PROVINCE_STAFF),
    "reserve_means:edit": Case(
        lambda w: _path(IN_MEANS, "edit/"),
        lambda w: _path(OUT_MEANS, "edit/"),
        method="post",
        data=lambda w: _edit(w.communes[0].code),
        in_status=302,
        role=Role.PROVINCE_STAFF,
    ),
    "reserve_means:retire": Case(
        lambda w: _path(IN_MEANS, "retire/"),
        lambda w: _path(OUT_MEANS, "retire/"),
        method="post",
        data=lambda w: _retire(),
        in_status=302,
        role=Role.PROVINCE_STAFF,
    ),
}

WRITES: dict[str, Write] = {
    "reserve_means:new": Write(
        lambda w: "/reserve/means/new/",
        lambda w: _new(w.communes[2].code),
        refused=(200, 403),
        why="the form offers only the user's communes, another commune is an invalid choice "
        "(200, the form with its error); roles that do not keep the register are refused (403)",
    ),
    "reserve_means:edit": Write(lambda w: _path(OUT_MEANS, "edit/"), lambda w: _edit("99001")),
    "reserve_means:retire": Write(lambda w: _path(OUT_MEANS, "retire/"), lambda w: _retire()),
}
