"""The annual assessment page: the year's criteria sets, the assessments of the commands of a
user's jurisdiction and of their cadres (grades comparable across years: same sets, cadres'
results following their command through a restructuring), and a form per set to record one.
Exports as XLSX or CSV (`?export=`)."""

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
from muster.cadres.models import CriteriaSet, Subject
from muster.core.errors import InvalidInput, NotFound
from muster.core.exports import export_format, export_response
from muster.core.views import guarded
from muster.core.wording import error_text
from muster.people.queries import access_person


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return min(max(year, 2025), today.year)


@guarded(["GET"])
def assessments(request: HttpRequest) -> HttpResponse:
    """The year's criteria sets and assessments of the user's jurisdiction."""
    user = request_user(request)
    today = timezone.localdate()
    year = _year(request)
    fmt = export_format(request)
    rows = queries.assessments_visible(user, year, today, channel=fmt or "web")
    if fmt is not None:
        return export_response(exports.assessments_table(rows, year=year), fmt)
    return render(
        request,
        "cadres/assessments.html",
        {
            "year": year,
            "sets": queries.criteria_sets(year),
            "rows": rows,
            "may_record": permissions.may(user, "cadres.assessment.record"),
            "commands": queries.commands_visible(user, today),
            "today": today,
        },
    )


def _scores(request: HttpRequest, criteria_set: CriteriaSet) -> dict[str, tuple[Decimal, str]]:
    scores: dict[str, tuple[Decimal, str]] = {}
    for criterion in criteria_set.criteria.all():
        try:
            value = Decimal(request.POST.get(f"score_{criterion.code}", "").replace(",", "."))
        except InvalidOperation:
            continue
        scores[criterion.code] = (value, request.POST.get(f"evidence_{criterion.code}", ""))
    return scores


@guarded(["POST"])
def assessment_record(request: HttpRequest, set_id: int) -> HttpResponse:
    """Record a cadre's (personal ID given) or a unit's assessment against the set."""
    user = request_user(request)
    today = timezone.localdate()
    criteria_set = queries.access_criteria_set(set_id)
    unit = queries.access_command(user, request.POST.get("command", ""), today)
    back = redirect(f"{reverse('cadres:assessments')}?year={criteria_set.year}")
    person = None
    if criteria_set.subject == Subject.CADRE:
        try:
            person = access_person(user, request.POST.get("personal_id", "").strip())
        except NotFound as exc:
            messages.error(request, error_text(exc))
            return back
    try:
        recorded = assessment.assessment_record(
            criteria_set=criteria_set,
            org_unit=unit,
            person=person,
            scores=_scores(request, criteria_set),
            assessed_on=today,
            acting_user=user,
        )
    except InvalidInput as exc:
        for error in exc.errors:
            messages.error(request, error_text(error))
    else:
        messages.success(request, _("The assessment was recorded."))
        if recorded.failed_criteria:
            messages.warning(
                request,
                _("A mandatory criterion is below its threshold: %(criteria)s.")
                % {
                    "criteria": ", ".join(
                        c.name
                        for c in criteria_set.criteria.all()
                        if c.code in recorded.failed_criteria
                    )
                },
            )
    return back
