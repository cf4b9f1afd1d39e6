"""Where plans come from: the built-in `vn-2025` plan and succession CSVs (docs/restructure.md).

Only actions and the CLI call these; each writes the plan and its steps in one transaction.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from datetime import date, timedelta

from django.db import transaction

from muster.core.errors import FieldError, InvalidInput
from muster.core.validity import valid_on
from muster.geo.models import AdminUnit, Edition, Level, Succession, SuccessionKind
from muster.orgs.models import OrgKind, OrgUnit, Territory
from muster.restructure import rules
from muster.restructure.models import Plan, PlanSource, PlanStatus, PlanStep, StepKind, UnitType

VN_2025 = "vn-2025"
REFORM_DAY = date(2025, 7, 1)
CSV_COLUMNS = ("effective_on", "unit_type", "kind", "old_code", "new_code", "is_default")
_KIND_OF: dict[str, str] = {
    SuccessionKind.CONTINUED: StepKind.RENAME,
    SuccessionKind.MERGED: StepKind.MERGE,
    SuccessionKind.SPLIT: StepKind.SPLIT,
}


def _admin_steps(day: date) -> list[PlanStep]:
    before = day - timedelta(days=1)
    steps = [
        PlanStep(
            kind=_KIND_OF.get(kind, StepKind.MERGE),
            unit_type=UnitType.ADMIN,
            old_code=old,
            new_code=new,
            is_default=is_default,
        )
        for old, new, kind, is_default in Succession.objects.filter(
            effective_on=day, predecessor__edition=Edition.LEGACY
        )
        .values_list("predecessor__code", "successor__code", "kind", "is_default")
        .order_by("predecessor__code", "-is_default", "successor__code")
    ]
    succeeded = {s.old_code for s in steps}
    # Legacy units that end the day before without any successor (districts): abolished.
    for code in (
        AdminUnit.objects.filter(valid_on(before), edition=Edition.LEGACY, valid_to=before)
        .order_by("code")
        .values_list("code", flat=True)
    ):
        if code not in succeeded:
            steps.append(PlanStep(kind=StepKind.ABOLISH, unit_type=UnitType.ADMIN, old_code=code))
    return steps


def _org_steps(day: date) -> list[PlanStep]:
    """Legacy commands ending the day before → the 2025 commands that took over their ground.

    A district command's successor is the area defence command covering most of the 2025
    communes its wards went to (several → a split with that one as default); a legacy provincial
    command's, the provincial command of the 2025 province most of its wards went to; a legacy
    commune command's, the command of its ward's default successor commune.
    """
    before = day - timedelta(days=1)
    ending = list(OrgUnit.objects.filter(valid_on(before), valid_to=before).order_by("code"))
    if not ending:
        return []
    # 2025 commune id → (area defence command code, commune command code), and province.
    covering: dict[int, dict[str, str]] = defaultdict(dict)
    for admin_id, org_kind, org_code in Territory.objects.filter(
        valid_on(day),
        org_unit__kind__in=[
            OrgKind.AREA_DEFENCE_COMMAND,
            OrgKind.COMMUNE_COMMAND,
            OrgKind.PROVINCIAL_COMMAND,
        ],
    ).values_list("admin_unit_id", "org_unit__kind", "org_unit__code"):
        covering[admin_id][org_kind] = org_code
    new_province_of = dict(
        AdminUnit.objects.filter(edition=Edition.V2025, level=Level.COMMUNE).values_list(
            "id", "parent_id"
        )
    )
    # legacy ward id → (district id, province id) and its successors (default first).
    ward_rows = AdminUnit.objects.filter(edition=Edition.LEGACY, level=Level.COMMUNE).values_list(
        "id", "parent_id", "parent__parent_id"
    )
    district_of = {w: d for w, d, _ in ward_rows}
    province_of = {w: p for w, _, p in ward_rows}
    successors_of: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for pred, succ, is_default in Succession.objects.filter(
        effective_on=day, predecessor__edition=Edition.LEGACY, predecessor__level=Level.COMMUNE
    ).values_list("predecessor_id", "successor_id", "is_default"):
        successors_of[pred].append((succ, is_default))
    territory_of: dict[int, list[int]] = defaultdict(list)
    for org_id, admin_id in Territory.objects.filter(
        org_unit__in=ending, valid_to=before
    ).values_list("org_unit_id", "admin_unit_id"):
        territory_of[org_id].append(admin_id)

    def wards_under(admin_ids: list[int]) -> list[int]:
        ids = set(admin_ids)
        return [
            w for w in district_of if w in ids or district_of[w] in ids or province_of[w] in ids
        ]

    steps: list[PlanStep] = []
    for unit in ending:
        wards = wards_under(territory_of.get(unit.pk, []))
        votes: Counter[str] = Counter()
        for ward in wards:
            for succ, is_default in successors_of.get(ward, []):
                code: str | None
                if unit.kind == OrgKind.DISTRICT_COMMAND:
                    code = covering[succ].get(OrgKind.AREA_DEFENCE_COMMAND)
                elif unit.kind == OrgKind.PROVINCIAL_COMMAND:
                    province = new_province_of.get(succ)
                    code = covering[province].get(OrgKind.PROVINCIAL_COMMAND) if province else None
                elif unit.kind == OrgKind.COMMUNE_COMMAND and is_default:
                    code = covering[succ].get(OrgKind.COMMUNE_COMMAND)
                else:
                    code = None
                if code:
                    votes[code] += 1
        if not votes:
            steps.append(
                PlanStep(kind=StepKind.ABOLISH, unit_type=UnitType.ORG, old_code=unit.code)
            )
            continue
        ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
        kind = StepKind.MERGE if len(ranked) == 1 else StepKind.SPLIT
        for i, (code, _count) in enumerate(ranked):
            steps.append(
                PlanStep(
                    kind=kind,
                    unit_type=UnitType.ORG,
                    old_code=unit.code,
                    new_code=code,
                    is_default=i == 0,
                )
            )
    return steps


def _replace_steps(plan: Plan, steps: list[PlanStep]) -> None:
    if plan.status == PlanStatus.APPLIED:
        raise InvalidInput.single("plan", "PLAN_APPLIED", {"key": plan.key})
    plan.steps.all().delete()
    plan.split_cases.all().delete()
    # New steps, new consequences: the stored summary is recomputed by the next plan_compute.
    plan.summary, plan.computed_at = None, None
    if plan.pk:
        Plan.objects.filter(pk=plan.pk).update(summary=None, computed_at=None)
    for step in steps:
        step.plan = plan
    PlanStep.objects.bulk_create(steps, batch_size=2000)


@transaction.atomic
def builtin_plan_build(day: date = REFORM_DAY) -> Plan:
    """The `vn-2025` plan from the loaded successions and the legacy and 2025 commands.

    Rebuilt on every call while not applied (steps follow the data loaded since)."""
    plan, _created = Plan.objects.get_or_create(
        key=VN_2025,
        defaults={
            "title": "Sắp xếp đơn vị hành chính 2025 (1/7/2025)",
            "effective_on": day,
            "source": PlanSource.BUILTIN,
            "status": PlanStatus.PLANNED,
        },
    )
    if plan.status != PlanStatus.APPLIED:
        _replace_steps(plan, _admin_steps(day) + _org_steps(day))
        if plan.status != PlanStatus.PLANNED:
            plan.status = PlanStatus.PLANNED
            plan.save(update_fields=["status", "updated_at"])
    return plan


def plan_get(key: str) -> Plan:
    """The plan called `key`; `vn-2025` is built on first use. InvalidInput when unknown."""
    plan = Plan.objects.filter(key=key).first()
    if plan is None and key == VN_2025:
        return builtin_plan_build()
    if plan is None:
        raise InvalidInput.single("plan", "PLAN_UNKNOWN", {"key": key})
    return plan


# --- succession CSVs ---------------------------------------------------------------------------


def read_rows(text: str) -> list[rules.StepRow]:
    """Rows of a succession CSV; bad shapes are InvalidInput errors naming `line N`."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput.single("line 1", "MISSING_COLUMNS", {"columns": missing})
    rows: list[rules.StepRow] = []
    errors: list[FieldError] = []
    for line, raw in enumerate(reader, start=2):
        values = {k: (raw.get(k) or "").strip() for k in CSV_COLUMNS}
        try:
            day = date.fromisoformat(values["effective_on"])
        except ValueError:
            errors.append(
                FieldError(f"line {line}", "PLAN_DATE_INVALID", {"value": values["effective_on"]})
            )
            continue
        flag = values["is_default"].lower()
        if flag not in ("", "1", "0", "true", "false", "yes", "no"):
            errors.append(FieldError(f"line {line}", "PLAN_DEFAULT_FLAG", {"value": flag}))
            continue
        rows.append(
            rules.StepRow(
                line=line,
                effective_on=day,
                unit_type=values["unit_type"].lower(),
                kind=values["kind"].lower(),
                old_code=values["old_code"],
                new_code=values["new_code"],
                is_default=flag in ("", "1", "true", "yes"),
            )
        )
    if errors:
        raise InvalidInput(errors)
    return rows


def _check_codes(rows: list[rules.StepRow]) -> list[FieldError]:
    """Old codes must name a unit valid the day before, new codes one valid on the day."""
    errors: list[FieldError] = []
    admin: dict[str, list[tuple[date | None, date | None]]] = defaultdict(list)
    codes = {c for r in rows if r.unit_type == "admin" for c in (r.old_code, r.new_code) if c}
    for code, start, end in AdminUnit.objects.filter(code__in=sorted(codes)).values_list(
        "code", "valid_from", "valid_to"
    ):
        admin[code].append((start, end))
    org: dict[str, list[tuple[date | None, date | None]]] = defaultdict(list)
    codes = {c for r in rows if r.unit_type == "org" for c in (r.old_code, r.new_code) if c}
    for code, start, end in OrgUnit.objects.filter(code__in=sorted(codes)).values_list(
        "code", "valid_from", "valid_to"
    ):
        org[code].append((start, end))
    for row in rows:
        if row.unit_type not in rules.UNIT_TYPES:
            continue  # rules.check_rows reports it
        known = admin if row.unit_type == "admin" else org
        for code, day, role in (
            (row.old_code, row.effective_on - timedelta(days=1), "old_code"),
            (row.new_code, row.effective_on, "new_code"),
        ):
            if not code:
                continue
            periods = known.get(code)
            if not periods:
                errors.append(
                    FieldError(
                        f"line {row.line}",
                        "PLAN_CODE_UNKNOWN",
                        {"role": role, "code": code, "type": row.unit_type},
                    )
                )
                continue
            if any((s is None or s <= day) and (e is None or day <= e) for s, e in periods):
                continue
            starts = [s for s, _ in periods if s is not None]
            if starts and all(s > day for s in starts):
                errors.append(
                    FieldError(
                        f"line {row.line}",
                        "PLAN_CODE_LATER",
                        {"role": role, "code": code, "start": min(starts), "day": day},
                    )
                )
            else:
                errors.append(
                    FieldError(
                        f"line {row.line}",
                        "PLAN_CODE_NOT_VALID",
                        {"role": role, "code": code, "day": day},
                    )
                )
    return errors


def _line_number(error: FieldError) -> int:
    where = error.field.removeprefix("line ")
    return int(where) if where.isdigit() else 0


@transaction.atomic
def csv_plan_load(
    *,
    key: str,
    text: str,
    title: str = "",
    jurisdiction: OrgUnit | None = None,
    new: bool = False,
) -> Plan:
    """A plan from a succession CSV; every bad row is rejected with its line and reason.

    A new plan belongs to `jurisdiction` (None: national); an existing one keeps its own.
    With `new`, an existing key is refused rather than replaced (a new plan never overwrites
    another's)."""
    rows = read_rows(text)
    errors = rules.check_rows(rows) + _check_codes(rows)
    if errors:
        # Every problem of the file at once, in file order, so one correction round suffices.
        raise InvalidInput(sorted(errors, key=_line_number))
    plan, created = Plan.objects.get_or_create(
        key=key,
        defaults={
            "title": title or key,
            "effective_on": rows[0].effective_on,
            "source": PlanSource.CSV,
            "status": PlanStatus.PLANNED,
            "jurisdiction": jurisdiction,
        },
    )
    if not created and new:
        raise InvalidInput.single("key", "PLAN_KEY_TAKEN", {"key": key})
    if not created:
        if plan.source != PlanSource.CSV:
            raise InvalidInput.single("plan", "PLAN_BUILTIN", {"key": key})
        if plan.status == PlanStatus.APPLIED:
            raise InvalidInput.single("plan", "PLAN_APPLIED", {"key": key})
        plan.effective_on = rows[0].effective_on
        plan.status = PlanStatus.PLANNED
        plan.title = title or plan.title
    _replace_steps(
        plan,
        [
            PlanStep(
                kind=r.kind,
                unit_type=r.unit_type,
                old_code=r.old_code,
                new_code=r.new_code,
                is_default=r.is_default,
                line=r.line,
            )
            for r in rows
        ],
    )
    plan.save()
    return plan


def plan_editable(plan: Plan) -> bool:
    """Succession-CSV plans can be rewritten until applied; the built-in plan never."""
    return plan.source == PlanSource.CSV and plan.status != PlanStatus.APPLIED


def plan_csv_text(plan: Plan) -> str:
    """The plan's steps as a succession CSV (the format `csv_plan_load` reads), for editing."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    day = plan.effective_on.isoformat()
    for step in plan.steps.order_by("line", "id"):
        writer.writerow(
            [day, step.unit_type, step.kind, step.old_code, step.new_code, int(step.is_default)]
        )
    return out.getvalue()
