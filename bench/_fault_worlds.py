"""The worlds and the acts that `muster bench faults` (bench/faults.py) kills, as child processes.

    python -m bench._fault_worlds build SCENARIO   # lays the scenario's world in DATABASE_URL
    python -m bench._fault_worlds act SCENARIO     # prints "ready", does the act, prints "done"
    python -m bench._fault_worlds finish SCENARIO  # the act, then `muster audit verify`

Each runs under the settings `MUSTER_SETTINGS` names, with the keys and the audit checkpoint
file the parent gives it, so every kill interrupts real commits and checkpoint appends.

- restructure: the small two-edition world of the restructure tests (four legacy wards, one
  of them split) with PERSONS people spread over the wards, and the built-in plan `vn-2025`;
  the act is `muster restructure apply vn-2025 --accept-proposals --path batched` in batches
  of BATCH (splits computed, persons, users, territories and commands moved, audited).
- approval: a 2027 call-up cycle with quotas, BATCHES drafted batches of two orders in one
  commune; the act is a second officer approving them one after the other, as on the batch
  page (`conscription.actions.order_batch_approve`: numbers, verification codes, audit).
"""

from __future__ import annotations

import os
import sys
from datetime import date

PERSONS = 1500
BATCH = 40
BATCHES = 10
APPROVAL_DAY = date(2027, 1, 10)  # the approvals' day: before the cycle's notice deadline
REPORT_ON = date(2027, 2, 25)


def _setup() -> None:
    from config import env

    os.environ["DJANGO_SETTINGS_MODULE"] = env.settings_module()
    import django

    django.setup()


def build_restructure() -> None:
    from muster.core.text import fold
    from muster.people.models import Person, ResidencePeriod
    from muster.restructure.plans import builtin_plan_build
    from muster.restructure.tests.support import build_small

    small = build_small()
    wards = [small.legacy[code] for code in ("90001", "90002", "90003", "90004")]
    persons = []
    for n in range(PERSONS):
        ward = wards[n % len(wards)]
        name = f"Trần Văn Số {n}"
        persons.append(
            Person(
                personal_id=f"0910910{n:05d}",
                full_name=name,
                search_key=fold(name),
                given_key=fold(name),
                sex="M" if n % 2 else "F",
                birth_date=date(1960 + n % 45, 1 + n % 12, 1 + n % 28),
                residence_commune=ward,
                address=f"Thôn {n % 7}, {ward.name}, Huyện Cũ, Tỉnh Cũ",
            )
        )
    created = Person.objects.bulk_create(persons, batch_size=500)
    ResidencePeriod.objects.bulk_create(
        [
            ResidencePeriod(
                person=p, commune=p.residence_commune, address=p.address, valid_from=p.birth_date
            )
            for p in created
        ],
        batch_size=500,
    )
    builtin_plan_build()


def build_approval() -> None:
    from muster.conscription.actions import cycle as actions_cycle
    from muster.conscription.actions import orders as actions_orders
    from muster.conscription.tests.factories_cycle import cycle_make, cycle_world

    cw = cycle_world(pools=(2 * BATCHES + 4, 3, 1))
    cycle = cycle_make(cw, target=2 * BATCHES + 8)
    actions_cycle.quotas_propose(cycle=cycle, acting_user=cw.province_user)
    men = cw.men[cw.world.communes[0].code]
    for n in range(BATCHES):
        actions_orders.order_batch_create(
            cycle=cycle,
            commune=cw.world.communes[0],
            person_ids=[men[2 * n].pk, men[2 * n + 1].pk],
            report_on=REPORT_ON,
            report_place="Sân vận động xã",
            acting_user=cw.commune_user,
            today=APPROVAL_DAY,
        )


def act_restructure() -> None:
    from django.core.management import call_command

    print("ready", flush=True)
    call_command(
        "restructure",
        "apply",
        "vn-2025",
        "--accept-proposals",
        "--batch-size",
        str(BATCH),
        "--path",
        "batched",
    )


def act_approval() -> None:
    from muster.accounts.models import User
    from muster.conscription.actions import orders as actions_orders
    from muster.conscription.models import OrderBatch

    approver = User.objects.get(username="xa1b")  # not the drafter: the two-person rule
    print("ready", flush=True)
    for batch in OrderBatch.objects.filter(approved_at__isnull=True).order_by("pk"):
        actions_orders.order_batch_approve(batch=batch, acting_user=approver, today=APPROVAL_DAY)
        print(f"approved {batch.pk}", flush=True)


STEPS = {
    ("build", "restructure"): build_restructure,
    ("build", "approval"): build_approval,
    ("act", "restructure"): act_restructure,
    ("act", "approval"): act_approval,
}


def audit_verify() -> int:
    """`muster audit verify` in this process (a child's start-up costs seconds on a busy
    machine): its exit code, its report printed."""
    from django.core.management import call_command

    try:
        call_command("audit", "verify")
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def main(argv: list[str]) -> int:
    verb, scenario = ([*argv, "", ""])[:2]
    step = STEPS.get(("act" if verb == "finish" else verb, scenario))
    if step is None or len(argv) != 2:
        print(f"usage: python -m bench._fault_worlds build|act|finish {'|'.join(SCENARIOS)}")
        return 2
    _setup()
    step()
    print("done", flush=True)
    if verb == "finish":
        code = audit_verify()
        print(f"verify exit {code}", flush=True)
    return 0


SCENARIOS = ("restructure", "approval")

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
