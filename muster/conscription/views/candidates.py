"""The call-up candidate list of one commune (issue #4): counts per status, a status filter, a
paginated table with each reason explained, and the same list (with the filter) as XLSX or CSV
for Excel (`?export=xlsx|csv`; the CLI writes the machine CSV).

Login required; a commune outside the user's jurisdiction (`accounts.scope`) answers 404.
The men each page or export hands out are logged as read (`queries.candidate_pages`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from muster.accounts.models import User
from muster.accounts.scope import Scope, scope_for
from muster.accounts.views_support import request_user
from muster.conscription.labels import CALLUP_STATUS_LABELS
from muster.conscription.queries.candidate_pages import candidate_list, candidate_page
from muster.conscription.queries.candidates import CandidateRow, reference_and_rules
from muster.conscription.rules.callup import RuleSet, Status
from muster.conscription.rules.reasons import REASONS
from muster.core.collation import vi
from muster.core.errors import InvalidInput
from muster.core.exports import Column, Table, export_format, export_response
from muster.core.views import guarded, page_number
from muster.core.wording import error_text
from muster.geo.models import AdminUnit, Edition, Level

PAGE_SIZE = 50
STATUS_LABELS = CALLUP_STATUS_LABELS


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    citation: str


@dataclass(frozen=True)
class Row:
    candidate: CandidateRow
    status_label: str
    reasons: list[Reason]


@dataclass(frozen=True)
class Query:
    """The page's parameters, checked; `error` says what is wrong with them."""

    commune: AdminUnit | None
    year: int
    reference: date | None
    status: str
    error: str = ""


def _scope_communes(scope: Scope) -> list[AdminUnit]:
    units = AdminUnit.objects.filter(edition=Edition.V2025, level=Level.COMMUNE)
    if scope.commune_ids is not None:
        units = units.filter(id__in_array=sorted(scope.commune_ids))
    return list(units.order_by(vi("short_name"), "code"))


def _query(request: HttpRequest, scope: Scope) -> Query:
    """Parameters of the request; a commune outside the scope is 404 (as a missing one)."""
    code = request.GET.get("commune", "")
    raw_year = request.GET.get("year", "")
    year = int(raw_year) if raw_year.isdigit() and len(raw_year) == 4 else timezone.localdate().year
    status = request.GET.get("status", "")
    status = status if status in Status.ALL else ""
    raw_day = request.GET.get("reference_date", "")
    reference, error = None, ""
    if raw_day:
        try:
            reference = date.fromisoformat(raw_day)
        except ValueError:
            error = _("The reference date must be a date (YYYY-MM-DD).")
    if not code:
        return Query(None, year, reference, status, error)
    commune = (
        AdminUnit.objects.filter(edition=Edition.V2025, level=Level.COMMUNE, code=code)
        .select_related("parent")
        .first()
    )
    if commune is None or not scope.allows(commune.pk):
        raise Http404("no such commune in your jurisdiction")
    return Query(commune, year, reference, status, error)


def _reference(query: Query) -> tuple[date, RuleSet]:
    """The reference date and rule set, or InvalidInput saying why there are none (no cycle
    and no reference date, no rules in force)."""
    assert query.commune is not None
    return reference_and_rules(query.commune, query.year, query.reference)


def _explained(row: CandidateRow, language: str) -> Row:
    reasons = [
        Reason(code, REASONS[code].text(language), REASONS[code].citation)
        if code in REASONS
        else Reason(code, code, "")
        for code in row.reasons
    ]
    return Row(row, str(STATUS_LABELS[row.status]), reasons)


def _list_context(request: HttpRequest, query: Query, user: User) -> dict[str, Any]:
    assert query.commune is not None
    number = page_number(request)
    try:
        reference, rules = _reference(query)
    except InvalidInput as exc:
        return {"error": error_text(exc)}
    found = candidate_page(
        user,
        commune=query.commune,
        reference=reference,
        rules=rules,
        status=query.status,
        page=number,
        page_size=PAGE_SIZE,
        channel="web",
    )
    start = (number - 1) * PAGE_SIZE
    language = get_language() or "vi"
    base = {"commune": query.commune.code, "year": query.year}
    if query.reference:
        base["reference_date"] = query.reference.isoformat()
    return {
        "reference": reference,
        "rules": rules,
        "total": found.total,
        "count": found.matching,
        "counts": [
            (
                status,
                STATUS_LABELS[status],
                found.counts[status],
                urlencode({**base, "status": status}),
            )
            for status in Status.ALL
        ],
        "all_query": urlencode(base),
        "page_query": urlencode({**base, **({"status": query.status} if query.status else {})}),
        "rows": [_explained(row, language) for row in found.rows],
        "page": {
            "number": number,
            "has_previous": number > 1,
            "has_next": start + PAGE_SIZE < found.matching,
            "first_index": start + 1,
        },
    }


@guarded(["GET"])
def candidates(request: HttpRequest) -> HttpResponse:
    """The candidate list of one of the user's communes, for a year's call-up."""
    user = request_user(request)
    scope = scope_for(user)
    query = _query(request, scope)
    context: dict[str, Any] = {
        "query": query,
        "communes": _scope_communes(scope),
        "statuses": [(status, STATUS_LABELS[status]) for status in Status.ALL],
        "list_url": reverse("conscription:candidates"),
        "error": query.error,
    }
    fmt = export_format(request)
    if fmt is not None:
        return _export(user, query, fmt)
    if query.commune is not None and not query.error:
        context.update(_list_context(request, query, user))
    return render(request, "conscription/candidates.html", context)


def _reasons_text(reasons: list[Reason]) -> str:
    return "; ".join(f"{r.code} – {r.text}" if r.text != r.code else r.code for r in reasons)


def _export(user: User, query: Query, fmt: str) -> HttpResponse:
    """The list with the page's status filter, every row, as the page shows it: status in
    words with its code, reasons with their codes and explanations."""
    if query.commune is None or query.error:
        raise Http404("give a commune of your jurisdiction and a valid reference date")
    try:
        reference, rules = _reference(query)
    except InvalidInput as exc:
        raise Http404(error_text(exc)) from exc
    language = get_language() or "vi"
    shown = candidate_list(
        user,
        commune=query.commune,
        reference=reference,
        rules=rules,
        status=query.status,
        channel=fmt,
    )
    table = Table(
        title=str(_("Call-up candidates")),
        columns=[
            Column(_("Full name")),
            Column(_("Personal ID number")),
            Column(_("Date of birth"), "date"),
            Column(_("Status")),
            Column(_("Status code")),
            Column(_("Reasons"), width=60),
        ],
        rows=[
            (
                row.candidate.full_name,
                row.candidate.personal_id,
                row.candidate.birth_date,
                row.status_label,
                row.candidate.status,
                _reasons_text(row.reasons),
            )
            for row in (_explained(candidate, language) for candidate in shown)
        ],
        filename=f"candidates-{query.commune.code}-{reference.isoformat()}",
    )
    return export_response(table, fmt)
