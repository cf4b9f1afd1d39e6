"""The register's forms as pages: shelters and assembly points, and rescue means (a unit's
non-weapon equipment and teams), each created, changed and taken out of use. Shelters and
means share one set of handlers (`_Register` says what differs). Each page reads through the
scoped queries (404 outside the jurisdiction), asks `accounts.permissions` (the one 403 page
for a role that may not keep the register) and writes through `civildefence.actions`; a saved
record goes back to its list, a refused one shows the form with each error beside its field.
The units and communes offered are the user's, so another's is an invalid choice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from muster.accounts import permissions
from muster.accounts.models import User
from muster.accounts.views_support import request_user
from muster.civildefence import actions
from muster.civildefence import queries_register as q
from muster.civildefence.forms import MeansForm, PlaceForm, RetireForm, ShelterForm
from muster.civildefence.models import RescueMeans, Shelter
from muster.core.errors import FieldError, InvalidInput, NotFound
from muster.core.views import guarded
from muster.people.queries import access_person, persons_read

EDIT = "civildefence.register.edit"
Record = Shelter | RescueMeans


def _save_shelter(user: User, given: actions.PlaceInput, form: PlaceForm, new: bool) -> Record:
    return actions.shelter_save(given=given, acting_user=user, new=new)


def _save_means(user: User, given: actions.PlaceInput, form: PlaceForm, new: bool) -> Record:
    operator = None
    if personal_id := form.cleaned_data.get("operator", "").strip():
        try:
            operator = access_person(user, personal_id, channel="web")
        except NotFound as exc:
            raise InvalidInput([FieldError("operator", exc.code, exc.params)]) from exc
    return actions.means_save(given=given, operator=operator, acting_user=user, new=new)


def _retire_shelter(user: User, record: Record, last_day: date) -> None:
    assert isinstance(record, Shelter)
    actions.shelter_retire(shelter=record, last_day=last_day, acting_user=user)


def _retire_means(user: User, record: Record, last_day: date) -> None:
    assert isinstance(record, RescueMeans)
    actions.means_retire(means=record, last_day=last_day, acting_user=user)


@dataclass(frozen=True)
class _Register:
    """What differs between the shelter pages and the means pages."""

    name: str  # the URL names' stem: civildefence:<name>_new, <name>_edit, <name>_retire
    list_url: str
    form: type[PlaceForm]
    access: Callable[[User, str], Record]
    save: Callable[[User, actions.PlaceInput, PlaceForm, bool], Record]
    retire: Callable[[User, Record, date], None]
    title_new: Promise
    title_edit: Promise
    saved: Promise
    retired: Promise


SHELTERS = _Register(
    name="shelter",
    list_url="civildefence:shelters",
    form=ShelterForm,
    access=q.access_shelter,
    save=_save_shelter,
    retire=_retire_shelter,
    title_new=_("Add a shelter or assembly point"),
    title_edit=_("Shelter or assembly point"),
    saved=_("The shelter was saved."),
    retired=_("The shelter was taken out of use."),
)
MEANS = _Register(
    name="means",
    list_url="civildefence:means",
    form=MeansForm,
    access=q.access_means,
    save=_save_means,
    retire=_retire_means,
    title_new=_("Add rescue means"),
    title_edit=_("Rescue means"),
    saved=_("The rescue means were saved."),
    retired=_("The rescue means were taken out of the register."),
)


def _form(reg: _Register, user: User, day: date, data: Any, initial: dict[str, Any]) -> PlaceForm:
    form = reg.form(data, initial=initial)
    form.fields["unit"].choices = [  # type: ignore[attr-defined]
        (u.code, u.name) for u in q.register_units(user, day)
    ]
    form.fields["commune"].choices = [  # type: ignore[attr-defined]
        (c.code, c.name) for c in q.register_communes(user, day)
    ]
    return form


def _given(user: User, day: date, form: PlaceForm, code: str) -> actions.PlaceInput:
    """The action's input from a valid form; a place left empty is the commune's centre."""
    data = form.cleaned_data
    unit = next(u for u in q.register_units(user, day) if u.code == data["unit"])
    commune = next(c for c in q.register_communes(user, day) if c.code == data["commune"])
    lat, lon = data["lat"], data["lon"]
    if lat is None or lon is None:
        if commune.lat is None or commune.lon is None:
            raise InvalidInput([FieldError("lat", "CD_PLACE_UNKNOWN", {})])
        lat, lon = commune.lat, commune.lon
    return actions.PlaceInput(
        code=code.strip(),
        kind=data["kind"],
        name=data["name"],
        unit=unit,
        commune=commune,
        lat=lat,
        lon=lon,
        capacity=data["capacity"],
        valid_from=data["valid_from"],
    )


def _page(
    request: HttpRequest, reg: _Register, form: PlaceForm, record: Record | None, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "civildefence/place_form.html",
        {
            "reg": reg,
            "form": form,
            "record": record,
            "title": reg.title_edit if record else reg.title_new,
            **extra,
        },
    )


def _new(request: HttpRequest, reg: _Register) -> HttpResponse:
    user = request_user(request)
    permissions.require(user, EDIT)
    day = timezone.localdate()
    form = _form(reg, user, day, request.POST or None, {"valid_from": day})
    if request.method == "POST" and form.is_valid():
        try:
            reg.save(user, _given(user, day, form, form.cleaned_data["code"]), form, True)
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            messages.success(request, str(reg.saved))
            return redirect(reg.list_url)
    return _page(request, reg, form, None)


def _initial(record: Record) -> dict[str, Any]:
    initial = {
        "code": record.code,
        "kind": record.kind,
        "name": record.name,
        "unit": record.unit.code,
        "commune": record.commune.code,
        "lat": record.lat,
        "lon": record.lon,
        "capacity": record.capacity,
        "valid_from": record.valid_from,
    }
    if isinstance(record, RescueMeans) and record.operator is not None:
        initial["operator"] = record.operator.personal_id
    return initial


def _edit(request: HttpRequest, reg: _Register, code: str) -> HttpResponse:
    user = request_user(request)
    record = reg.access(user, code)
    permissions.require(user, EDIT, unit=record.unit)
    day = timezone.localdate()
    form = _form(reg, user, day, request.POST or None, _initial(record))
    form.fields["code"].disabled = True
    if isinstance(record, RescueMeans) and record.operator_id is not None:
        persons_read(user, [record.operator_id], action="people.person.viewed", channel="web")
    if request.method == "POST" and form.is_valid():
        try:
            reg.save(user, _given(user, day, form, record.code), form, False)
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            messages.success(request, str(reg.saved))
            return redirect(reg.list_url)
    retire = RetireForm(initial={"last_day": record.valid_to or day}, prefix="retire")
    return _page(request, reg, form, record, retire_form=retire)


def _retire(request: HttpRequest, reg: _Register, code: str) -> HttpResponse:
    user = request_user(request)
    record = reg.access(user, code)
    permissions.require(user, EDIT, unit=record.unit)
    form = RetireForm(request.POST, prefix="retire")
    if form.is_valid():
        try:
            reg.retire(user, record, form.cleaned_data["last_day"])
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            messages.success(request, str(reg.retired))
            return redirect(reg.list_url)
    day = timezone.localdate()
    edit = _form(reg, user, day, None, _initial(record))
    edit.fields["code"].disabled = True
    return _page(request, reg, edit, record, retire_form=form)


@guarded(["GET", "POST"])
def shelter_new(request: HttpRequest) -> HttpResponse:
    """Add a shelter or assembly point of a unit, in a commune of the jurisdiction."""
    return _new(request, SHELTERS)


@guarded(["GET", "POST"])
def shelter_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Change a shelter; the page also takes it out of use."""
    return _edit(request, SHELTERS, code)


@guarded(["POST"])
def shelter_retire(request: HttpRequest, code: str) -> HttpResponse:
    """Take a shelter out of use after a last day (kept on record)."""
    return _retire(request, SHELTERS, code)


@guarded(["GET", "POST"])
def means_new(request: HttpRequest) -> HttpResponse:
    """Add rescue means of a unit, in a commune of the jurisdiction."""
    return _new(request, MEANS)


@guarded(["GET", "POST"])
def means_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Change rescue means; the page also takes them out of the register."""
    return _edit(request, MEANS, code)


@guarded(["POST"])
def means_retire(request: HttpRequest, code: str) -> HttpResponse:
    """Take rescue means out of the register after a last day (kept on record)."""
    return _retire(request, MEANS, code)


def list_links(user: User) -> dict[str, Any]:
    """What the register's list pages need to offer the forms."""
    return {"can_edit": permissions.may(user, EDIT), "today": timezone.localdate()}
