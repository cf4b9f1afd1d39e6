"""`muster demo --legacy`: the demo province as it stood on 2025-06-30, before the reform.

For a 2025 province, the legacy provinces whose wards it took over (found through
`geo.Succession`; for Lào Cai 2025: legacy Lào Cai and Yên Bái), their districts and wards, a
command per legacy province and district (`orgs_build(include_legacy=True)`), a commune command
per legacy ward (built here: the orgs builder knows only 2025 commune commands), people living
in the legacy wards with old three-level addresses, and users whose jurisdictions are legacy
units. The 2025 units and commands exist too (valid from 2025-07-01): the restructure engine
(`muster restructure plan|apply vn-2025`) moves the records onto them.

Every step is idempotent, like `build.build_demo`.
"""

from __future__ import annotations

import random
import secrets
from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import Count
from rich.console import Console

from muster.accounts.actions import user_create, user_set_password
from muster.accounts.models import Role, User
from muster.demo.build import (
    DemoAccount,
    DemoResult,
    _steps,
    find_province,
    militia_summary,
    provincial_command,
    schema_and_units,
    write_accounts,
)
from muster.demo.legacy_population import (
    LEGACY_DAY,
    RESIDENCE_FROM,
    legacy_population,
    persons_load_legacy,
)
from muster.demo.militia import RosterSpec, militia_stage
from muster.geo.models import AdminUnit, Edition, Level
from muster.orgs import rules as org_rules
from muster.orgs.actions import legacy_commune_commands_ensure
from muster.orgs.models import Appointment, OrgKind, OrgUnit, Position
from muster.people.models import Person

# The legacy commune commands' codes (orgs' naming rules), as the demo's callers use them.
LEGACY_COMMUNE_PREFIX = org_rules.LEGACY_COMMUNE_PREFIX
legacy_commune_command_code = org_rules.legacy_commune_command_code


def legacy_wards(province: AdminUnit) -> list[AdminUnit]:
    """The legacy wards a 2025 province took over (any succession into its communes)."""
    return list(
        AdminUnit.objects.filter(
            edition=Edition.LEGACY,
            level=Level.COMMUNE,
            successions_out__successor__parent=province,
        )
        .distinct()
        .order_by("code")
    )


def legacy_provinces(province: AdminUnit) -> list[AdminUnit]:
    """The legacy provinces that merged into a 2025 province (Lào Cai 2025: Lào Cai, Yên Bái)."""
    return list(
        AdminUnit.objects.filter(
            edition=Edition.LEGACY,
            level=Level.PROVINCE,
            children__children__successions_out__successor__parent=province,
        )
        .distinct()
        .order_by("code")
    )


def ensure_legacy_appointments(wards: list[AdminUnit], seed: int) -> int:
    """Fill empty positions of legacy commune commands with residents (men 25–50 in 2020),
    appointed from 2020-01-01, so the engine has staff to propose for the new commands."""
    from muster.orgs.actions import appointment_make

    positions = list(
        Position.objects.filter(
            org_unit__code__in=[legacy_commune_command_code(w.code) for w in wards]
        )
        .exclude(id__in=Appointment.objects.values("position_id"))
        .select_related("org_unit")
        .order_by("org_unit__code", "ordinal")
    )
    ward_of = {legacy_commune_command_code(w.code): w.pk for w in wards}
    # Nobody holds two positions, so a re-run finds no one left for positions still empty.
    holders = set(Appointment.objects.values_list("holder_personal_id", flat=True))
    by_ward: dict[int, list[tuple[str, str]]] = {}
    filled = 0
    for position in positions:
        ward_id = ward_of[position.org_unit.code]
        if ward_id not in by_ward:
            by_ward[ward_id] = list(
                Person.objects.filter(
                    residence_commune_id=ward_id,
                    sex="M",
                    birth_date__range=(date(1970, 1, 1), date(1995, 12, 31)),
                )
                .order_by("personal_id")
                .values_list("full_name", "personal_id")[:12]
            )
            by_ward[ward_id] = [c for c in by_ward[ward_id] if c[1] not in holders]
        candidates = by_ward[ward_id]
        if not candidates:
            continue
        name, personal_id = candidates.pop((seed + position.ordinal) % len(candidates))
        with transaction.atomic():
            appointment_make(
                position=position,
                holder_name=name,
                holder_personal_id=personal_id,
                valid_from=RESIDENCE_FROM,
                acting_user=None,
            )
        filled += 1
    return filled


def legacy_roster_specs(wards: list[AdminUnit], seed: int) -> list[RosterSpec]:
    """A roster per legacy commune command; one ward in six a key defence commune with a
    standing squad (DQTV Art. 15)."""
    commands = {
        c.code: c
        for c in OrgUnit.objects.filter(
            code__in=[legacy_commune_command_code(w.code) for w in wards]
        )
    }
    return [
        RosterSpec(
            commands[legacy_commune_command_code(w.code)],
            w.pk,
            random.Random(f"{seed}:standing:{w.code}").random() < 1 / 6,
        )
        for w in wards
    ]


def _residents_by_ward(wards: list[AdminUnit]) -> dict[int, int]:
    return dict(
        Person.objects.filter(residence_commune__in=wards)
        .values_list("residence_commune_id")
        .annotate(n=Count("id"))
        .values_list("residence_commune_id", "n")
    )


def _command_over(kind: str, admin_unit_id: int) -> OrgUnit:
    return OrgUnit.objects.filter(kind=kind, territories__admin_unit_id=admin_unit_id).get()


def _ensure_account(
    username: str, role: Role, jurisdiction: OrgUnit | None, password: str
) -> DemoAccount:
    user = User.objects.filter(username=username).first()
    if user is None:
        user_create(
            username=username,
            password=password,
            role=role,
            jurisdiction=jurisdiction,
            acting_user=None,
        )
    elif not user.check_password(password):
        user_set_password(user=user, password=password, acting_user=None)
    return DemoAccount(username, role.value, jurisdiction.code if jurisdiction else "")


def legacy_accounts(
    province: AdminUnit, wards: list[AdminUnit]
) -> list[tuple[str, Role, OrgUnit | None]]:
    """Users whose jurisdictions are legacy units: one per legacy provincial command, the
    busiest legacy district command and, inside it, the busiest legacy commune command."""
    provincial_2025 = provincial_command(province)
    accounts: list[tuple[str, Role, OrgUnit | None]] = [
        ("admin", Role.ADMINISTRATOR, None),
        ("quankhu", Role.REGION_STAFF, provincial_2025.parent or provincial_2025),
    ]
    for old in legacy_provinces(province):
        command = OrgUnit.objects.get(code=org_rules.legacy_provincial_command_code(old.code))
        accounts.append((f"tinh{old.code}", Role.PROVINCE_STAFF, command))
    residents = _residents_by_ward(wards)
    by_district: dict[int, int] = {}
    for ward in wards:
        by_district[ward.parent_id or 0] = by_district.get(ward.parent_id or 0, 0) + residents.get(
            ward.pk, 0
        )
    district_id = min(by_district, key=lambda d: (-by_district[d], d))
    ward = min(
        (w for w in wards if w.parent_id == district_id),
        key=lambda w: (-residents.get(w.pk, 0), w.code),
    )
    district = _command_over(OrgKind.DISTRICT_COMMAND, district_id)
    commune = _command_over(OrgKind.COMMUNE_COMMAND, ward.pk)
    accounts += [
        ("huyen", Role.AREA_STAFF, district),
        ("xa", Role.COMMUNE_STAFF, commune),
        ("kiemtoan", Role.AUDITOR, provincial_2025),
    ]
    return accounts


def build_legacy_demo(
    *,
    province: str,
    people: int,
    seed: int,
    password: str | None,
    db_path: Path | None,
    console: Console,
) -> tuple[DemoResult, str]:
    """Build (or bring up to date) the legacy demo database. Returns the result and password."""
    from muster.orgs.actions import orgs_build

    password = password or secrets.token_urlsafe(12)
    with _steps(console) as progress:
        schema_and_units(progress)

        step = progress.add_task("Military organisation (+ legacy)", total=1)
        orgs_build(include_legacy=True)
        unit = find_province(province)
        wards = legacy_wards(unit)
        legacy_commune_commands_ensure(wards=wards, acting_user=None)
        progress.update(step, completed=1)

        step = progress.add_task(f"Population of {unit.short_name} (legacy)", total=people)
        frame = legacy_population(wards, people=people, seed=seed, province_code=unit.code)
        progress.update(step, completed=people // 4)
        persons_load_legacy(
            frame,
            progress=lambda done: progress.update(step, completed=people // 4 + done * 3 // 4),
        )
        progress.update(step, completed=people)

        step = progress.add_task("Legacy commune command holders", total=1)
        ensure_legacy_appointments(wards, seed)
        progress.update(step, completed=1)

        step = progress.add_task("Militia rosters (legacy commands)", total=1)
        militia = militia_stage(
            specs=legacy_roster_specs(wards, seed),
            intakes=[date(year, 5, 10) for year in range(2021, 2026)],
            as_of=LEGACY_DAY,
            target_from=date(2021, 1, 1),
            seed=seed,
        )
        progress.update(step, completed=1)

        step = progress.add_task("Demo users (legacy jurisdictions)", total=1)
        accounts = [
            _ensure_account(username, role, jurisdiction, password)
            for username, role, jurisdiction in legacy_accounts(unit, wards)
        ]
        progress.update(step, completed=1)

    accounts_file = write_accounts(db_path, accounts) if db_path is not None else None
    loaded = Person.objects.filter(residence_commune__in=wards).count()
    names = ", ".join(p.name for p in legacy_provinces(unit))
    return (
        DemoResult(
            unit.code,
            f"{unit.name} as of {LEGACY_DAY.isoformat()} ({names})",
            len(wards),
            loaded,
            accounts,
            accounts_file,
            militia_summary=militia_summary(militia),
        ),
        password,
    )
