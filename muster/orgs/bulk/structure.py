"""Set-based building of the military organisation from the geo data; only actions call this.

`build_structure` creates what is missing and never rewrites what exists, so a second run
changes nothing and edits made through actions (renames, moves, reassignments) survive reruns.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import cast

from django.db.models import Q, QuerySet

from muster.core.errors import FieldError, InvalidInput
from muster.core.validity import valid_on
from muster.geo.models import AdminUnit, Edition, Level
from muster.geo.queries import majority_legacy_district
from muster.orgs import rules
from muster.orgs.models import OrgKind, OrgUnit, Position, Territory

REGIONS_CSV = Path(__file__).resolve().parents[1] / "data" / "military_regions.csv"
REGION_KINDS = (OrgKind.MILITARY_REGION, OrgKind.CAPITAL_COMMAND)
BATCH = 1000


def admin_units() -> QuerySet[AdminUnit]:
    """AdminUnit rows, typed (geo's manager is typed for Model, not AdminUnit)."""
    return cast("QuerySet[AdminUnit]", AdminUnit.objects.all())


@dataclass
class BuildResult:
    """What one build created. All zero means the structure was already complete."""

    regions: int = 0
    provincial_commands: int = 0
    area_defence_commands: int = 0
    commune_commands: int = 0
    legacy_provincial_commands: int = 0
    # Legacy commands put under their region (databases built before the legacy table).
    legacy_commands_placed: int = 0
    district_commands: int = 0
    territories: int = 0
    positions: int = 0

    @property
    def changed(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def read_region_rows(path: Path = REGIONS_CSV) -> list[rules.RegionRow]:
    """Rows of the region table; a missing column or an unknown edition is an InvalidInput
    naming it. Without an `edition` column every row is of the 2025 edition."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        needed = {"region_code", "region_name", "province_code", "province_name"}
        missing = sorted(needed - set(reader.fieldnames or []))
        if missing:
            raise InvalidInput.single(str(path), "MISSING_COLUMNS", {"columns": missing})
        rows = [
            rules.RegionRow(
                line=number,
                region_code=(row["region_code"] or "").strip(),
                region_name=(row["region_name"] or "").strip(),
                province_code=(row["province_code"] or "").strip(),
                province_name=(row["province_name"] or "").strip(),
                edition=(row.get("edition") or "2025").strip(),
            )
            for number, row in enumerate(reader, start=2)
        ]
    wrong = [r for r in rows if r.edition not in rules.EDITIONS]
    if wrong:
        raise InvalidInput.single(
            f"{path.name}: line {wrong[0].line}: edition",
            "UNKNOWN_EDITION",
            {"edition": wrong[0].edition, "editions": ", ".join(rules.EDITIONS)},
        )
    return rows


def majority_legacy_districts(communes: list[AdminUnit]) -> dict[int, rules.District]:
    """2025 commune id → the legacy district most of its predecessor wards belonged to."""
    wanted = {c.pk for c in communes}
    # geo's whole-country form is one query (~0.2 s); its per-commune form issues chunked
    # IN queries that SQLite plans badly (~13 s for the country), so ask for all and filter.
    return {
        commune_id: rules.District(district.code, district.short_name)
        for commune_id, district in majority_legacy_district(None).items()
        if commune_id in wanted
    }


class _Builder:
    def __init__(self, effective_from: date) -> None:
        self.day = effective_from
        self.result = BuildResult()
        self.units: dict[str, OrgUnit] = {u.code: u for u in OrgUnit.objects.all()}
        self.by_id: dict[int, OrgUnit] = {u.pk: u for u in self.units.values()}

    def ensure_units(self, wanted: list[OrgUnit], counter: str) -> None:
        """Create the units whose code does not exist yet; existing ones are left alone."""
        new = [u for u in wanted if u.code not in self.units]
        OrgUnit.objects.bulk_create(new, batch_size=BATCH)
        for unit in new:
            self.units[unit.code] = unit
            self.by_id[unit.pk] = unit
        setattr(self.result, counter, getattr(self.result, counter) + len(new))

    def ensure_territories(
        self, wanted: list[Territory], kinds: tuple[str, ...] | None = None
    ) -> None:
        """Create the wanted territory rows that are not there yet.

        A row is skipped when its (org unit, admin unit) pair has any row already, or, with
        `kinds`, when a unit of those kinds covers the admin unit on or after the build day:
        a commune moved to another command by `territory_move` is not handed back.
        """
        admin_ids = sorted({t.admin_unit_id for t in wanted})
        pairs: set[tuple[int, int]] = set()
        covered: set[int] = set()
        for start in range(0, len(admin_ids), BATCH):
            chunk = admin_ids[start : start + BATCH]
            rows = Territory.objects.filter(admin_unit_id__in=chunk)
            pairs |= set(rows.values_list("org_unit_id", "admin_unit_id"))
            if kinds:
                covered |= set(
                    rows.filter(
                        Q(valid_to__isnull=True) | Q(valid_to__gte=self.day),
                        org_unit__kind__in=kinds,
                    ).values_list("admin_unit_id", flat=True)
                )
        new = [
            t
            for t in wanted
            if (t.org_unit_id, t.admin_unit_id) not in pairs and t.admin_unit_id not in covered
        ]
        Territory.objects.bulk_create(new, batch_size=BATCH)
        self.result.territories += len(new)

    def ensure_positions(self, units: list[OrgUnit]) -> None:
        ids = [u.pk for u in units]
        have: set[tuple[int, int]] = set()
        for start in range(0, len(ids), BATCH):
            have |= set(
                Position.objects.filter(org_unit_id__in=ids[start : start + BATCH]).values_list(
                    "org_unit_id", "ordinal"
                )
            )
        new = [
            Position(org_unit=unit, kind=spec.kind, title=spec.title, ordinal=spec.ordinal)
            for unit in units
            for spec in rules.positions_for(unit.kind)
            if (unit.pk, spec.ordinal) not in have
        ]
        Position.objects.bulk_create(new, batch_size=BATCH)
        self.result.positions += len(new)

    # --- 2025 structure ---------------------------------------------------------------------

    def regions_and_provinces(
        self, rows: list[rules.RegionRow], provinces: dict[str, AdminUnit]
    ) -> None:
        """The regions of `rows` (either edition), the 2025 provinces' territories under them
        and the 2025 provincial commands."""
        region_names: dict[str, str] = {}
        for row in rows:
            region_names.setdefault(row.region_code, row.region_name)
        # The regions existed before the reform and go on after it (domain-rules §9): no
        # start date, so a legacy province's command sits under the same unit as its successor.
        self.ensure_units(
            [
                OrgUnit(
                    code=code,
                    name=name,
                    kind=OrgKind.CAPITAL_COMMAND
                    if code == rules.CAPITAL_COMMAND_CODE
                    else OrgKind.MILITARY_REGION,
                    valid_from=None,
                )
                for code, name in sorted(region_names.items())
            ],
            "regions",
        )
        current = [row for row in rows if row.edition == "2025"]
        self.ensure_territories(
            [
                Territory(
                    org_unit=self.units[row.region_code],
                    admin_unit=provinces[row.province_code],
                    valid_from=self.day,
                )
                for row in current
            ],
            REGION_KINDS,
        )
        region_of = {row.province_code: self.units[row.region_code] for row in current}
        # Hà Nội's command is the Capital Command, already built as its region: no second unit
        # of the same name under it (domain-rules §9).
        self.ensure_units(
            [
                OrgUnit(
                    code=rules.provincial_command_code(code),
                    name=rules.provincial_command_name(
                        province.unit_type, province.short_name, code
                    ),
                    kind=OrgKind.PROVINCIAL_COMMAND,
                    parent=region_of[code],
                    valid_from=self.day,
                )
                for code, province in sorted(provinces.items())
                if rules.provincial_command_code(code) != region_of[code].code
            ],
            "provincial_commands",
        )
        self.ensure_territories(
            [
                Territory(
                    org_unit=self.units[rules.provincial_command_code(code)],
                    admin_unit=province,
                    valid_from=self.day,
                )
                for code, province in sorted(provinces.items())
            ],
            (OrgKind.PROVINCIAL_COMMAND,),
        )

    def area_and_commune_commands(self, provinces: dict[str, AdminUnit]) -> None:
        communes = list(
            admin_units()
            .filter(
                valid_on(self.day),
                edition=Edition.V2025,
                level=Level.COMMUNE,
                parent__in=list(provinces.values()),
            )
            .order_by("code")
        )
        by_province: dict[int, list[AdminUnit]] = defaultdict(list)
        for commune in communes:
            by_province[commune.parent_id or 0].append(commune)
        # Which area defence command already covers each commune (from earlier builds/moves).
        adc_of: dict[int, OrgUnit] = {}
        for org_unit_id, admin_unit_id in Territory.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=self.day),
            org_unit__kind=OrgKind.AREA_DEFENCE_COMMAND,
            admin_unit__edition=Edition.V2025,
            admin_unit__level=Level.COMMUNE,
        ).values_list("org_unit_id", "admin_unit_id"):
            adc_of[admin_unit_id] = self.by_id[org_unit_id]
        uncovered = [c for c in communes if c.pk not in adc_of]
        districts = majority_legacy_districts(uncovered) if uncovered else {}

        new_territories: list[Territory] = []
        for code, province in sorted(provinces.items()):
            members = by_province.get(province.pk, [])
            todo = [c for c in members if c.pk not in adc_of]
            if not todo:
                continue
            covered = [c for c in members if c.pk in adc_of]
            if covered:
                # The province already has its commands: a new commune joins the command of
                # its nearest covered neighbour rather than reshuffling the whole province.
                for commune in todo:
                    adc_of[commune.pk] = adc_of[_nearest(commune, covered).pk]
                    new_territories.append(
                        Territory(
                            org_unit=adc_of[commune.pk], admin_unit=commune, valid_from=self.day
                        )
                    )
                continue
            inputs = [
                rules.CommuneInput(
                    id=c.pk,
                    code=c.code,
                    name=c.short_name,
                    lat=c.lat,
                    lon=c.lon,
                    district=districts.get(c.pk),
                )
                for c in todo
            ]
            capital = (
                (province.lat, province.lon)
                if province.lat is not None and province.lon is not None
                else None
            )
            clusters = rules.cluster_area_defence_commands(inputs, capital=capital)
            parent = self.units[rules.provincial_command_code(code)]
            wanted = [
                OrgUnit(
                    code=rules.area_defence_command_code(code, cluster.number),
                    name=rules.area_defence_command_name(cluster.number, cluster.district_name),
                    kind=OrgKind.AREA_DEFENCE_COMMAND,
                    parent=parent,
                    valid_from=self.day,
                )
                for cluster in clusters
            ]
            self.ensure_units(wanted, "area_defence_commands")
            by_id = {c.pk: c for c in todo}
            for cluster in clusters:
                adc = self.units[rules.area_defence_command_code(code, cluster.number)]
                for commune_id in cluster.commune_ids:
                    adc_of[commune_id] = adc
                    new_territories.append(
                        Territory(org_unit=adc, admin_unit=by_id[commune_id], valid_from=self.day)
                    )
        self.ensure_territories(new_territories, (OrgKind.AREA_DEFENCE_COMMAND,))

        self.ensure_units(
            [
                OrgUnit(
                    code=rules.commune_command_code(c.code),
                    name=rules.commune_command_name(c.unit_type, c.short_name),
                    kind=OrgKind.COMMUNE_COMMAND,
                    parent=adc_of.get(c.pk),
                    valid_from=self.day,
                )
                for c in communes
            ],
            "commune_commands",
        )
        self.ensure_territories(
            [
                Territory(
                    org_unit=self.units[rules.commune_command_code(c.code)],
                    admin_unit=c,
                    valid_from=self.day,
                )
                for c in communes
            ],
            (OrgKind.COMMUNE_COMMAND,),
        )

    # --- legacy structure -------------------------------------------------------------------

    def legacy(self, rows: list[rules.RegionRow]) -> None:
        """A command per legacy province, under the region it belonged to (the legacy rows of
        the region table), and a district command per legacy district.

        They carry the validity of their admin unit (the legacy edition ends 2025-06-30, when
        district commands were dissolved: MoD Decision 2786/QĐ-BQP, domain-rules §4). Each
        region also covers its legacy provinces until then, so a region's jurisdiction on a
        day before the reform is the legacy provinces it held that day.
        """
        provinces = list(
            admin_units().filter(edition=Edition.LEGACY, level=Level.PROVINCE).order_by("code")
        )
        region_of = {row.province_code: self.units[row.region_code] for row in rows}
        self._mirror_legacy_units(
            provinces,
            code=lambda p: rules.legacy_provincial_command_code(p.code),
            name=lambda p: rules.provincial_command_name(p.unit_type, p.short_name, p.code),
            kind=OrgKind.PROVINCIAL_COMMAND,
            parent=lambda p: region_of.get(p.code),
            counter="legacy_provincial_commands",
        )
        for province in provinces:
            command = self.units[rules.legacy_provincial_command_code(province.code)]
            region = region_of.get(province.code)
            if rules.is_city_command(command.code) and command.valid_from is not None:
                # A city's command is one unit before and after the reform (domain-rules §9):
                # no start date once the legacy edition is built.
                command.valid_from = None
                command.save(update_fields=["valid_from"])
            if command.parent_id is None and region is not None and region.pk != command.pk:
                # Built before the legacy region table existed: put it where it belonged.
                command.parent = region
                command.save(update_fields=["parent"])
                self.result.legacy_commands_placed += 1
        self.ensure_territories(
            [
                Territory(
                    org_unit=region_of[p.code],
                    admin_unit=p,
                    valid_from=p.valid_from,
                    valid_to=p.valid_to,
                )
                for p in provinces
                if p.code in region_of
            ]
        )
        province_codes = {p.pk: p.code for p in provinces}
        districts = list(
            admin_units()
            .filter(edition=Edition.LEGACY, level=Level.DISTRICT, parent__in=provinces)
            .order_by("code")
        )
        self._mirror_legacy_units(
            districts,
            code=lambda d: rules.district_command_code(d.code),
            name=lambda d: rules.district_command_name(d.unit_type, d.short_name),
            kind=OrgKind.DISTRICT_COMMAND,
            parent=lambda d: self.units[
                rules.legacy_provincial_command_code(province_codes[d.parent_id or 0])
            ],
            counter="district_commands",
        )

    def _mirror_legacy_units(
        self,
        admin: list[AdminUnit],
        *,
        code: Callable[[AdminUnit], str],
        name: Callable[[AdminUnit], str],
        kind: str,
        parent: Callable[[AdminUnit], OrgUnit | None],
        counter: str,
    ) -> None:
        """One command per legacy unit, covering it, valid exactly as long as the unit."""
        self.ensure_units(
            [
                OrgUnit(
                    code=code(a),
                    name=name(a),
                    kind=kind,
                    parent=parent(a),
                    valid_from=a.valid_from,
                    valid_to=a.valid_to,
                )
                for a in admin
            ],
            counter,
        )
        self.ensure_territories(
            [
                Territory(
                    org_unit=self.units[code(a)],
                    admin_unit=a,
                    valid_from=a.valid_from,
                    valid_to=a.valid_to,
                )
                for a in admin
            ]
        )


def _nearest(commune: AdminUnit, candidates: list[AdminUnit]) -> AdminUnit:
    def rank(other: AdminUnit) -> tuple[float, str]:
        if None in (commune.lat, commune.lon, other.lat, other.lon):
            return (float("inf"), other.code)
        return (
            ((commune.lat or 0) - (other.lat or 0)) ** 2
            + ((commune.lon or 0) - (other.lon or 0)) ** 2,
            other.code,
        )

    return min(candidates, key=rank)


def build_structure(
    *, effective_from: date, include_legacy: bool, regions_csv: Path = REGIONS_CSV
) -> BuildResult:
    """Create every missing unit, territory and position; return what was created.

    Must run inside the caller's transaction (actions.orgs_build).
    """
    provinces = {
        p.code: p
        for p in admin_units().filter(
            valid_on(effective_from), edition=Edition.V2025, level=Level.PROVINCE
        )
    }
    if not provinces:
        raise InvalidInput.single("effective_from", "NO_PROVINCES_ON", {"day": effective_from})
    rows = read_region_rows(regions_csv)
    current = [r for r in rows if r.edition == "2025"]
    legacy = [r for r in rows if r.edition == "legacy"]
    errors = rules.check_region_rows(current, {c: p.name for c, p in provinces.items()})
    if include_legacy:
        legacy_provinces = dict(
            admin_units()
            .filter(edition=Edition.LEGACY, level=Level.PROVINCE)
            .values_list("code", "name")
        )
        errors += rules.check_region_rows(legacy, legacy_provinces, "legacy")
    names = {r.region_code: r.region_name for r in current}
    errors += [
        FieldError(
            f"line {r.line}: region_name",
            "REGION_NAME_DIFFERS",
            {"name": r.region_name, "known": names[r.region_code], "code": r.region_code},
        )
        for r in legacy
        if r.region_code in names and names[r.region_code] != r.region_name
    ]
    if errors:
        raise InvalidInput(errors)
    builder = _Builder(effective_from)
    builder.regions_and_provinces(current + (legacy if include_legacy else []), provinces)
    builder.area_and_commune_commands(provinces)
    if include_legacy:
        builder.legacy(legacy)
    builder.ensure_positions(list(builder.units.values()))
    return builder.result
