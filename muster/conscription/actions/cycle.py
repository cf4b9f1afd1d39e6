"""Writes of the yearly call-up cycle: the province's cycle and target, commune quotas.

The Prime Minister sets each province's call-up numbers (MSL Art. 34(1)); the provincial
chairman shares them among the communes (MSL Art. 34(3), as practised after the 2025 reform
[UNCERTAIN amended text]). Muster proposes each commune's quota in proportion to its eligible
pool; staff may override a quota with a recorded reason, and the rest of the target is shared
again so the provincial total always holds. Order batches and orders are in `actions.orders`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from muster import audit
from muster.accounts import permissions
from muster.accounts.models import User
from muster.conscription.models import CallupCycle, CommuneQuota
from muster.conscription.queries import cycle as queries_cycle
from muster.conscription.rules.callup import QuotaError, allocate_quotas, ruleset_on
from muster.core.errors import FieldError, InvalidInput
from muster.geo.models import AdminUnit, Level

TARGET_MAX = 100_000
REASON_MAX = 1000


def check_provincial(
    user: User, province: AdminUnit, day: date | None = None, action: str = "callup.cycle.manage"
) -> None:
    """Quotas are the province's decision (its command, the military region, administrators):
    `action` on the whole province (`accounts.permissions`)."""
    permissions.require(user, action, area=province, day=day or timezone.localdate())


def _check_target(target: int) -> None:
    if not 0 <= target <= TARGET_MAX:
        raise InvalidInput([FieldError("target", "BETWEEN", {"low": 0, "high": TARGET_MAX})])


@transaction.atomic
def cycle_create(
    *, province: AdminUnit, year: int, callup_date: date, target: int, acting_user: User
) -> CallupCycle:
    """Open a province's call-up of one year (MSL Art. 33: February or March, once a year).

    Idempotent per (year, province): the same call again returns the existing cycle; another
    call-up date for an existing cycle is refused.
    """
    errors: list[FieldError] = []
    if province.level != Level.PROVINCE:
        errors.append(FieldError("province", "CALLUP_NOT_A_PROVINCE", {"code": province.code}))
    if callup_date.year != year:
        errors.append(FieldError("callup_date", "CALLUP_DATE_YEAR", {"year": year}))
    _check_target(target)
    try:
        rules = ruleset_on(callup_date)
    except ValueError:
        errors.append(FieldError("callup_date", "CALLUP_RULES_NOT_IN_FORCE", {"day": callup_date}))
    if errors:
        raise InvalidInput(errors)
    check_provincial(acting_user, province)
    existing = CallupCycle.objects.filter(year=year, province=province).first()
    if existing is not None:
        if existing.callup_date != callup_date:
            raise InvalidInput(
                [
                    FieldError(
                        "callup_date",
                        "CALLUP_CYCLE_EXISTS",
                        {"year": year, "day": existing.callup_date},
                    )
                ]
            )
        return existing
    cycle = CallupCycle.objects.create(
        year=year,
        province=province,
        callup_date=callup_date,
        target=target,
        rules_version=rules.version,
        created_by=acting_user,
    )
    audit.record(
        "conscription.cycle.created",
        actor=acting_user,
        target=cycle,
        data={
            "year": year,
            "province": province.code,
            "callup_date": callup_date.isoformat(),
            "target": target,
            "rules_version": rules.version,
        },
    )
    return cycle


def _reshare(
    cycle: CallupCycle, quotas: list[CommuneQuota], pinned: dict[str, int]
) -> dict[str, int]:
    """Share the target again over `quotas`: pinned communes keep theirs, the rest follow
    their pools, and no commune falls below the orders it has (`rules.allocate_quotas`).
    Raises InvalidInput (field "quota") when the total cannot hold."""
    pools = {row.commune.code: row.pool for row in quotas}
    floors = queries_cycle.orders_by_commune(cycle)
    try:
        shares = allocate_quotas(cycle.target, pools, pinned, floors)
    except QuotaError as exc:
        raise _refusal(exc, {row.commune.code: row.commune for row in quotas}) from exc
    now = timezone.now()
    for row in quotas:
        if row.quota != shares[row.commune.code]:
            row.quota = shares[row.commune.code]
            row.updated_at = now
            row.save(update_fields=["quota", "updated_at"])
    return shares


def _refusal(exc: QuotaError, communes: Mapping[str, AdminUnit]) -> InvalidInput:
    """The rule's refusal for a page: on the row of the commune it names (`quota-<code>`,
    the commune by name), else on the quotas as a whole."""
    code = exc.params.get("commune")
    if isinstance(code, str) and code in communes:
        params = dict(exc.params) | {"commune": communes[code].name}
        return InvalidInput([FieldError(f"quota-{code}", exc.code, params)])
    return InvalidInput([FieldError("quota", exc.code, exc.params)])


def _locked_quotas(cycle: CallupCycle) -> list[CommuneQuota]:
    return list(
        CommuneQuota.objects.select_for_update()
        .filter(cycle=cycle)
        .select_related("commune")
        .order_by("commune__code")
    )


def _pinned(quotas: list[CommuneQuota]) -> dict[str, int]:
    return {row.commune.code: row.quota for row in quotas if row.override_reason}


@transaction.atomic
def cycle_target_set(*, cycle: CallupCycle, target: int, acting_user: User) -> CallupCycle:
    """Set the province's target (the Prime Minister's decision, MSL Art. 34(1)); existing
    commune quotas are shared again, overrides kept."""
    _check_target(target)
    check_provincial(acting_user, cycle.province, cycle.callup_date)
    cycle = CallupCycle.objects.select_for_update().get(pk=cycle.pk)
    before = cycle.target
    cycle.target = target
    cycle.save(update_fields=["target"])
    quotas = _locked_quotas(cycle)
    if quotas:
        _reshare(cycle, quotas, _pinned(quotas))
    audit.record(
        "conscription.cycle.target_set",
        actor=acting_user,
        target=cycle,
        data={"before": before, "target": target},
    )
    return cycle


@transaction.atomic
def quotas_propose(*, cycle: CallupCycle, acting_user: User) -> list[CommuneQuota]:
    """Propose commune quotas proportional to each commune's eligible pool on the call-up date
    (largest remainder, summing exactly to the target); overridden quotas stay pinned."""
    check_provincial(acting_user, cycle.province, cycle.callup_date)
    cycle = CallupCycle.objects.select_for_update().get(pk=cycle.pk)
    communes = queries_cycle.province_communes(cycle.province, cycle.callup_date)
    if not communes:
        raise InvalidInput([FieldError("cycle", "CALLUP_NO_COMMUNES")])
    eligible = queries_cycle.eligible_by_commune(cycle, communes)
    pools = {code: len(ids) for code, ids in eligible.items()}
    existing = {row.commune.code: row for row in _locked_quotas(cycle)}
    pinned = {code: row.quota for code, row in existing.items() if row.override_reason}
    pinned = {code: quota for code, quota in pinned.items() if code in pools}
    try:
        proposed = allocate_quotas(cycle.target, pools)
        floors = queries_cycle.orders_by_commune(cycle)
        quotas = allocate_quotas(
            cycle.target, pools, pinned, {c: n for c, n in floors.items() if c in pools}
        )
    except QuotaError as exc:
        raise InvalidInput([FieldError("quota", exc.code, exc.params)]) from exc
    now = timezone.now()
    rows = []
    for commune in communes:
        values = {
            "pool": pools[commune.code],
            "proposed": proposed[commune.code],
            "quota": quotas[commune.code],
            "updated_at": now,
        }
        row, _ = CommuneQuota.objects.update_or_create(
            cycle=cycle, commune=commune, defaults=values
        )
        rows.append(row)
    # Communes gone from the province since an earlier proposal keep no quota.
    CommuneQuota.objects.filter(cycle=cycle).exclude(commune__in=communes).delete()
    audit.record(
        "conscription.quotas.proposed",
        actor=acting_user,
        target=cycle,
        data={
            "target": cycle.target,
            "pool_total": sum(pools.values()),
            "communes": len(communes),
            "pinned": pinned,
        },
    )
    return rows


def _quota_row(quotas: list[CommuneQuota], commune: AdminUnit) -> CommuneQuota:
    for row in quotas:
        if row.commune_id == commune.pk:
            return row
    raise InvalidInput([FieldError("commune", "QUOTA_NOT_PROPOSED")])


@transaction.atomic
def quota_override(
    *, cycle: CallupCycle, commune: AdminUnit, quota: int, reason: str, acting_user: User
) -> CommuneQuota:
    """Set one commune's quota by hand with a recorded reason; the rest of the target is
    shared again among the communes not overridden. Refused when the provincial total can no
    longer hold, below the orders the commune already has, above its eligible pool, or when
    the other communes' orders leave too little of the target (`rules.allocate_quotas`)."""
    check_provincial(acting_user, cycle.province, cycle.callup_date, "callup.quota.override")
    reason = reason.strip()
    errors = []
    if not reason:
        errors.append(FieldError("reason", "QUOTA_REASON_REQUIRED"))
    elif len(reason) > REASON_MAX:
        errors.append(FieldError("reason", "TOO_LONG", {"limit": REASON_MAX}))
    if quota < 0:
        errors.append(FieldError("quota", "QUOTA_NEGATIVE"))
    if errors:
        raise InvalidInput(errors)
    quotas = _locked_quotas(cycle)
    row = _quota_row(quotas, commune)
    before = row.quota
    pinned = _pinned(quotas) | {commune.code: quota}
    row.override_reason = reason
    row.overridden_by = acting_user
    row.save(update_fields=["override_reason", "overridden_by"])
    _reshare(cycle, quotas, pinned)
    audit.record(
        "conscription.quota.overridden",
        actor=acting_user,
        target=row,
        data={"commune": commune.code, "before": before, "quota": quota, "reason": reason},
        commune_code=commune.code,
    )
    return row


@dataclass(frozen=True)
class QuotaChange:
    """One commune's row of the quota form: an override (quota and reason) or its removal."""

    quota: int | None = None
    reason: str = ""
    clear: bool = False


@transaction.atomic
def quotas_set(
    *, cycle: CallupCycle, changes: Mapping[str, QuotaChange], acting_user: User
) -> list[CommuneQuota]:
    """The quota page's one form: several communes' overrides set or removed at once (keyed
    by commune code), the target shared again once over the others. Every row is checked
    (errors name the commune: field `quota-<code>` or `reason-<code>`) and nothing is written
    unless every row and the province's total hold (`rules.allocate_quotas`: the target, the
    orders already drafted or issued, the eligible pools). Returns the rows that changed."""
    check_provincial(acting_user, cycle.province, cycle.callup_date, "callup.quota.override")
    quotas = _locked_quotas(cycle)
    by_code = {row.commune.code: row for row in quotas}
    errors: list[FieldError] = []
    for code, change in sorted(changes.items()):
        row = by_code.get(code)
        if row is None:
            errors.append(FieldError(f"quota-{code}", "QUOTA_NOT_PROPOSED"))
            continue
        name = row.commune.name
        if change.clear:
            continue
        reason = change.reason.strip()
        if change.quota is None:
            errors.append(FieldError(f"quota-{code}", "QUOTA_ROW_MISSING", {"commune": name}))
        elif change.quota < 0:
            errors.append(FieldError(f"quota-{code}", "QUOTA_ROW_NEGATIVE", {"commune": name}))
        if not reason:
            errors.append(
                FieldError(f"reason-{code}", "QUOTA_ROW_REASON_REQUIRED", {"commune": name})
            )
        elif len(reason) > REASON_MAX:
            errors.append(
                FieldError(
                    f"reason-{code}", "QUOTA_ROW_TOO_LONG", {"commune": name, "limit": REASON_MAX}
                )
            )
    if errors:
        raise InvalidInput(errors)
    pinned = _pinned(quotas)
    touched: list[tuple[CommuneQuota, int, dict[str, object]]] = []
    for code, change in sorted(changes.items()):
        row = by_code[code]
        if change.clear:
            if not row.override_reason:
                continue
            pinned.pop(code, None)
            row.override_reason, row.overridden_by = "", None
            touched.append((row, row.quota, {"cleared": True}))
            continue
        assert change.quota is not None  # checked above
        reason = change.reason.strip()
        if row.override_reason == reason and row.quota == change.quota:
            continue  # the row as it stands
        pinned[code] = change.quota
        row.override_reason, row.overridden_by = reason, acting_user
        touched.append((row, row.quota, {"reason": reason}))
    if not touched:
        return []
    # Rows saved first: a refusal of the shares below rolls the whole transaction back.
    for row, _before, _data in touched:
        row.save(update_fields=["override_reason", "overridden_by"])
    shares = _reshare(cycle, quotas, pinned)
    for row, before, data in touched:
        audit.record(
            "conscription.quota.overridden",
            actor=acting_user,
            target=row,
            data={"commune": row.commune.code, "before": before, "quota": shares[row.commune.code]}
            | data,
            commune_code=row.commune.code,
        )
    return [row for row, _before, _data in touched]


@transaction.atomic
def quota_override_clear(
    *, cycle: CallupCycle, commune: AdminUnit, acting_user: User
) -> CommuneQuota:
    """Drop a commune's override: its quota follows its pool again, the total still holds."""
    check_provincial(acting_user, cycle.province, cycle.callup_date, "callup.quota.override")
    quotas = _locked_quotas(cycle)
    row = _quota_row(quotas, commune)
    if not row.override_reason:
        return row
    before = row.quota
    row.override_reason = ""
    row.overridden_by = None
    row.save(update_fields=["override_reason", "overridden_by"])
    _reshare(cycle, quotas, _pinned(quotas))
    audit.record(
        "conscription.quota.overridden",
        actor=acting_user,
        target=row,
        data={"commune": commune.code, "before": before, "quota": row.quota, "cleared": True},
        commune_code=commune.code,
    )
    return row
