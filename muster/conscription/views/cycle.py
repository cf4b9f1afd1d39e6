"""Call-up cycle pages: the cycles of the user's provinces, the quota page of a cycle, a
commune's page of the cycle, and the handover list. Forms post to actions; the actions decide
permissions (`accounts.permissions`) again on every write. Order batches and orders are in
`views.orders`.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from muster.accounts import permissions
from muster.accounts.models import User
from muster.accounts.views_support import request_user
from muster.conscription.actions import cycle as actions_cycle
from muster.conscription.models import CallupCycle, CommuneQuota
from muster.conscription.queries import cycle as queries_cycle
from muster.conscription.views import exports
from muster.conscription.views.forms_cycle import CycleCreateForm, QuotaOverrideForm, TargetForm
from muster.core.errors import InvalidInput
from muster.core.exports import export_format, export_response
from muster.core.views import guarded
from muster.core.wording import error_text


def refused(request: HttpRequest, exc: InvalidInput) -> None:
    """The action's reasons, one message each (nothing was written)."""
    for error in exc.errors:
        messages.error(request, error_text(error))


def _provinces(user: User) -> list[tuple[str, str]]:
    """Provinces the user may open a cycle for (provincial jurisdiction or above)."""
    return [(unit.code, unit.name) for unit in queries_cycle.provinces_to_open(user)]


@guarded(["GET"])
def cycle_list(request: HttpRequest) -> HttpResponse:
    """Cycles of the provinces in the user's scope; provincial staff may open one."""
    user = request_user(request)
    provinces = _provinces(user)
    form = CycleCreateForm(provinces=provinces) if provinces else None
    cycles = list(queries_cycle.cycle_list(user))
    return render(request, "conscription/cycle_list.html", {"cycles": cycles, "form": form})


@guarded(["POST"])
def cycle_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    permissions.require(user, "callup.cycle.manage")
    asked = queries_cycle.province_current(request.POST.get("province", ""))
    if asked is not None:  # another's province is refused (403), not merely not offered
        permissions.require(user, "callup.cycle.manage", area=asked)
    provinces = queries_cycle.provinces_to_open(user)
    form = CycleCreateForm(request.POST, provinces=[(u.code, u.name) for u in provinces])
    if form.is_valid():
        province = next(u for u in provinces if u.code == form.cleaned_data["province"])
        try:
            cycle = actions_cycle.cycle_create(
                province=province,
                year=form.cleaned_data["year"],
                callup_date=form.cleaned_data["callup_date"],
                target=form.cleaned_data["target"],
                acting_user=user,
            )
        except InvalidInput as exc:
            refused(request, exc)
        else:
            messages.success(request, _("The call-up cycle is open."))
            return redirect("conscription:cycle_detail", cycle.pk)
    cycles = list(queries_cycle.cycle_list(user))
    context = {"cycles": cycles, "form": form}
    return render(request, "conscription/cycle_list.html", context, status=400)


@dataclass(frozen=True)
class QuotaLine:
    quota: CommuneQuota
    progress: queries_cycle.Progress
    # The quota form's row: what was typed (after a refused post) and its errors.
    typed_quota: str = ""
    typed_reason: str = ""
    cleared: bool = False
    errors: tuple[str, ...] = ()


def _lines(
    user: User, cycle: CallupCycle, posted: QueryDict | None, errors: dict[str, list[str]]
) -> list[QuotaLine]:
    progress = queries_cycle.progress_by_commune(cycle)
    lines = []
    for row in queries_cycle.quota_rows(user, cycle):
        code = row.commune.code
        lines.append(
            QuotaLine(
                row,
                progress.get(row.commune_id, queries_cycle.Progress()),
                posted.get(f"quota-{code}", "") if posted else str(row.quota),
                posted.get(f"reason-{code}", "") if posted else row.override_reason,
                bool(posted and posted.get(f"clear-{code}")),
                tuple(errors.get(f"quota-{code}", []) + errors.get(f"reason-{code}", [])),
            )
        )
    return lines


def _detail(
    request: HttpRequest,
    cycle: CallupCycle,
    posted: QueryDict | None = None,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    user = request_user(request)
    errors = errors or {}
    lines = _lines(user, cycle, posted, errors)
    totals = {
        "pool": sum(line.quota.pool for line in lines),
        "proposed": sum(line.quota.proposed for line in lines),
        "quota": sum(line.quota.quota for line in lines),
    }
    covers = permissions.covers(user, area=cycle.province, day=cycle.callup_date)
    provincial = permissions.may(
        user, "callup.cycle.manage", area=cycle.province, day=cycle.callup_date
    )
    # The lists and reports page takes the whole province or one commune in the user's scope.
    place = (
        {"province": cycle.province.code}
        if covers
        else {"commune": lines[0].quota.commune.code}
        if len(lines) == 1
        else None
    )
    context = {
        "cycle": cycle,
        "lines": lines,
        "reports_query": urlencode({"year": cycle.year, **place}) if place else "",
        "totals": totals,
        "provincial": provincial,
        "may_override": permissions.may(
            user, "callup.quota.override", area=cycle.province, day=cycle.callup_date
        ),
        "quota_errors": errors.get("quota", []),
        "target_form": TargetForm(initial={"target": cycle.target}),
    }
    return render(request, "conscription/cycle_detail.html", context, status=400 if errors else 200)


@guarded(["GET"])
def cycle_detail(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """The quota page: per commune of the user's scope, pool, proposal, quota and progress;
    for the province, one form over every commune's quota."""
    user = request_user(request)
    cycle = queries_cycle.access_cycle(user, cycle_id)
    if (fmt := export_format(request)) is not None:
        lines = _lines(user, cycle, None, {})
        return export_response(exports.quotas_table(cycle, lines), fmt)
    return _detail(request, cycle)


def _typed_quota(text: str) -> int | None:
    text = text.strip().replace(".", "")  # 1.234 as people write it
    return int(text) if text.lstrip("-").isdigit() else None


@guarded(["POST"])
def quotas_save(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """The quota form: each row whose quota or reason changed (or marked to clear) is one
    change; all are checked and saved together, or none."""
    user = request_user(request)
    cycle = queries_cycle.access_cycle(user, cycle_id)
    changes: dict[str, actions_cycle.QuotaChange] = {}
    for row in queries_cycle.quota_rows(user, cycle):
        code = row.commune.code
        if request.POST.get(f"clear-{code}"):
            changes[code] = actions_cycle.QuotaChange(clear=True)
            continue
        typed = request.POST.get(f"quota-{code}")
        if typed is None:
            continue  # a row the form did not hold
        reason = request.POST.get(f"reason-{code}", "")
        quota = _typed_quota(typed)
        if quota != row.quota or reason.strip() != row.override_reason:
            changes[code] = actions_cycle.QuotaChange(quota=quota, reason=reason)
    try:
        saved = actions_cycle.quotas_set(cycle=cycle, changes=changes, acting_user=user)
    except InvalidInput as exc:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(error.field, []).append(error_text(error))
        return _detail(request, cycle, request.POST, errors)
    if saved:
        messages.success(request, _("The quotas were saved; the rest was shared again."))
    else:
        messages.info(request, _("No quota was changed."))
    return _back(cycle)


def _back(cycle: CallupCycle) -> HttpResponse:
    return redirect(reverse("conscription:cycle_detail", args=[cycle.pk]))


@guarded(["POST"])
def cycle_target(request: HttpRequest, cycle_id: int) -> HttpResponse:
    user = request_user(request)
    cycle = queries_cycle.access_cycle(user, cycle_id)
    form = TargetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the target as a whole number."))
        return _back(cycle)
    try:
        actions_cycle.cycle_target_set(
            cycle=cycle, target=form.cleaned_data["target"], acting_user=user
        )
    except InvalidInput as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The target was set."))
    return _back(cycle)


@guarded(["POST"])
def quotas_propose(request: HttpRequest, cycle_id: int) -> HttpResponse:
    user = request_user(request)
    cycle = queries_cycle.access_cycle(user, cycle_id)
    try:
        actions_cycle.quotas_propose(cycle=cycle, acting_user=user)
    except InvalidInput as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Commune quotas were proposed from the eligible pools."))
    return _back(cycle)


@guarded(["POST"])
def quota_override(request: HttpRequest, cycle_id: int, code: str) -> HttpResponse:
    user = request_user(request)
    cycle = queries_cycle.access_cycle(user, cycle_id)
    commune = queries_cycle.access_commune(user, cycle, code)
    form = QuotaOverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the quota and the reason for overriding it."))
        return _back(cycle)
    try:
        actions_cycle.quota_override(
            cycle=cycle,
            commune=commune,
            quota=form.cleaned_data["quota"],
            reason=form.cleaned_data["reason"],
            acting_user=user,
        )
    except InvalidInput as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The quota was overridden; the rest was shared again."))
    return _back(cycle)


@guarded(["POST"])
def quota_override_clear(request: HttpRequest, cycle_id: int, code: str) -> HttpResponse:
    user = request_user(request)
    cycle = queries_cycle.access_cycle(user, cycle_id)
    commune = queries_cycle.access_commune(user, cycle, code)
    try:
        actions_cycle.quota_override_clear(cycle=cycle, commune=commune, acting_user=user)
    except InvalidInput as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The override was removed."))
    return _back(cycle)


@guarded(["GET"])
def commune_cycle(request: HttpRequest, cycle_id: int, code: str) -> HttpResponse:
    """One commune's cycle: its quota, progress and order batches."""
    user = request_user(request)
    cycle = queries_cycle.access_cycle(user, cycle_id)
    commune = queries_cycle.access_commune(user, cycle, code)
    batches = queries_cycle.commune_batches(cycle, commune)
    if (fmt := export_format(request)) is not None:
        return export_response(exports.batches_table(cycle, commune, batches), fmt)
    context = {
        "cycle": cycle,
        "commune": commune,
        "quota": queries_cycle.commune_quota(cycle, commune),
        "progress": queries_cycle.progress_by_commune(cycle).get(
            commune.pk, queries_cycle.Progress()
        ),
        "batches": batches,
        "can_write": permissions.may(user, "callup.batch.draft", commune_id=commune.pk),
    }
    return render(request, "conscription/cycle_commune.html", context)


@guarded(["GET"])
def handover_list(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Issued orders of the user's communes with delivery, handover and enlistment."""
    user = request_user(request)
    cycle = queries_cycle.access_cycle(user, cycle_id)
    fmt = export_format(request)
    orders = queries_cycle.handover_orders(user, cycle, channel=fmt or "web")
    if fmt is not None:
        return export_response(exports.handover_table(cycle, orders), fmt)
    return render(request, "conscription/cycle_handover.html", {"cycle": cycle, "orders": orders})
