"""The call-up candidate list of one commune (issue #4): counts per status, a status filter, a
paginated table with each reason explained, and the same list (with the filter) as XLSX or CSV
for Excel (`?export=xlsx|csv`; the CLI writes the machine CSV).

Login required; a commune outside the user's jurisdiction (`accounts.scope`) answers 404.
Each view or export of the list is recorded as a read of personal data.
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

from muster import audit
from muster.accounts.models import User
from muster.accounts.scope import Scope, scope_for
from muster.accounts.views_support import request_user
from muster.conscription.labels import CALLUP_STATUS_LABELS
from muster.conscription.queries.candidates import (
    CandidateRow,
    candidate_rows,
    reference_and_rules,
    status_counts,
)
from muster.conscription.rules.callup import RuleSet, Status
from muster.conscription.rules.reasons import REASONS
from muster.core.collation import vi
from muster.core.errors import InvalidInput
from muster.core.exports import Column, Table, export_format, export_response
from muster.core.views import guarded, page_number
from muster.core.wording import error_text
from muster.geo.models import AdminUnit, Edition, Level

PAGE_SIZE = 50
READ_ACTION = "conscription.candidates.viewed"
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


def _rows(user: User, query: Query, channel: str) -> tuple[list[CandidateRow], date, RuleSet]:
    """The list (its read recorded), or InvalidInput saying why there is none (no cycle and
    no reference date, no rules in force)."""
    assert query.commune is not None
    reference, rules = reference_and_rules(query.commune, query.year, query.reference)
    rows = list(
        candidate_rows(communes=[query.commune.pk], reference=reference, rules=rules, ordered=True)
    )
    audit.record_read(READ_ACTION, actor=user, target=query.commune, channel=channel)
    return rows, reference, rules


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
    try:
        rows, reference, rules = _rows(user, query, channel="web")
    except InvalidInput as exc:
        return {"error": error_text(exc)}
    counts = status_counts(rows)
    shown = [row for row in rows if not query.status or row.status == query.status]
    number = page_number(request)
    start = (number - 1) * PAGE_SIZE
    language = get_language() or "vi"
    base = {"commune": query.commune.code, "year": query.year}
    if query.reference:
        base["reference_date"] = query.reference.isoformat()
    return {
        "reference": reference,
        "rules": rules,
        "total": len(rows),
        "count": len(shown),
        "counts": [
            (status, STATUS_LABELS[status], counts[status], urlencode({**base, "status": status}))
            for status in Status.ALL
        ],
        "all_query": urlencode(base),
        "page_query": urlencode({**base, **({"status": query.status} if query.status else {})}),
        "rows": [_explained(row, language) for row in shown[start : start + PAGE_SIZE]],
        "page": {
            "number": number,
            "has_previous": number > 1,
            "has_next": start + PAGE_SIZE < len(shown),
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
        rows, reference, _rules = _rows(user, query, channel="web")
    except InvalidInput as exc:
        raise Http404(error_text(exc)) from exc
    language = get_language() or "vi"
    shown = [row for row in rows if not query.status or row.status == query.status]
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
