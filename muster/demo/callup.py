"""The demo province's military service: records migrated from spreadsheets, earlier soldiers
discharged into the reserve, and the 2027 call-up cycle from quotas to handover.

The records are migrated first (`callup_records`, right after the register's extract: the
commune registers existed before Muster did), so the change feed and the worklists that follow
see who is registered; the rest (`callup_stage`) runs once the users exist.
Everything goes through the same imports and actions staff use. The 2027 handover lies ahead
of today's date, so it runs on a simulated clock (`HANDOVER_DAY`): the demo shows the cycle as
it will stand the day after the handover. Re-running changes nothing.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from muster.accounts.models import User
from muster.conscription import bulk
from muster.conscription.actions import cycle as actions_cycle
from muster.conscription.actions import orders as actions_orders
from muster.conscription.actions import service as actions_service
from muster.conscription.imports import records as imports
from muster.conscription.models import CallupCycle, CallupOrder, OrderBatch, ServiceRecord
from muster.conscription.queries.candidates import candidate_rows
from muster.conscription.rules.callup import age_on, ruleset_get, years_before
from muster.conscription.rules.grounds import GROUNDS
from muster.geo.models import AdminUnit
from muster.orgs.models import OrgUnit, Territory
from muster.people.models import Person

YEAR = 2027
CALLUP_DAY = date(2027, 3, 1)
HANDOVER_DAY = date(2027, 3, 1)  # the simulated clock of the handover step
EXAM_DAYS = (date(2026, 11, 2), date(2026, 11, 20))  # MSL Art. 40(5): from 1 November
EARLIER = ((date(2024, 2, 26), date(2026, 2, 26)), (date(2025, 3, 5), None))  # enlisted, discharged
UNITS = ("Trung đoàn 98, Sư đoàn 316", "Lữ đoàn 543", "Bộ CHQS tỉnh – Tiểu đoàn huấn luyện")
OCCUPATIONS = ("Làm nông", "Công nhân", "Học sinh", "Sinh viên", "Lao động tự do", "Thợ xây")
EDUCATION = (
    ("grade_12", 55), ("grade_9", 14), ("grade_8", 4), ("grade_7", 2), ("vocational", 9),
    ("college", 6), ("university", 10),
)  # fmt: skip
DEFERRALS = (
    ("DEF_SOLE_CARER", 2), ("DEF_SIBLING_SERVING", 1), ("DEF_FAMILY_DISASTER", 1),
    ("DEF_HARDSHIP_POSTING", 1), ("DEF_STANDING_MILITIA", 1),
)  # fmt: skip
EXEMPTIONS = (("EX_MARTYR_CHILD", 1), ("EX_WIA1_CHILD", 1), ("EX_CIPHER", 1))


@dataclass(frozen=True)
class CallupResult:
    imported: dict[str, int]
    discharged_to_reserve: int
    serving: int
    target: int
    orders: int
    reported: int
    verify_code: str


def _pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _w in table], weights=[w for _v, w in table])[0]


def _men(province: AdminUnit) -> list[Person]:
    oldest, youngest = years_before(CALLUP_DAY, 28), years_before(CALLUP_DAY, 17)
    return list(
        Person.objects.filter(
            residence_commune__parent=province,
            sex="M",
            life_status="alive",
            birth_date__gt=oldest,
            birth_date__lte=youngest,
        ).order_by("personal_id")
    )


def _older_men(province: AdminUnit) -> list[Person]:
    """Men past call-up age but still of register age (to the end of 45, MSL Art. 25): they
    registered at 17 years ago, and the commune's books say so."""
    oldest, youngest = years_before(CALLUP_DAY, 46), years_before(CALLUP_DAY, 28)
    return list(
        Person.objects.filter(
            residence_commune__parent=province,
            sex="M",
            life_status="alive",
            birth_date__gt=oldest,
            birth_date__lte=youngest,
        ).order_by("personal_id")
    )


def _write(
    path: Path, header: tuple[str, ...], rows: Sequence[tuple[object, ...]]
) -> tuple[Path, int]:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path, len(rows)


def _spreadsheets(
    men: list[Person], older: list[Person], seed: int, data: Path
) -> dict[str, tuple[Path, int]]:
    """The commune commands' spreadsheets: registrations, the November exams, decisions; each
    with its number of rows."""
    rng = random.Random(seed)
    registrations: list[tuple[object, ...]] = []
    exams: list[tuple[object, ...]] = []
    decisions: list[tuple[object, ...]] = []
    today = timezone.localdate()
    for man in men:
        registered_on = date(man.birth_date.year + 17, 4, rng.randint(3, 28))
        if registered_on > today or rng.random() < 0.06:
            continue  # not due yet, or never registered: the list shows him unregistered
        education = _pick(rng, EDUCATION)
        registrations.append((man.personal_id, registered_on, education, rng.choice(OCCUPATIONS)))
        decision = _decision(rng, man, education)
        if decision is not None:
            decisions.append(decision)
            until = decision[4]
            if not isinstance(until, date) or until > today:
                continue  # deferred or exempt: not sent to the examination
        if rng.random() < 0.7:
            exams.append(_exam(rng, man.personal_id))
    older_rng = random.Random(seed + 3)
    for man in older:
        if older_rng.random() < 0.02:
            continue  # a few never registered: the worklist shows them
        registered_on = date(man.birth_date.year + 17, 4, older_rng.randint(3, 28))
        education = _pick(older_rng, EDUCATION)
        registrations.append(
            (man.personal_id, registered_on, education, older_rng.choice(OCCUPATIONS))
        )
    return {
        "registrations": _write(
            data / "registrations.csv",
            ("personal_id", "registered_on", "education_level", "occupation"),
            registrations,
        ),
        "health": _write(
            data / "health.csv",
            (
                "personal_id",
                "examined_on",
                "health_class",
                "myopia_diopters",
                "hyperopia",
                "bmi",
                "drug_addiction",
            ),
            exams,
        ),
        "deferrals": _write(
            data / "deferrals.csv",
            ("personal_id", "kind", "ground_code", "decided_on", "valid_until"),
            decisions,
        ),
    }


def _decision(rng: random.Random, man: Person, education: str) -> tuple[object, ...] | None:
    """A deferral or exemption decided at the commune council's August review, if any; some
    deferrals lapsed in June and put the man back on the worklist."""
    roll = rng.random()
    if education in ("college", "university") and roll < 0.5:
        kind, ground, decided_on, until = (
            "deferral",
            "DEF_STUDENT",
            date(2026, 8, 20),
            date(2027, 6, 30),
        )
    elif roll < 0.07:
        ended = rng.random() < 0.3
        decided_on = date(2025, 8, 20) if ended else date(2026, 8, 20)
        until = date(2026, 6, 30) if ended else date(2027, 12, 31)
        kind, ground = "deferral", _pick(rng, DEFERRALS)
    elif roll < 0.09:
        kind, ground, decided_on, until = (
            "exemption",
            _pick(rng, EXEMPTIONS),
            date(2026, 8, 20),
            None,
        )
    else:
        return None
    spec = GROUNDS[ground]
    if not spec.min_age <= age_on(man.birth_date, decided_on) <= spec.max_age:
        return None
    return (man.personal_id, kind, ground, decided_on, until or "")


def _exam(rng: random.Random, personal_id: str) -> tuple[object, ...]:
    """Class mix close to Phú Thọ's 2026 figures (13.8 % class 1, 56 % class 2)."""
    klass = rng.choices((1, 2, 3, 4, 5), weights=(14, 56, 20, 7, 3))[0]
    span = (EXAM_DAYS[1] - EXAM_DAYS[0]).days
    examined_on = EXAM_DAYS[0] + timedelta(days=rng.randint(0, span))
    myopia = rng.choice(("", "", "", "0.75", "1.5", "2.25")) if klass == 3 else ""
    bmi = f"{rng.uniform(17.2, 31.0):.1f}"
    drug = "yes" if rng.random() < 0.004 else "no"
    hyperopia = "yes" if klass == 3 and rng.random() < 0.05 else "no"
    return (personal_id, examined_on, klass, myopia, hyperopia, bmi, drug)


def _earlier_soldiers(men: list[Person], seed: int, admin: User) -> tuple[int, int]:
    """Men called up in 2024 (discharged in 2026, now reservists) and 2025 (still serving)."""
    rng = random.Random(seed + 1)
    pool = [m for m in men if date(2002, 1, 1) <= m.birth_date <= date(2006, 2, 1)]
    rng.shuffle(pool)
    discharged = serving = 0
    for index, man in enumerate(pool[: max(12, len(pool) // 40)]):
        enlisted_on, discharged_on = EARLIER[index % 2]
        record = ServiceRecord.objects.filter(person=man, enlisted_on=enlisted_on).first()
        if record is None:
            record = actions_service.service_enlist(
                person=man, enlisted_on=enlisted_on, unit_name=rng.choice(UNITS),
                source="demo", acting_user=admin,
            )  # fmt: skip
        if discharged_on is None:
            serving += 1
            continue
        early = index % 10 == 0  # a few leave after 4 months: unfit → reserve category 2
        actions_service.service_discharge(
            record=record,
            discharged_on=enlisted_on + timedelta(days=120) if early else discharged_on,
            reason="health" if early else "term_ended",
            acting_user=admin,
        )
        discharged += 1
    return discharged, serving


def _cycle(province: AdminUnit, users: dict[str, User], people: int) -> CallupCycle:
    provincial = users["tinh"]
    cycle = actions_cycle.cycle_create(
        province=province, year=YEAR, callup_date=CALLUP_DAY,
        target=max(10, people // 1250), acting_user=provincial,
    )  # fmt: skip
    if not cycle.quotas.exists():
        actions_cycle.quotas_propose(cycle=cycle, acting_user=provincial)
        first = users["xa1"].jurisdiction
        # The override the council agreed: one more where the eligible pool allows it (a
        # quota above the pool is refused, security finding 5); a small demo may have none.
        quota = (
            cycle.quotas.filter(commune__in=_communes_of(first), quota__lt=F("pool"))
            .order_by("commune__code")
            .first()
        )
        if quota is not None:
            actions_cycle.quota_override(
                cycle=cycle, commune=quota.commune, quota=quota.quota + 1,
                reason="Nhiều thanh niên tình nguyện nhập ngũ; đã thống nhất với Hội đồng NVQS tỉnh",
                acting_user=provincial,
            )  # fmt: skip
    return cycle


def _communes_of(org: OrgUnit | None) -> list[AdminUnit]:
    ids = Territory.objects.filter(org_unit=org, valid_to__isnull=True).values("admin_unit_id")
    return list(AdminUnit.objects.filter(pk__in=ids))


def _orders(cycle: CallupCycle, users: dict[str, User], seed: int) -> None:
    """A batch per commune: drafted by one person, approved by another, served, handed over."""
    rules = ruleset_get(cycle.rules_version, cycle.rules_overrides)
    quotas = {q.commune_id: q for q in cycle.quotas.select_related("commune") if q.quota}
    # The examined eligible men, the fittest first (HC1 before HC2 before HC3).
    fitness = {
        row.person_id: row.reasons[0]
        for row in candidate_rows(communes=list(quotas), reference=cycle.callup_date, rules=rules)
        if row.status == "eligible" and "HEALTH_PENDING" not in row.reasons
    }
    by_commune: dict[int, list[int]] = {}
    for person in Person.objects.filter(pk__in=list(fitness)).order_by("search_key"):
        by_commune.setdefault(person.residence_commune_id, []).append(person.pk)
    rng = random.Random(seed + 2)
    xa1_communes = {c.pk for c in _communes_of(users["xa1"].jurisdiction)}
    for commune_id, quota in sorted(quotas.items()):
        if OrderBatch.objects.filter(cycle=cycle, commune_id=commune_id).exists():
            continue
        chosen = sorted(by_commune.get(commune_id, []), key=fitness.__getitem__)[: quota.quota]
        if not chosen:
            continue
        drafter, approver = (
            (users["xa1"], users["tinh"]) if commune_id in xa1_communes else (users["tinh"], users["quankhu"])
        )  # fmt: skip
        with transaction.atomic():
            batch = actions_orders.order_batch_create(
                cycle=cycle, commune=quota.commune, person_ids=chosen, report_on=CALLUP_DAY,
                report_place=f"Trụ sở Ban CHQS {quota.commune.name}", acting_user=drafter,
            )  # fmt: skip
            actions_orders.order_batch_approve(batch=batch, acting_user=approver)
            # The batch's deliveries and handover too: one commit and one audit checkpoint per
            # commune, not two per order.
            _serve_and_hand_over(batch, drafter, rng)


def _serve_and_hand_over(batch: OrderBatch, user: User, rng: random.Random) -> None:
    today = timezone.localdate()
    for order in batch.orders.select_related("person").order_by("number"):
        actions_orders.order_serve(
            order=order, served_on=today, served_how=rng.choice(("in_person", "family", "village")),
            acknowledged=True, acting_user=user,
        )  # fmt: skip
        roll = rng.random()
        outcome = "reported" if roll < 0.9 else "postponed" if roll < 0.96 else "failed_to_report"
        actions_orders.handover_record(
            order=order, outcome=outcome, outcome_on=HANDOVER_DAY,
            note="" if outcome == "reported" else "Ốm, có giấy xác nhận của trạm y tế xã",
            unit_name=rng.choice(UNITS), acting_user=user, today=HANDOVER_DAY,
        )  # fmt: skip


def callup_records(*, province: AdminUnit, seed: int, data: Path) -> dict[str, int]:
    """Migrate the commune commands' spreadsheets through `muster import`'s code; rows loaded
    per kind. A file without rows (a tiny demo) is not imported: the import refuses it."""
    data.mkdir(parents=True, exist_ok=True)
    imported: dict[str, int] = {}
    sheets = _spreadsheets(_men(province), _older_men(province), seed, data)
    for kind, (path, rows) in sheets.items():
        if not rows:
            imported[kind] = 0
            continue
        result = imports.records_import(kind, path, rejects=data / f"{kind}.rejects.csv")
        imported[kind] = result.inserted + result.updated + result.unchanged
    return imported


def callup_stage(
    *, province: AdminUnit, seed: int, people: int, imported: dict[str, int]
) -> CallupResult:
    """Add earlier soldiers, run the 2027 cycle; counts for the summary (with `imported`, what
    `callup_records` loaded)."""
    users = {
        u.username: u for u in User.objects.filter(username__in=("admin", "tinh", "quankhu", "xa1"))
    }
    men = _men(province)
    discharged, serving = _earlier_soldiers(men, seed, users["admin"])
    bulk.deferral_worklist_refresh(today=timezone.localdate())
    cycle = _cycle(province, users, people)
    _orders(cycle, users, seed)
    orders = CallupOrder.objects.filter(cycle=cycle, issued_on__isnull=False)
    first = orders.order_by("number").first()
    return CallupResult(
        imported=imported,
        discharged_to_reserve=discharged,
        serving=serving,
        target=cycle.target,
        orders=orders.count(),
        reported=orders.filter(outcome="reported").count(),
        verify_code=first.verification_code or "" if first else "",
    )
