"""Reserve activity pages under `/reserve/register/`: a commune's training calls, readiness
checks and unit activities (and calling a new one), and an activity's roll where staff record
who attended, who was excused (with the excuse's code, LLDBĐV Art. 22) and who was absent;
both lists download with `?export=xlsx|csv` (the roll's download logs the persons read)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from muster.accounts import permissions
from muster.accounts.views_support import request_user
from muster.core.errors import InvalidInput
from muster.core.exports import export_format, export_response, limited
from muster.core.views import guarded
from muster.geo.models import Level
from muster.reserve import actions, activity_exports
from muster.reserve import activity_queries as queries
from muster.reserve.forms_register import ActivityForm, AttendanceForm
from muster.reserve.register_queries import area_by_code


@guarded(["GET", "POST"])
def activities(request: HttpRequest, code: str) -> HttpResponse:
    """A commune's activities; a POST calls a new one."""
    user = request_user(request)
    commune = area_by_code(user, code=code, level=Level.COMMUNE, day=timezone.localdate())
    found = queries.commune_activities(user, commune)
    if request.method == "GET" and (fmt := export_format(request)) is not None:
        rows, note = limited(found)
        return export_response(
            activity_exports.activities_table(rows, commune=commune, note=note), fmt
        )
    may_manage = permissions.may(user, "reserve.activity.manage", commune_id=commune.pk)
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = actions.reserve_activity_create(
                commune=commune, kind=data["kind"], title=data["title"],
                starts_on=data["starts_on"], ends_on=data["ends_on"], acting_user=user,
            )  # fmt: skip
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            return HttpResponseRedirect(reverse("reserve_register:activity", args=[activity.pk]))
    return render(
        request,
        "reserve/register/activities.html",
        {"commune": commune, "activities": found, "form": form, "may_manage": may_manage},
        status=422 if request.method == "POST" else 200,
    )


@guarded(["GET", "POST"])
def activity(request: HttpRequest, activity_id: int) -> HttpResponse:
    """An activity's roll; a POST records one reservist's attendance."""
    user = request_user(request)
    found = queries.access_activity(user, activity_id)
    if request.method == "GET" and (fmt := export_format(request)) is not None:
        roll, note = limited(queries.activity_roll(user, found, channel=fmt))
        return export_response(activity_exports.roll_table(found, roll, note=note), fmt)
    form = AttendanceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            person = queries.activity_person(found, form.cleaned_data["personal_id"])
            try:
                actions.reserve_attendance_record(
                    activity=found, person=person, status=form.cleaned_data["status"],
                    excuse_code=form.cleaned_data["excuse_code"], acting_user=user,
                )  # fmt: skip
            except InvalidInput as exc:
                form.add_action_errors(exc.errors)
            else:
                return HttpResponseRedirect(reverse("reserve_register:activity", args=[found.pk]))
    return render(
        request,
        "reserve/register/activity.html",
        {
            "activity": found,
            "roll": queries.activity_roll(user, found),
            "form": form,
            "may_manage": permissions.may(
                user, "reserve.activity.manage", commune_id=found.commune_id
            ),
            "attendance_form": AttendanceForm(),
        },
        status=status,
    )
