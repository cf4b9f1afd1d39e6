"""Training pages: the courses of a user's jurisdiction with their sessions (provincial staff
create both), a session's enrolments where staff enrol cadres and record attendance and
results (a pass issues the certificate), and the year's training targets against actuals.
Lists export as XLSX or CSV (`?export=`)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from muster.accounts import permissions
from muster.accounts.models import User
from muster.accounts.views_support import request_user
from muster.cadres import actions, exports, queries
from muster.cadres.forms import CourseForm, EnrolForm, ResultForm, SessionForm, TargetForm
from muster.core.errors import InvalidInput, NotFound
from muster.core.exports import export_format, export_response
from muster.core.views import guarded
from muster.core.wording import error_text
from muster.orgs.models import OrgKind, OrgUnit
from muster.people.queries import access_person


def _refused(request: HttpRequest, exc: InvalidInput) -> None:
    for error in exc.errors:
        messages.error(request, error_text(error))


def _form_errors(request: HttpRequest, errors: ErrorDict) -> None:
    for field_errors in errors.values():
        for error in field_errors:
            messages.error(request, str(error))


def _managed(user: User, day: date) -> list[OrgUnit]:
    """The commands a user may create courses and set targets for (empty: none)."""
    return [
        unit
        for unit in queries.commands_visible(user, day)
        if unit.kind != OrgKind.COMMUNE_COMMAND
        and permissions.may(user, "cadres.course.manage", unit=unit, day=day)
    ]


@guarded(["GET"])
def courses(request: HttpRequest) -> HttpResponse:
    """Courses of the user's jurisdiction, each with its sessions."""
    user = request_user(request)
    today = timezone.localdate()
    found = queries.courses_visible(user, today)
    if (fmt := export_format(request)) is not None:
        return export_response(exports.courses_table(found), fmt)
    return render(
        request,
        "cadres/courses.html",
        {
            "courses": found,
            "may_manage": permissions.may(user, "cadres.course.manage"),
            "managed": _managed(user, today),
            "course_form": CourseForm(),
            "session_form": SessionForm(),
        },
    )


@guarded(["POST"])
def course_create(request: HttpRequest) -> HttpResponse:
    """A course organised by a command of the user's jurisdiction."""
    user = request_user(request)
    form = CourseForm(request.POST)
    back = redirect(reverse("cadres:courses"))
    if not form.is_valid():
        _form_errors(request, form.errors)
        return back
    data = form.cleaned_data
    organiser = queries.access_command(user, data["organiser"], timezone.localdate())
    try:
        actions.course_create(
            organiser=organiser,
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            qualification=data["qualification"],
            validity_months=data["validity_months"],
            acting_user=user,
        )
    except InvalidInput as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The course was created."))
    return back


@guarded(["POST"])
def session_create(request: HttpRequest, course_id: int) -> HttpResponse:
    """A session of a course of the user's jurisdiction."""
    user = request_user(request)
    course = queries.access_course(user, course_id, timezone.localdate())
    permissions.require(user, "cadres.course.manage", unit=course.organiser)
    form = SessionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form.errors)
        return redirect(reverse("cadres:courses"))
    try:
        session = actions.session_create(
            course=course,
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
            place=form.cleaned_data["place"],
            acting_user=user,
        )
    except InvalidInput as exc:
        _refused(request, exc)
        return redirect(reverse("cadres:courses"))
    messages.success(request, _("The session was scheduled."))
    return redirect(reverse("cadres:session", args=[session.pk]))


@guarded(["GET"])
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    """A session's enrolments with attendance, results and certificates; forms to enrol and
    to record results for a user who may."""
    user = request_user(request)
    found = queries.access_session(user, session_id, timezone.localdate())
    fmt = export_format(request)
    enrolments = queries.session_enrolments(user, found, channel=fmt or "web")
    if fmt is not None:
        return export_response(exports.enrolments_table(found, enrolments), fmt)
    may_record = permissions.may(user, "cadres.training.record", unit=found.course.organiser)
    return render(
        request,
        "cadres/session.html",
        {
            "session": found,
            "enrolments": enrolments,
            "may_record": may_record,
            "result_form": ResultForm(initial={"result_on": found.ends_on}),
        },
    )


def _back_to(session_id: int) -> HttpResponse:
    return redirect(reverse("cadres:session", args=[session_id]))


@guarded(["POST"])
def enrol(request: HttpRequest, session_id: int) -> HttpResponse:
    """Enrol a person (by personal ID, one the user may see) in the session."""
    user = request_user(request)
    today = timezone.localdate()
    found = queries.access_session(user, session_id, today)
    permissions.require(user, "cadres.training.record", unit=found.course.organiser)
    form = EnrolForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form.errors)
        return _back_to(found.pk)
    try:
        person = access_person(user, form.cleaned_data["personal_id"])
        actions.enrol(session=found, person=person, enrolled_on=today, acting_user=user)
    except NotFound as exc:
        messages.error(request, error_text(exc))
    except InvalidInput as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("%(name)s was enrolled.") % {"name": person.full_name})
    return _back_to(found.pk)


@guarded(["POST"])
def result(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """Record an enrolment's attendance and result; a pass issues the certificate."""
    user = request_user(request)
    enrolment = queries.access_enrolment(user, enrolment_id, timezone.localdate())
    permissions.require(user, "cadres.training.record", unit=enrolment.session.course.organiser)
    form = ResultForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form.errors)
        return _back_to(enrolment.session_id)
    data = form.cleaned_data
    try:
        certificate = actions.result_record(
            enrolment=enrolment,
            attendance=data["attendance"],
            result=data["result"],
            score=data["score"],
            result_on=data["result_on"],
            acting_user=user,
        )
    except InvalidInput as exc:
        _refused(request, exc)
    else:
        messages.success(
            request,
            _("The result was recorded and the certificate issued.")
            if certificate
            else _("The result was recorded."),
        )
    return _back_to(enrolment.session_id)


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return min(max(year, 2025), today.year + 1)


@guarded(["GET"])
def targets(request: HttpRequest) -> HttpResponse:
    """The year's training targets of the user's jurisdiction against what the holders hold
    today (for a past year, on its last day)."""
    user = request_user(request)
    today = timezone.localdate()
    year = _year(request)
    day = min(today, today.replace(year=year, month=12, day=31))
    found = queries.targets_visible(user, year, day)
    if (fmt := export_format(request)) is not None:
        return export_response(exports.targets_table(found, year=year, day=day), fmt)
    return render(
        request,
        "cadres/targets.html",
        {
            "year": year,
            "day": day,
            "rows": found,
            "may_set": permissions.may(user, "cadres.course.manage"),
            "managed": _managed(user, today),
            "target_form": TargetForm(initial={"year": year, "percent": 100}),
        },
    )


@guarded(["POST"])
def target_set(request: HttpRequest) -> HttpResponse:
    """Set a target of a command of the user's jurisdiction."""
    user = request_user(request)
    form = TargetForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form.errors)
        return redirect(reverse("cadres:targets"))
    data = form.cleaned_data
    unit = queries.access_command(user, data["unit"], timezone.localdate())
    try:
        actions.target_set(
            org_unit=unit,
            year=data["year"],
            position_kind=data["position_kind"],
            qualification=data["qualification"],
            percent=data["percent"],
            acting_user=user,
        )
    except InvalidInput as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The target was set."))
    return redirect(f"{reverse('cadres:targets')}?year={data['year']}")
