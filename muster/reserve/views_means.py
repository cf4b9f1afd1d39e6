"""Reserve technical means pages, mounted at `/reserve/means/` (config/urls.py): the register
of the communes of the user's jurisdiction with filters, a page at a time, the unit each item
is assigned to on the day (`?as_of=`) and `?export=xlsx|csv`; an item with its assignments'
history; forms registering an item by hand, changing it and taking it off the register. Reads
through `means_queries` (404 outside the jurisdiction), writes through `means_actions`
(`reserve.means.edit`: provincial staff over their communes). The yearly registry file stays
`muster reserve import-means`.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from muster.accounts.models import User
from muster.accounts.permissions import may, require
from muster.accounts.views_support import request_user
from muster.core.errors import InvalidInput
from muster.core.exports import EXPORT_ROW_LIMIT, export_format, export_response, limit_note
from muster.core.views import guarded, page_number
from muster.geo.models import AdminUnit
from muster.reserve import means_actions, means_exports, means_queries
from muster.reserve.forms_means import MeansEditForm, MeansForm, RetireForm, capability_choices
from muster.reserve.models_units import MeansKind, MeansState, TechnicalMeans
from muster.reserve.views_units import day_asked

PAGE_SIZE = 50
FILTERS = ("kind", "capability", "state", "commune", "q", "register")
REGISTERS = (
    (means_queries.CURRENT, _("On the register")),
    (means_queries.RETIRED, _("Left the register")),
    (means_queries.EVERY, _("All")),
)


def _filters(request: HttpRequest) -> means_queries.MeansFilters:
    asked = {name: request.GET.get(name, "").strip()[:60] for name in FILTERS}
    if asked["register"] not in {code for code, _words in REGISTERS}:
        asked["register"] = means_queries.CURRENT
    return means_queries.MeansFilters(**asked)


@guarded(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """The technical means registered in the communes of the user's jurisdiction."""
    user = request_user(request)
    day, is_today = day_asked(request)
    filters = _filters(request)
    if (fmt := export_format(request)) is not None:
        rows, more = means_queries.means_for_file(
            user, filters=filters, day=day, limit=EXPORT_ROW_LIMIT
        )
        table = means_exports.means_table(rows, day=day, note=limit_note() if more else "")
        return export_response(table, fmt)
    number = page_number(request)
    page = means_queries.means_page(
        user, filters=filters, day=day, page=number, page_size=PAGE_SIZE
    )
    query = {k: v for k, v in request.GET.items() if k in (*FILTERS, "as_of") and v}
    return render(
        request,
        "reserve/means/index.html",
        {
            "page": page,
            "day": day,
            "is_today": is_today,
            "filters": filters,
            "kinds": MeansKind.choices,
            "capabilities": capability_choices(),
            "states": MeansState.choices,
            "registers": REGISTERS,
            "communes": means_queries.communes_with_means(user, day),
            "may_edit": may(user, "reserve.means.edit"),
            "number": number,
            "has_previous": number > 1,
            "has_next": number * PAGE_SIZE < page.count,
            "page_query": urlencode(query),
        },
    )


def _communes(user: User) -> list[AdminUnit]:
    return means_queries.means_communes(user, timezone.localdate())


@guarded(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """Register an item of technical means by hand in a commune of the jurisdiction."""
    user = request_user(request)
    require(user, "reserve.means.edit")
    form = MeansForm(request.POST or None, communes=_communes(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            means = means_actions.means_register(
                kind=data["kind"],
                registration=data["registration"],
                capability=data["capability"],
                capacity=data["capacity"],
                owner=data["owner"],
                commune=form.chosen_commune(),
                state=data["state"],
                registry=data["registry"],
                registered_year=data["registered_year"],
                acting_user=user,
            )
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            return _saved(means, "registered")
    return render(request, "reserve/means/new.html", {"form": form})


def _saved(means: TechnicalMeans, what: str) -> HttpResponse:
    return redirect(f"{reverse('reserve_means:detail', args=[means.pk])}?saved={what}")


def _detail(
    request: HttpRequest,
    user: User,
    means: TechnicalMeans,
    *,
    edit: MeansEditForm | None = None,
    retire: RetireForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    may_edit = means.retired_on is None and may(
        user, "reserve.means.edit", commune_id=means.commune_id
    )
    if may_edit and edit is None:
        edit = MeansEditForm(
            initial={
                f: getattr(means, f)
                for f in ("capability", "capacity", "owner", "state", "registry")
            }
            | {"commune": means.commune.code},
            communes=_communes(user),
            prefix="edit",
        )
    if may_edit and retire is None:
        retire = RetireForm(initial={"retired_on": today}, prefix="retire")
    return render(
        request,
        "reserve/means/detail.html",
        {
            "means": means,
            "history": means_queries.means_history(means),
            "may_edit": may_edit,
            "edit_form": edit,
            "retire_form": retire,
            "saved": request.GET.get("saved", "")[:12],
        },
    )


@guarded(["GET"])
def detail(request: HttpRequest, means_id: int) -> HttpResponse:
    """One item of the register, its assignments' history and, for staff who may, the forms."""
    user = request_user(request)
    means = means_queries.access_means(user, means_id, day=timezone.localdate())
    return _detail(request, user, means)


@guarded(["POST"])
def edit(request: HttpRequest, means_id: int) -> HttpResponse:
    """Change the item's capability, capacity, owner, commune, state or registry."""
    user = request_user(request)
    means = means_queries.access_means(user, means_id, day=timezone.localdate())
    require(user, "reserve.means.edit", commune_id=means.commune_id)
    form = MeansEditForm(request.POST, communes=_communes(user), prefix="edit")
    if form.is_valid():
        data = form.cleaned_data
        try:
            means_actions.means_update(
                means=means,
                capability=data["capability"],
                capacity=data["capacity"],
                owner=data["owner"],
                commune=form.chosen_commune(),
                state=data["state"],
                registry=data["registry"],
                acting_user=user,
            )
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            return _saved(means, "updated")
    return _detail(request, user, means, edit=form)


@guarded(["POST"])
def retire(request: HttpRequest, means_id: int) -> HttpResponse:
    """Take the item off the register (its open assignment ends the same day)."""
    user = request_user(request)
    means = means_queries.access_means(user, means_id, day=timezone.localdate())
    require(user, "reserve.means.edit", commune_id=means.commune_id)
    form = RetireForm(request.POST, prefix="retire")
    if form.is_valid():
        try:
            means_actions.means_retire(
                means=means,
                retired_on=form.cleaned_data["retired_on"],
                reason=form.cleaned_data["reason"],
                acting_user=user,
            )
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            return _saved(means, "retired")
    return _detail(request, user, means, retire=form)
