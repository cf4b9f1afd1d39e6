"""The worklist page: open work items of the user's communes, by kind, and resolving one.

Pages extend the web app's base template but import nothing from `muster.web` (it sits
above this app); the login/404/403 guard is `core.views.guarded`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from muster.accounts import permissions
from muster.accounts.models import User
from muster.accounts.views_support import request_user
from muster.core.errors import InvalidInput
from muster.core.exports import export_format, export_response
from muster.core.formats import date_text, iso_dates_as_text
from muster.core.labels import label, label_html
from muster.core.views import guarded, page_number
from muster.core.wording import error_text
from muster.worklists import actions, exports, queries, rules
from muster.worklists.models import WorkItem, WorkKind
from muster.worklists.rules import Kind

PAGE_SIZE = 25
TAB_ORDER = (
    Kind.DUE_FIRST_REGISTRATION,
    Kind.TRANSFER_IN,
    Kind.TRANSFER_OUT,
    Kind.DECEASED,
    Kind.REGISTER_CORRECTION,
    Kind.DEFERRAL_ENDED,
    Kind.RESERVE_REPORT,
    Kind.RESERVE_REMOVAL,
    Kind.MILITIA_TERM_ENDING,
    Kind.MILITIA_AGE_LIMIT,
    Kind.MILITIA_BELOW_TARGET,
    Kind.MILITIA_TRAINING_SHORT,
    Kind.MILITIA_ABSENCE,
    Kind.MILITIA_REGISTRATION,
    Kind.STANDING_DEFERRAL_PROPOSED,
    Kind.STANDING_COMPLETION_PROPOSED,
    Kind.STANDING_DEFERRAL_MISMATCH,
    Kind.CERTIFICATE_EXPIRING,
    Kind.POSITION_VACANT,
)
FIELD_LABELS = {
    "full_name": gettext_lazy("Full name"),
    "sex": gettext_lazy("Sex"),
    "birth_date": gettext_lazy("Date of birth"),
}


def can_resolve(user: User) -> bool:
    """Whether resolve forms are offered; worklists.actions decides again on every write."""
    return permissions.may(user, "worklists.resolve")


@dataclass(frozen=True)
class Tab:
    kind: str
    label: str
    count: int
    query_string: str
    current: bool


@dataclass(frozen=True)
class Row:
    item: WorkItem
    changes: list[tuple[str, str, str]]  # (field label, before, after); codes as label_html
    # (words alone in a downloaded file: `_row(item, html=False)`)
    moved_on: date | None
    died_on: date | None
    overdue: bool = False
    age_in_year: int | None = None  # first registration: his age in the list's year
    lines: tuple[str, ...] = ()  # the militia's items: their facts in words


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _filters(request: HttpRequest, user: User) -> tuple[str, str, list[tuple[str, str]]]:
    kind = request.GET.get("kind", "")
    if kind not in Kind.ALL:
        kind = Kind.DUE_FIRST_REGISTRATION
    communes = [(unit.code, unit.name) for unit in queries.worklist_communes(user)]
    commune = request.GET.get("commune", "")
    if commune not in dict(communes):
        commune = ""
    return kind, commune, communes


def _row(item: WorkItem, *, html: bool = True, today: date | None = None) -> Row:
    changed = item.detail.get("changed", {}) if item.kind == Kind.REGISTER_CORRECTION else {}
    changes = [
        (
            str(FIELD_LABELS.get(name, name)),
            iso_dates_as_text(str(values[0])),
            iso_dates_as_text(str(values[1])),
        )
        for name, values in changed.items()
        if isinstance(values, list) and len(values) == 2
    ]
    if item.kind == Kind.DEFERRAL_ENDED:
        # "Deferral ended: <the ground in words> → 30/06/2026" (the ground and its last day).
        ended = _day(item.detail.get("valid_until"))
        ground_words = label_html if html else label
        changes = [
            (
                _("Deferral ended"),
                str(_("a sealed ground (see the person's record)"))
                if item.detail.get("sealed")
                else ground_words("reason", item.detail.get("ground_code", "")),
                date_text(ended),
            )
        ]
    if item.kind == Kind.CERTIFICATE_EXPIRING:
        # "Certificate: <the qualification in words> → 31/12/2026" (its last valid day).
        words = label_html if html else label
        changes = [
            (
                _("Certificate"),
                words("qualification", item.detail.get("qualification", "")),
                date_text(_day(item.detail.get("expires_on"))),
            )
        ]
    today = today or timezone.localdate()
    lines = tuple(exports.militia_lines(item, html=html))
    return Row(
        item,
        changes,
        _day(item.detail.get("moved_on")),
        _day(item.detail.get("died_on")),
        overdue=item.is_open and rules.is_overdue(item.due_on, today),
        age_in_year=item.year - item.person.birth_date.year if item.year and item.person else None,
        lines=lines,
    )


def _context(request: HttpRequest) -> dict[str, Any]:
    user = request_user(request)
    kind, commune, communes = _filters(request, user)
    today = timezone.localdate()
    counts = queries.worklist_counts(user, commune_code=commune or None)
    overdue = queries.worklist_overdue_counts(user, commune_code=commune or None, today=today)
    labels = dict(WorkKind.choices)
    tabs = [
        Tab(
            k,
            str(labels[k]),
            counts[k],
            urlencode({"kind": k, **({"commune": commune} if commune else {})}),
            k == kind,
        )
        for k in TAB_ORDER
    ]
    number = page_number(request)
    start = (number - 1) * PAGE_SIZE
    items, has_next = queries.worklist_page(
        user,
        kind=kind,
        commune_code=commune or None,
        page=number,
        page_size=PAGE_SIZE,
        channel="web",
    )
    query_string = urlencode({"kind": kind, **({"commune": commune} if commune else {})})
    return {
        "kind": kind,
        "kind_label": labels[kind],
        "reason": rules.reason(kind),
        "commune": commune,
        "communes": communes,
        "tabs": tabs,
        "rows": [_row(item, today=today) for item in items],
        "overdue_count": overdue[kind],
        "page": {
            "number": number,
            "has_previous": number > 1,
            "has_next": has_next,
            "first_index": start + 1,
        },
        "count": counts[kind],
        "query_string": query_string,
        "can_resolve": can_resolve(user),
        "list_url": reverse("worklists:list"),
        "here": f"{reverse('worklists:list')}?{query_string}&page={number}",
    }


@guarded(["GET"])
def worklist(request: HttpRequest) -> HttpResponse:
    """The worklist of the user's communes: tabs by kind with counts, a commune filter; the
    tab as XLSX or CSV with `?export=`."""
    if (fmt := export_format(request)) is not None:
        return _export(request, fmt)
    context = _context(request)
    if request.headers.get("HX-Request") == "true":
        return render(request, "worklists/partials/results.html", context)
    return render(request, "worklists/list.html", context)


def _export(request: HttpRequest, fmt: str) -> HttpResponse:
    user = request_user(request)
    kind, commune, _communes = _filters(request, user)
    items, note = queries.worklist_items_for_file(
        user, kind=kind, commune_code=commune or None, channel=fmt
    )
    kind_label = str(dict(WorkKind.choices)[kind])
    rows = [_row(i, html=False) for i in items]
    table = exports.worklist_table(rows, kind=kind, kind_label=kind_label, note=note)
    return export_response(table, fmt)


@guarded(["POST"])
def resolve(request: HttpRequest, item_id: int) -> HttpResponse:
    """Resolve one item with a note; HTMX swaps the row, a plain form goes back to the list."""
    user = request_user(request)
    item = queries.access_work_item(user, item_id)  # out of scope: 404 before the role check
    permissions.require(user, "worklists.resolve")
    note = request.POST.get("note", "")
    error = ""
    try:
        item = actions.work_item_resolve(item=item, note=note, acting_user=user)
    except InvalidInput as exc:
        error = error_text(exc)
    if request.headers.get("HX-Request") == "true":
        return render(
            request,
            "worklists/partials/row.html",
            {"row": _row(item), "can_resolve": True, "error": error, "here": ""},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The work item was resolved."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = reverse("worklists:list")
    return redirect(back)
