"""Building the demo province: geography, organisation, a synthetic population and users.

Every step is idempotent, so re-running `muster demo` on the same database is safe.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from muster.accounts.actions import user_create, user_set_password
from muster.accounts.models import Role, User
from muster.conscription.models import GroundDecision, ServiceRecord
from muster.core.errors import InvalidInput
from muster.core.text import fold, vi_sort_key
from muster.core.validity import valid_on
from muster.demo.cadres import CadresResult, cadres_stage
from muster.demo.callup import YEAR as CALLUP_YEAR
from muster.demo.callup import CallupResult, callup_records, callup_stage
from muster.demo.civil_defence import civil_defence_stage, civil_defence_summary
from muster.demo.force import force_stage, force_summary
from muster.demo.militia import MilitiaResult, RosterSpec, militia_stage
from muster.demo.population import CommuneSpec, generate_population
from muster.demo.register_exchange import RegisterResult, Sandbox, register_exchange
from muster.demo.reserve_units import reserve_units_stage, reserve_units_summary
from muster.demo.reservists import reservists_stage, reservists_summary
from muster.geo.models import AdminUnit, Edition, Level
from muster.geo.queries import majority_legacy_district, unit_list
from muster.militia.actions import defence_communes_configure
from muster.orgs import rules as org_rules
from muster.orgs.models import Appointment, OrgKind, OrgUnit, Position, Territory
from muster.people.bulk import persons_load_frame
from muster.people.models import Person
from muster.readiness import bulk as readiness_bulk
from muster.worklists.bulk import work_items_deferred

DEFAULT_PROVINCE = "Lào Cai"
REFORM_DAY = date(2025, 7, 1)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    jurisdiction_code: str


@dataclass(frozen=True)
class DemoResult:
    province_code: str
    province_name: str
    communes: int
    people_loaded: int
    accounts: list[DemoAccount]
    accounts_file: Path | None
    # What came through the population-register exchange (None when loaded directly).
    register_summary: str | None = None
    callup_summary: str | None = None
    militia_summary: str | None = None
    reserve_summary: str | None = None
    reserve_units_summary: str | None = None
    cadres_summary: str | None = None
    civil_defence_summary: str | None = None


def find_province(query: str) -> AdminUnit:
    """A 2025 province by code ("15") or name, with or without diacritics or "Tỉnh"."""
    provinces = list(unit_list(edition=Edition.V2025, level=Level.PROVINCE))
    wanted = fold(query).replace("tinh ", "").replace("thanh pho ", "").strip()
    for unit in provinces:
        if query.strip() in {unit.code, unit.code.lstrip("0")}:
            return unit
        if wanted in {fold(unit.short_name), fold(unit.name)}:
            return unit
    names = sorted((u.short_name for u in provinces), key=vi_sort_key)
    raise InvalidInput.single("province", "DEMO_PROVINCE_UNKNOWN", {"query": query, "names": names})


def commune_specs(province: AdminUnit) -> list[CommuneSpec]:
    communes = list(unit_list(edition=Edition.V2025, level=Level.COMMUNE, parent=province))
    districts = majority_legacy_district(communes)
    legacy_province_ids = {d.parent_id for d in districts.values()}
    legacy_codes = dict(
        AdminUnit.objects.filter(id__in=legacy_province_ids).values_list("id", "code")
    )
    specs = []
    for commune in communes:
        district = districts.get(commune.id)
        specs.append(
            CommuneSpec(
                code=commune.code,
                name=commune.name,
                unit_type=commune.unit_type,
                area_km2=commune.area_km2,
                province_name=province.name,
                legacy_province_code=(
                    legacy_codes.get(district.parent_id)
                    if district and district.parent_id
                    else None
                ),
            )
        )
    return specs


def _org_for_territory(kind: str, admin_unit_ids: set[int]) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(
            kind=kind, territories__admin_unit_id__in=admin_unit_ids, valid_to__isnull=True
        )
        .distinct()
        .order_by("code")
    )


def provincial_command(province: AdminUnit) -> OrgUnit:
    """The command of a 2025 province: its provincial command, or for Hà Nội the Capital
    Command, which is its own region (domain-rules §9)."""
    return OrgUnit.objects.get(code=org_rules.provincial_command_code(province.code))


def _busiest_communes(area: OrgUnit, count: int) -> list[OrgUnit]:
    """The commune commands of an area with the most residents (demo users see real data)."""
    from django.db.models import Count

    commune_ids = Territory.objects.filter(org_unit__parent=area, valid_to__isnull=True).values(
        "admin_unit_id"
    )
    ranked = (
        AdminUnit.objects.filter(id__in=commune_ids)
        .annotate(n=Count("residents"))
        .order_by("-n", "code")
        .values_list("id", flat=True)[:count]
    )
    return [_org_for_territory(OrgKind.COMMUNE_COMMAND, {cid})[0] for cid in ranked]


def demo_accounts(province: AdminUnit) -> list[tuple[str, Role, OrgUnit | None]]:
    """One user per role inside the province, two commune users in different communes."""
    provincial = provincial_command(province)
    region = provincial.parent or provincial
    areas = list(provincial.children.filter(kind=OrgKind.AREA_DEFENCE_COMMAND).order_by("code"))
    area = areas[0]
    commune_1, commune_2 = _busiest_communes(area, 2)
    return [
        ("admin", Role.ADMINISTRATOR, None),
        ("quankhu", Role.REGION_STAFF, region),
        ("tinh", Role.PROVINCE_STAFF, provincial),
        ("ptkv", Role.AREA_STAFF, area),
        ("xa1", Role.COMMUNE_STAFF, commune_1),
        ("xa2", Role.COMMUNE_STAFF, commune_2),
        ("kiemtoan", Role.AUDITOR, provincial),
    ]


def ensure_accounts(province: AdminUnit, password: str) -> list[DemoAccount]:
    accounts = []
    for username, role, jurisdiction in demo_accounts(province):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username,
                password=password,
                role=role,
                jurisdiction=jurisdiction,
                acting_user=None,
            )
        elif not user.check_password(password):
            user_set_password(user=user, password=password, acting_user=None)
        accounts.append(
            DemoAccount(username, role.value, jurisdiction.code if jurisdiction else "")
        )
    return accounts


# One transaction for the stage: one commit and one audit checkpoint instead of ~600; a rerun
# fills whatever a killed run left empty.
@transaction.atomic
def ensure_appointments(province: AdminUnit, seed: int) -> int:
    """Fill empty commune-command positions with residents of that commune (men 25–50)."""
    from muster.orgs.actions import appointment_make
    from muster.people.models import Person

    filled = 0
    positions = list(
        Position.objects.filter(
            org_unit__kind=OrgKind.COMMUNE_COMMAND,
            org_unit__territories__admin_unit__parent=province,
        )
        .exclude(id__in=Appointment.objects.filter(valid_to__isnull=True).values("position_id"))
        .select_related("org_unit")
        .order_by("org_unit__code", "ordinal")
    )
    # One query for every command's commune, not one per position.
    commune_of = dict(
        Territory.objects.filter(
            org_unit_id__in={p.org_unit_id for p in positions}, admin_unit__parent=province
        ).values_list("org_unit_id", "admin_unit_id")
    )
    by_commune: dict[int, list[tuple[str, str]]] = {}
    for position in positions:
        commune_id = commune_of.get(position.org_unit_id)
        if commune_id is None:
            continue
        if commune_id not in by_commune:
            by_commune[commune_id] = list(
                Person.objects.filter(
                    residence_commune_id=commune_id,
                    sex="M",
                    birth_date__range=(date(1976, 1, 1), date(2000, 12, 31)),
                )
                .order_by("personal_id")
                .values_list("full_name", "personal_id")[:12]
            )
        candidates = by_commune[commune_id]
        if not candidates:
            continue
        name, personal_id = candidates.pop((seed + position.ordinal) % len(candidates))
        appointment_make(
            position=position,
            holder_name=name,
            holder_personal_id=personal_id,
            rank="",
            valid_from=REFORM_DAY,
            acting_user=None,
        )
        filled += 1
    return filled


def schema_and_units(progress: Progress) -> None:
    """The first two steps of every demo: migrations, then both editions of the units."""
    from muster.demo import schema_template
    from muster.geo.bulk import load_admin_units

    step = progress.add_task("Database schema", total=1)
    # A new SQLite database starts from a migrated template under var/cache when one matches.
    schema_template.migrate()
    progress.update(step, completed=1)
    step = progress.add_task("Administrative units (2 editions)", total=1)
    load_admin_units()
    progress.update(step, completed=1)


@contextmanager
def _steps(console: Console) -> Iterator[Progress]:
    with Progress(
        TextColumn("{task.description:<34}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        yield progress


def build_demo(
    *,
    province: str,
    people: int,
    seed: int,
    password: str | None,
    db_path: Path | None,
    console: Console,
    register_dir: Path | None = None,
) -> tuple[DemoResult, str]:
    """Build (or bring up to date) the demo database. Returns the result and the password.

    With `register_dir`, the population comes through the register exchange (sandbox extract,
    ingest, change feed, worklists, legacy linkage); without, it is generated and bulk-loaded
    directly (the search benchmark does that).
    """
    password = password or secrets.token_urlsafe(12)
    # The sandbox register writes its extract and simulates its weeks in its own process
    # while the schema, units and organisation are built here.
    sandbox = (
        Sandbox(province=province, people=people, seed=seed, data=register_dir)
        if register_dir is not None
        else None
    )
    try:
        return _build(
            province=province, people=people, seed=seed, password=password, db_path=db_path,
            console=console, register_dir=register_dir, sandbox=sandbox,
        )  # fmt: skip
    finally:
        if sandbox is not None:
            sandbox.close()


def _build(
    *,
    province: str,
    people: int,
    seed: int,
    password: str,
    db_path: Path | None,
    console: Console,
    register_dir: Path | None,
    sandbox: Sandbox | None,
) -> tuple[DemoResult, str]:
    from muster.orgs.actions import orgs_build

    with _steps(console) as progress:
        schema_and_units(progress)

        step = progress.add_task("Military organisation", total=1)
        orgs_build()
        progress.update(step, completed=1)

        unit = find_province(province)
        specs = commune_specs(unit)
        register_summary = None
        callup_data = _callup_dir(db_path, register_dir)
        imported: dict[str, int] = {}

        def migrate_records() -> None:
            imported.update(callup_records(province=unit, seed=seed, data=callup_data))

        if register_dir is not None:
            step = progress.add_task(f"Register exchange: {unit.short_name}", total=1)
            exchanged = register_exchange(
                province=unit,
                people=people,
                seed=seed,
                data=register_dir,
                before_feed=migrate_records,
                sandbox=sandbox,
            )
            register_summary = _register_summary(exchanged)
            progress.update(step, completed=1)
        else:
            step = progress.add_task(f"Population of {unit.short_name}", total=people)
            frame = generate_population(
                specs,
                people=people,
                seed=seed,
                province_code=unit.code,
                reference_date=date.today(),
            )
            progress.update(step, completed=people // 4)
            persons_load_frame(
                frame,
                source="demo",
                progress=lambda done: progress.update(step, completed=people // 4 + done * 3 // 4),
            )
            progress.update(step, completed=people)
            migrate_records()

        step = progress.add_task("Commune command holders", total=1)
        ensure_appointments(unit, seed)
        progress.update(step, completed=1)

        step = progress.add_task("Demo users", total=1)
        accounts = ensure_accounts(unit, password)
        progress.update(step, completed=1)

        step = progress.add_task(f"Military service, call-up {CALLUP_YEAR}", total=1)
        with work_items_deferred():
            callup = callup_stage(province=unit, seed=seed, people=people, imported=imported)
        progress.update(step, completed=1)

        step = progress.add_task("Reserve register", total=1)
        with work_items_deferred():
            reservists = reservists_stage(province=unit, seed=seed, today=date.today())
        progress.update(step, completed=1)

        step = progress.add_task("Militia rosters", total=1)
        # Border communes are key defence communes (configuration data, DQTV Art. 15).
        defence_communes_configure(province=unit, valid_from=REFORM_DAY, acting_user=None)
        militia = militia_stage(
            specs=roster_specs(unit),
            intakes=militia_intakes(date.today()),
            as_of=date.today(),
            target_from=REFORM_DAY,
            seed=seed,
            exclude=frozenset(ServiceRecord.objects.values_list("person_id", flat=True)),
        )
        progress.update(step, completed=1)

        step = progress.add_task("Standing militia, self-defence, training, worklists", total=1)
        started = time.perf_counter()
        force = force_stage(province=unit, today=date.today(), seed=seed)
        force_seconds = time.perf_counter() - started
        progress.update(step, completed=1)

        step = progress.add_task("Reserve units", total=1)
        with work_items_deferred():
            reserve_units = reserve_units_stage(province=unit, seed=seed, day=date.today())
        progress.update(step, completed=1)

        step = progress.add_task("Cadres: qualifications, training, assessment", total=1)
        with work_items_deferred():
            cadres = cadres_stage(province=unit, seed=seed, today=date.today())
        progress.update(step, completed=1)

        step = progress.add_task("Civil defence: the 09/2024 flood, a plan, an exercise", total=1)
        with work_items_deferred():  # the exercise records training: items follow
            civil_defence = civil_defence_stage(
                provincial=provincial_command(unit),
                owner=User.objects.filter(username="tinh").first(),
                today=date.today(),
                seed=seed,
            )
        progress.update(step, completed=1)

        # The dashboards' summary tables, as the nightly `muster readiness refresh` would.
        step = progress.add_task("Readiness figures", total=1)
        readiness_bulk.refresh(date.today())
        progress.update(step, completed=1)

    accounts_file = write_accounts(db_path, accounts) if db_path is not None else None
    loaded = Person.objects.filter(residence_commune__parent=unit).count()
    return (
        DemoResult(
            unit.code,
            unit.name,
            len(specs),
            loaded,
            accounts,
            accounts_file,
            register_summary,
            _callup_summary(callup),
            f"{militia_summary(militia)}; {force_summary(force)} ({force_seconds:.1f} s)",
            reservists_summary(reservists),
            reserve_units_summary(reserve_units),
            cadres_summary(cadres),
            civil_defence_summary(civil_defence),
        ),
        password,
    )


def accounts_file_for(db_path: Path) -> Path:
    """Where a demo writes its logins: beside its database and named after it
    (`var/muster.sqlite3` → `var/muster-accounts.json`), the main demo and the legacy one alike,
    so two demos in one folder never overwrite each other's."""
    return db_path.with_name(f"{db_path.stem}-accounts.json")


def write_accounts(db_path: Path, accounts: list[DemoAccount]) -> Path:
    path = accounts_file_for(db_path)
    path.write_text(json.dumps([asdict(a) for a in accounts], ensure_ascii=False, indent=2) + "\n")
    return path


def _callup_dir(db_path: Path | None, register_dir: Path | None) -> Path:
    """Where the demo's migrated spreadsheets are written, beside the database."""
    if db_path is not None:
        return db_path.with_name(db_path.stem + "-callup")
    return (register_dir or Path("var")).with_name("demo-callup")


def _callup_summary(result: CallupResult) -> str:
    imported = ", ".join(f"{count:,} {kind}" for kind, count in result.imported.items())
    return (
        f"imported {imported}; {result.discharged_to_reserve} discharged into the reserve, "
        f"{result.serving} serving; {CALLUP_YEAR} target {result.target}, "
        f"{result.orders} orders issued, {result.reported} reported at the handover; "
        f"verify an order at /verify/{result.verify_code}/"
    )


def roster_specs(province: AdminUnit) -> list[RosterSpec]:
    """The province's commune commands today; those with men deferred from call-up for the
    standing militia (MSL Art. 41(1)(h)) form a standing squad that takes them in."""
    today = date.today()
    standing: dict[int, list[int]] = {}
    for person_id, commune_id in GroundDecision.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today),
        ground_code="DEF_STANDING_MILITIA",
        decided_on__lte=today,
        person__residence_commune__parent=province,
    ).values_list("person_id", "person__residence_commune_id"):
        standing.setdefault(commune_id, []).append(person_id)
    territories = Territory.objects.filter(
        valid_on(today),
        org_unit__kind=OrgKind.COMMUNE_COMMAND,
        org_unit__valid_to__isnull=True,
        admin_unit__parent=province,
    ).select_related("org_unit")
    return [
        RosterSpec(
            t.org_unit,
            t.admin_unit_id,
            t.admin_unit_id in standing,
            tuple(standing.get(t.admin_unit_id, ())),
        )
        for t in territories.order_by("org_unit__code")
    ]


def militia_intakes(today: date) -> list[date]:
    """The 2025 commands' first intake after the reform, then each May's (selection follows
    the April registration, DQTV Art. 9(1)(a)) up to `today`."""
    first = date(2025, 8, 15)
    return [first] + [
        date(year, 5, 10) for year in range(2026, today.year + 1) if date(year, 5, 10) <= today
    ]


def cadres_summary(result: CadresResult | None) -> str | None:
    if result is None:
        return None
    return (
        f"{result.holders} commune-command holders, {result.certificates} certificates; "
        f"{result.enrolled} enrolled in the political-theory course, {result.passed} passed; "
        f"{result.assessed_cadres} commanders and {result.assessed_units} commands assessed"
    )


def militia_summary(result: MilitiaResult) -> str:
    kinds = ", ".join(
        f"{n:,} {kind.replace('_', '-')}" for kind, n in sorted(result.by_kind.items())
    )
    left = ", ".join(f"{n:,} {reason}" for reason, n in sorted(result.left.items())) or "none"
    return (
        f"{result.members:,} members on {result.commands} commune commands ({kinds}; "
        f"{result.standing_squads} standing squads); target {result.target:,}, "
        f"{result.below_target} commands below it; left so far: {left}; see /militia/"
    )


def _register_summary(result: RegisterResult) -> str:
    parts = []
    if result.ingest is not None:
        ingest = result.ingest
        parts.append(
            f"extract: {ingest.inserted:,} inserted, {ingest.rejected:,} rejected, "
            f"{ingest.warned:,} warned"
        )
    pull = result.pull
    parts.append(
        f"feed: {pull.applied:,} events applied, {pull.rejected:,} rejected (cursor {pull.cursor})"
    )
    parts.append(
        f"worklists: {result.refresh.created:,} due for first registration "
        f"(men turning 17 or never registered)"
    )
    if result.link is not None:
        counts = result.link.counts
        parts.append(
            "legacy records: "
            + ", ".join(f"{count:,} {name}" for name, count in sorted(counts.items()))
        )
    return "; ".join(parts)
