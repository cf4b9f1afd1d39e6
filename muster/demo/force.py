"""The demo's militia and self-defence force beyond the rosters (`demo.militia`): standing
militia in every key defence commune, self-defence in enterprises of the province, a year of
training with attendance, and the worklists the records call for.

- **Standing militia** (DQTV Art. 15 as amended): each key defence commune (the border
  communes of the configuration, Phường Lào Cai 02647 among them) without a standing squad
  gets one of young men, who are then proposed for the call-up deferral (MSL Art. 41(1)(h)).
- **Self-defence** (Art. 2, 15, 17): two enterprises found their military command under the
  provincial command — both meet Art. 17 — and take workers aged 20–45 onto its roster; one
  target is set above the roster, so a command below target shows on the worklist.
- **Training** (Art. 28): every command with members holds this year's main session in March
  (10 days, most attend most of it, some are absent) and plans a make-up session in the last
  month; members still short show on `/training/shortfalls/` and, from October, the worklist.

Everything goes through the apps' actions (audited, scoped as the system); re-running changes
nothing: a command already holding a session, a founded enterprise, a standing squad in place
are skipped. `worklists.bulk.work_items_sync` then opens the province's items in one pass.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count

from muster.core.errors import InvalidInput
from muster.geo.models import AdminUnit
from muster.militia import actions as militia_actions
from muster.militia.models import DefenceCommune, MilitiaMembership, SelfDefenceCommand
from muster.orgs.models import OrgKind, OrgUnit, Territory
from muster.people.models import Person
from muster.training import actions as training_actions
from muster.training.models import TrainingSession
from muster.worklists.bulk import SyncCounts, work_items_deferred, work_items_sync

STANDING_SQUAD = 4  # scaled like the demo's population (demo.militia.STANDING_SQUAD)
ENTERPRISES = (
    # (organisation, commune code, operating since, eligible workers, members, target)
    ("Công ty Cổ phần Apatit Việt Nam", "02647", date(2006, 3, 1), 160, 14, 18),
    ("Công ty Cổ phần Gang thép Lào Cai", None, date(2013, 7, 1), 95, 10, 10),
)
MAIN_SESSION_DAYS = 10
MAKE_UP_DAYS = 3


@dataclass(frozen=True)
class ForceResult:
    standing_added: int
    enterprises: int
    self_defence_members: int
    sessions: int
    attendances: int
    work_items: SyncCounts


def force_stage(*, province: AdminUnit, today: date, seed: int) -> ForceResult:
    """Standing squads, self-defence and training for `province` (see the module's notes)."""
    rng = random.Random(seed + 28)
    commune_ids = list(AdminUnit.objects.filter(parent=province).values_list("id", flat=True))
    with work_items_deferred():  # the members' and commands' items: one sync, below
        standing = _standing_squads(commune_ids, today, rng)
        enterprises, workers = _self_defence(province, commune_ids, today, rng)
        sessions, attendances = _training(commune_ids, today, rng)
    items = work_items_sync(commune_ids=commune_ids, today=today)
    return ForceResult(standing, enterprises, workers, sessions, attendances, items)


def _busy() -> set[int]:
    return set(
        MilitiaMembership.objects.filter(valid_to__isnull=True).values_list("person_id", flat=True)
    )


def _candidates(
    commune_ids: list[int], today: date, *, ages: tuple[int, int], men_only: bool
) -> dict[int, list[int]]:
    """Living residents aged `ages` on `today`, not serving in the militia, per commune."""
    busy = _busy()
    rows = Person.objects.filter(
        residence_commune_id__in=commune_ids,
        life_status="alive",
        birth_date__gt=date(today.year - ages[1] - 1, today.month, 1),
        birth_date__lte=date(today.year - ages[0], 1, 1),
    )
    if men_only:
        rows = rows.filter(sex="M")
    found: dict[int, list[int]] = {}
    for person_id, commune_id in rows.values_list("id", "residence_commune_id").order_by("id"):
        if person_id not in busy:
            found.setdefault(commune_id, []).append(person_id)
    return found


def _standing_squads(commune_ids: list[int], today: date, rng: random.Random) -> int:
    """A standing squad in each key defence commune that has none (DQTV Art. 15)."""
    key = set(
        DefenceCommune.objects.filter(
            commune_id__in=commune_ids, key_defence=True, valid_to__isnull=True
        ).values_list("commune_id", flat=True)
    )
    with_squad = set(
        MilitiaMembership.objects.filter(valid_to__isnull=True, force_kind="standing").values_list(
            "unit__territories__admin_unit_id", flat=True
        )
    )
    commands = dict(
        Territory.objects.filter(
            admin_unit_id__in=sorted(key - with_squad),
            org_unit__kind=OrgKind.COMMUNE_COMMAND,
            org_unit__valid_to__isnull=True,
            valid_to__isnull=True,
        ).values_list("admin_unit_id", "org_unit_id")
    )
    pools = _candidates(sorted(commands), today, ages=(19, 26), men_only=True)
    added = 0
    joined_on = date(today.year, 5, 10) if today >= date(today.year, 5, 10) else today
    for commune_id, unit_id in sorted(commands.items()):
        unit = OrgUnit.objects.get(pk=unit_id)
        men = pools.get(commune_id, [])
        rng.shuffle(men)
        with transaction.atomic():
            for person_id in men[:STANDING_SQUAD]:
                added += _join(Person.objects.get(pk=person_id), unit, joined_on, "standing")
    return added


def _join(person: Person, unit: OrgUnit, day: date, force_kind: str) -> int:
    try:
        with transaction.atomic():
            militia_actions.militia_join(
                person=person, unit=unit, joined_on=day, force_kind=force_kind, acting_user=None
            )
    except InvalidInput:  # e.g. serving in the army, or a ground the register knows of
        return 0
    return 1


def _self_defence(
    province: AdminUnit, commune_ids: list[int], today: date, rng: random.Random
) -> tuple[int, int]:
    """Two enterprises' military commands (Art. 17 met) with their workers on the roster."""
    provincial = OrgUnit.objects.filter(
        kind__in=(OrgKind.PROVINCIAL_COMMAND, OrgKind.CAPITAL_COMMAND),
        territories__admin_unit=province,
        valid_to__isnull=True,
    ).first()
    if provincial is None:
        return 0, 0
    communes = list(
        AdminUnit.objects.filter(pk__in=commune_ids).order_by("code").values_list("code", "pk")
    )
    codes = dict(communes)
    founded = members = 0
    founded_on = date(2025, 9, 1)
    for index, (name, code, since, workers, size, target) in enumerate(ENTERPRISES):
        code = code if code in codes else communes[(index + 1) * len(communes) // 3][0]
        if SelfDefenceCommand.objects.filter(organisation_name=name).exists():
            continue
        commune = AdminUnit.objects.get(pk=codes[code])
        with transaction.atomic():
            record = militia_actions.self_defence_found(
                code=f"TV-{code}-{index + 1}",
                organisation_name=name,
                organisation_kind="enterprise",
                parent=provincial,
                commune=commune,
                operating_since=since,
                eligible_workers=workers,
                founded_on=founded_on,
                acting_user=None,
            )
            pool = _candidates([commune.pk], today, ages=(20, 45), men_only=False).get(
                commune.pk, []
            )
            rng.shuffle(pool)
            joined = 0
            for person_id in pool:
                if joined >= size:
                    break
                force = "mobile" if joined < size // 3 else "in_place"
                joined += _join(
                    Person.objects.get(pk=person_id), record.unit, date(2025, 9, 15), force
                )
            militia_actions.militia_target_set(
                unit=record.unit,
                size=target,
                valid_from=founded_on,
                basis="Kế hoạch tổ chức tự vệ (dữ liệu mẫu)",
                acting_user=None,
            )
        founded += 1
        members += joined
    return founded, members


def _training(commune_ids: list[int], today: date, rng: random.Random) -> tuple[int, int]:
    """This year's main session held in March with attendance, and a make-up session planned
    in the year's last weeks, for every command with members that has no session yet."""
    year = today.year
    held_on = date(year, 3, 9)
    if today < held_on + timedelta(days=MAIN_SESSION_DAYS + 2):
        return 0, 0
    units = (
        MilitiaMembership.objects.filter(valid_to__isnull=True, valid_from__lte=held_on)
        .filter(unit__territories__admin_unit_id__in=commune_ids)
        .values("unit_id")
        .annotate(n=Count("id"))
    )
    trained = set(
        TrainingSession.objects.filter(starts_on__year=year).values_list("unit_id", flat=True)
    )
    sessions = attendances = 0
    make_up = max(today + timedelta(days=3), date(year, 12, 14))
    for row in units.order_by("unit_id"):
        if row["unit_id"] in trained:
            continue
        unit = OrgUnit.objects.get(pk=row["unit_id"])
        with transaction.atomic():
            session = training_actions.training_session_create(
                unit=unit,
                title=f"Huấn luyện dân quân tự vệ năm {year}",
                starts_on=held_on,
                ends_on=held_on + timedelta(days=MAIN_SESSION_DAYS + 1),
                days=MAIN_SESSION_DAYS,
                place="Thao trường xã",
                acting_user=None,
            )
            entries = []
            for m in (
                MilitiaMembership.objects.as_of(held_on).filter(unit=unit).select_related("person")
            ):
                roll = rng.random()
                days = (
                    0
                    if roll < 0.08
                    else MAIN_SESSION_DAYS - (rng.randint(1, 4) if roll < 0.3 else 0)
                )
                entries.append(
                    training_actions.AttendanceInput(
                        person=m.person,
                        days=days,
                        absence_reason="Đi làm ăn xa" if days == 0 else "",
                    )
                )
            if entries:
                training_actions.training_attendance_record(
                    session=session, entries=entries, acting_user=None
                )
            if make_up.year == year:
                training_actions.training_session_create(
                    unit=unit,
                    title="Huấn luyện bù",
                    starts_on=make_up,
                    ends_on=make_up + timedelta(days=MAKE_UP_DAYS - 1),
                    days=MAKE_UP_DAYS,
                    place="Thao trường xã",
                    acting_user=None,
                )
                sessions += 1
        sessions += 1
        attendances += len(entries)
    return sessions, attendances


def force_summary(result: ForceResult) -> str:
    items = result.work_items
    return (
        f"{result.standing_added} standing militia added in key communes; "
        f"{result.enterprises} enterprises' self-defence with {result.self_defence_members} "
        f"members (/militia/self-defence/); {result.sessions} training sessions, "
        f"{result.attendances} attendances (/training/); worklists: {items.opened} opened, "
        f"{items.closed} closed"
    )
