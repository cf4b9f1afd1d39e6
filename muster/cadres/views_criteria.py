"""The year's assessment criteria sets (national configuration): each set's grade thresholds and
criteria — weight, mandatory with its threshold (IT competency for cadres, MR3), evidence
required — and, for whoever may set them (`cadres.criteria.manage`), a form that creates a set or
replaces one not yet used (`cadres.assessment.criteria_set_save`). Exports as XLSX or CSV."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from muster.accounts import permissions
from muster.accounts.views_support import request_user
from muster.cadres import assessment, exports, queries
from muster.cadres.assessment import CriterionInput
from muster.cadres.models import Subject
from muster.cadres.rules import Thresholds
from muster.core.errors import FieldError, InvalidInput
from muster.core.exports import export_format, export_response
from muster.core.views import guarded
from muster.core.wording import error_text

ROWS = 8  # criterion lines the form offers


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return min(max(year, 2025), today.year + 1)


@guarded(["GET"])
def criteria(request: HttpRequest) -> HttpResponse:
    """The year's criteria sets, with the form to set one for those who may."""
    user = request_user(request)
    year = _year(request)
    sets = queries.criteria_sets(year)
    if (fmt := export_format(request)) is not None:
        return export_response(exports.criteria_table(sets, year=year), fmt)
    return render(
        request,
        "cadres/criteria.html",
        {
            "year": year,
            "sets": sets,
            "may_manage": permissions.may(user, "cadres.criteria.manage"),
            "subjects": Subject.choices,
            "lines": range(1, ROWS + 1),
        },
    )


def _decimal(text: str, field: str, errors: list[FieldError]) -> Decimal:
    try:
        return Decimal((text or "0").replace(",", "."))
    except InvalidOperation:
        errors.append(FieldError(field, "CRITERIA_NOT_A_NUMBER"))
        return Decimal(0)


def _criteria(request: HttpRequest, errors: list[FieldError]) -> list[CriterionInput]:
    found = []
    for i in range(1, ROWS + 1):
        code = request.POST.get(f"c{i}_code", "").strip()
        if not code:
            continue
        try:
            weight = int(request.POST.get(f"c{i}_weight", ""))
        except ValueError:
            errors.append(FieldError(f"c{i}_weight", "CRITERIA_NOT_A_NUMBER"))
            continue
        found.append(
            CriterionInput(
                code=code,
                name=request.POST.get(f"c{i}_name", "").strip() or code,
                weight=weight,
                mandatory=request.POST.get(f"c{i}_mandatory") == "on",
                threshold=_decimal(
                    request.POST.get(f"c{i}_threshold", ""), f"c{i}_threshold", errors
                ),
                evidence_required=request.POST.get(f"c{i}_evidence") == "on",
            )
        )
    return found


@guarded(["POST"])
def criteria_save(request: HttpRequest) -> HttpResponse:
    """Create the year's set, or replace one no assessment has used yet."""
    user = request_user(request)
    permissions.require(user, "cadres.criteria.manage")
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    back = redirect(f"{reverse('cadres:criteria')}?year={year}")
    errors: list[FieldError] = []
    thresholds = Thresholds(
        _decimal(request.POST.get("excellent_from", ""), "excellent_from", errors),
        _decimal(request.POST.get("good_from", ""), "good_from", errors),
        _decimal(request.POST.get("pass_from", ""), "pass_from", errors),
    )
    lines = _criteria(request, errors)
    try:
        if errors:
            raise InvalidInput(errors)
        saved = assessment.criteria_set_save(
            year=year,
            subject=request.POST.get("subject", ""),
            code=request.POST.get("code", "").strip(),
            name=request.POST.get("name", "").strip(),
            thresholds=thresholds,
            criteria=lines,
            acting_user=user,
        )
    except InvalidInput as exc:
        for error in exc.errors:
            messages.error(request, error_text(error))
        return back
    messages.success(request, _("Criteria set %(code)s saved.") % {"code": saved.code})
    return back
