"""Reserve register pages, mounted at `/reserve/register/`: the areas a user may open, a
province's or commune's register on any day (`?as_of=`, filters, `?export=xlsx|csv` with the
statutory heading and signature), a reservist's periods with the changes staff record, and
the entry form. Reads through `register_queries` (scoped, logged), writes through `actions`.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from muster.accounts import permissions
from muster.accounts.views_support import request_user
from muster.core.errors import InvalidInput
from muster.core.exports import export_format, export_response, limited
from muster.core.views import guarded, page_number
from muster.people.queries import access_person
from muster.reserve import actions, register_exports, rules
from muster.reserve import register_queries as queries
from muster.reserve.forms_register import (
    CategoryForm,
    DayForm,
    EntryForm,
    RankForm,
    RemovalForm,
    basis_choices,
    specialty_choices,
)
from muster.reserve.models import ReserveKind
from muster.reserve.rules import ReserveEntry

EARLIEST = date(1980, 1, 1)
PAGE_SIZE = 50
FILTERS = ("status", "category", "group", "basis", "specialty", "kind")


def _as_of(request: HttpRequest) -> tuple[date, bool]:
    """The day asked about (`as_of`, from 1980 to today) and whether it is today."""
    today = timezone.localdate()
    try:
        day = date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return today, True
    day = min(max(day, EARLIEST), today)
    return day, day == today


@guarded(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """The provinces and communes whose register the user may open."""
    day = timezone.localdate()
    user = request_user(request)
    return render(
        request,
        "reserve/register/index.html",
        {
            "areas": queries.register_areas(user, day),
            "may_enter": permissions.may(user, "reserve.member.enter"),
        },
    )


@guarded(["GET"])
def area(request: HttpRequest, code: str) -> HttpResponse:
    """A province's or commune's register on the day asked about (404 outside the scope)."""
    day, is_today = _as_of(request)
    user = request_user(request)
    found = queries.area_on(user, code, timezone.localdate())
    filters = queries.RegisterFilters(**{name: request.GET.get(name, "") for name in FILTERS})
    if (fmt := export_format(request)) is not None:
        rows, note = limited(
            queries.register_for_file(user, area=found, day=day, filters=filters, channel=fmt)
        )
        table = register_exports.register_table(
            rows,
            area=found,
            day=day,
            issuer=user.jurisdiction,
            today=timezone.localdate(),
            note=note,
        )
        return export_response(table, fmt)
    number = page_number(request)
    page = queries.register_page(
        user, area=found, day=day, filters=filters, page=number, page_size=PAGE_SIZE
    )
    query = {k: v for k, v in request.GET.items() if k in (*FILTERS, "as_of") and v}
    return render(
        request,
        "reserve/register/area.html",
        {
            "area": found,
            "day": day,
            "is_today": is_today,
            "page": page,
            "filters": filters,
            "statuses": queries.STATUSES,
            "bases": basis_choices(),
            "specialties": specialty_choices()[1:],
            "kinds": ReserveKind.choices,
            "number": number,
            "has_previous": number > 1,
            "has_next": number * PAGE_SIZE < page.count,
            "page_query": urlencode(query),
        },
    )


def _detail_context(request: HttpRequest, personal_id: str, **forms: object) -> dict[str, object]:
    user = request_user(request)
    detail = queries.access_reservist(user, personal_id)
    commune_id = detail.person.residence_commune_id
    return {
        "detail": detail,
        "may_edit": permissions.may(user, "reserve.member.edit", commune_id=commune_id),
        "may_remove": permissions.may(user, "reserve.member.remove", commune_id=commune_id),
        "category_form": forms.get("category") or CategoryForm(),
        "rank_form": forms.get("update")
        or (
            RankForm(
                initial={
                    "rank": detail.periods[0].membership.rank,
                    "specialty": detail.periods[0].membership.specialty,
                }
            )
            if detail.periods
            else RankForm()
        ),
        "unfit_form": forms.get("unfit") or DayForm(prefix="unfit"),
        "reported_form": forms.get("reported") or DayForm(prefix="reported"),
        "removal_form": forms.get("removal") or RemovalForm(),
        "removal_due": bool(
            detail.periods and rules.removal_due(detail.periods[0].membership.facts(), detail.day)
        ),
    }


@guarded(["GET"])
def reservist(request: HttpRequest, personal_id: str) -> HttpResponse:
    """A reservist's periods with category, group and status today, and the changes offered."""
    return render(request, "reserve/register/reservist.html", _detail_context(request, personal_id))


@guarded(["POST"])
def reservist_change(request: HttpRequest, personal_id: str) -> HttpResponse:
    """One change to the reservist's latest period (`what`): category 2 → 1, rank and
    specialty, found unfit, reported after discharge, removal decided."""
    user = request_user(request)
    detail = queries.access_reservist(user, personal_id)
    if not detail.periods:
        return HttpResponseRedirect(reverse("reserve_register:reservist", args=[personal_id]))
    membership = queries.access_membership(user, detail.periods[0].membership.pk)
    what = request.POST.get("what", "")
    form: CategoryForm | RankForm | DayForm | RemovalForm
    try:
        if what == "category":
            form = CategoryForm(request.POST)
            if form.is_valid():
                actions.reserve_category1_record(
                    membership=membership,
                    training_from=form.cleaned_data["training_from"],
                    training_to=form.cleaned_data["training_to"],
                    acting_user=user,
                )
        elif what == "update":
            form = RankForm(request.POST)
            if form.is_valid():
                actions.reserve_member_update(
                    membership=membership,
                    rank=form.cleaned_data["rank"],
                    specialty=form.cleaned_data["specialty"],
                    acting_user=user,
                )
        elif what in ("unfit", "reported"):
            form = DayForm(request.POST, prefix=what)
            if form.is_valid():
                day = form.cleaned_data["day"]
                if what == "unfit":
                    actions.reserve_unfit_record(
                        membership=membership, unfit_on=day, acting_user=user
                    )
                else:
                    actions.reserve_report_record(
                        membership=membership, reported_on=day, acting_user=user
                    )
        elif what == "removal":
            form = RemovalForm(request.POST)
            if form.is_valid():
                actions.reserve_removal_record(
                    membership=membership,
                    decided_on=form.cleaned_data["decided_on"],
                    ref=form.cleaned_data["ref"],
                    acting_user=user,
                )
        else:
            return HttpResponse(status=400)
    except InvalidInput as exc:
        form.add_action_errors(exc.errors)
    if form.is_valid() and not form.errors:
        return HttpResponseRedirect(reverse("reserve_register:reservist", args=[personal_id]))
    context = _detail_context(request, personal_id, **{what: form})
    return render(request, "reserve/register/reservist.html", context, status=422)


@guarded(["GET", "POST"])
def enter(request: HttpRequest) -> HttpResponse:
    """Enter a person into the reserve on an MSL Art. 24 basis (or record a reserve officer,
    or an uncategorised case with its reason)."""
    user = request_user(request)
    form = EntryForm(request.POST or None, initial={"entered_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = access_person(user, data["personal_id"])
        basis = data["basis"]
        officer = basis == rules.OFFICER_BASIS
        entry = ReserveEntry(None, basis) if officer else rules.entry_for_basis(basis)
        try:
            if entry is None:
                raise InvalidInput.single("basis", "RESERVE_BASIS_UNKNOWN", {"basis": basis})
            actions.reserve_enter(
                person=person,
                entry=entry,
                entered_on=data["entered_on"],
                source=f"manual:{basis}:{data['entered_on'].isoformat()}",
                kind=rules.OFFICER if officer else rules.SOLDIER,
                rank=data["rank"],
                specialty=data["specialty"],
                acting_user=user,
            )
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            return HttpResponseRedirect(
                reverse("reserve_register:reservist", args=[person.personal_id])
            )
    status = 422 if request.method == "POST" else 200
    return render(request, "reserve/register/enter.html", {"form": form}, status=status)
