"""Civil-defence pages (issue 19), server-rendered: hazard zones, a zone with its exposure per
commune (an estimate, said so) and its plans, a plan's tasks, assignments, shortfalls and
versions with a button to compute the next, the shelters and the rescue means. Each list also
as XLSX or CSV (`?export=`, `civildefence.exports`). Every page leaves a `{% block map %}` for
the map layers.

Pages extend the web app's base template but import nothing from `muster.web`; permissions
come from `accounts.permissions`, jurisdiction from the queries.
"""

from __future__ import annotations

from datetime import date
from itertools import groupby

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from muster.accounts import permissions
from muster.accounts.views_support import request_user
from muster.civildefence import exports, planning, queries, views_register
from muster.core.errors import InvalidInput
from muster.core.exports import export_format, export_response
from muster.core.views import guarded
from muster.core.wording import error_text


def _as_of(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()


@guarded(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """Current hazard zones touching the user's jurisdiction."""
    user = request_user(request)
    day = _as_of(request)
    zones = list(queries.hazards_visible(user, day)[:500])
    if (fmt := export_format(request)) is not None:
        return export_response(exports.hazards_table(zones), fmt)
    return render(request, "civildefence/index.html", {"zones": zones, "as_of": day})


@guarded(["GET"])
def hazard(request: HttpRequest, key: str) -> HttpResponse:
    """A zone: its exposure per commune on `as_of`, its versions and its plans."""
    user = request_user(request)
    day = _as_of(request)
    zone = queries.access_hazard(user, key, day)
    found = queries.exposure_counts(zone, day, user)
    rows = found.rows
    if (fmt := export_format(request)) is not None:
        return export_response(exports.exposure_table(zone, rows, day), fmt)
    plans = list(queries.plans_visible(user, day, zone))
    return render(
        request,
        "civildefence/hazard.html",
        {
            "zone": zone,
            "rows": rows,
            "counts": found,
            "as_of": day,
            "totals": {
                "people": sum(r.people for r in rows),
                "people_in_zone": sum(r.people_in_zone for r in rows),
                "households_in_zone": sum(r.households_in_zone for r in rows),
                "vulnerable_in_zone": sum(r.vulnerable_in_zone for r in rows),
            },
            "versions": queries.hazard_history(zone),
            "plans": plans,
            "can_compute": permissions.may(user, "civildefence.plan.compute"),
        },
    )


@guarded(["POST"])
def plan_compute(request: HttpRequest, key: str) -> HttpResponse:
    """Compute the zone's plan now (the owner: the lowest command of the user's communes it
    touches) and show it."""
    user = request_user(request)
    day = timezone.localdate()
    zone = queries.access_hazard(user, key, day)
    try:
        plan = planning.plan_compute(zone=zone, as_of=day, acting_user=user)
    except InvalidInput as exc:
        for error in exc.errors:
            messages.error(request, error_text(error))
        return redirect(reverse("civildefence:hazard", args=[zone.key]))
    messages.success(request, _("The plan was computed and stored as a new version."))
    return redirect(reverse("civildefence:plan", args=[plan.pk]))


@guarded(["GET"])
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    """A plan version: tasks with their assignments and shortfalls, the versions of the same
    owner and hazard."""
    user = request_user(request)
    day = timezone.localdate()
    found = queries.access_plan(user, plan_id, day)
    rows = planning.plan_assignments(found)
    if (fmt := export_format(request)) is not None:
        return export_response(exports.plan_table(found, rows), fmt)
    tasks = [(task, list(group)) for task, group in groupby(rows, key=lambda a: a.task)]
    versions = queries.plans_visible(user, day, found.hazard).filter(unit=found.unit)
    return render(
        request,
        "civildefence/plan.html",
        {
            "plan": found,
            "tasks": tasks,
            "shortfalls": [a for a in rows if a.resource_kind == "shortfall"],
            "versions": versions,
            "can_compute": permissions.may(user, "civildefence.plan.compute", unit=found.unit),
        },
    )


@guarded(["GET"])
def shelters(request: HttpRequest) -> HttpResponse:
    """Shelters and assembly points of the jurisdiction."""
    user = request_user(request)
    day = _as_of(request)
    found = list(queries.shelters_visible(user, day)[:10000])
    if (fmt := export_format(request)) is not None:
        return export_response(exports.shelters_table(found), fmt)
    return render(
        request,
        "civildefence/shelters.html",
        {"shelters": found, "as_of": day, **views_register.list_links(user)},
    )


@guarded(["GET"])
def means(request: HttpRequest) -> HttpResponse:
    """Rescue means of the civil-defence register in the jurisdiction."""
    user = request_user(request)
    day = _as_of(request)
    found = list(queries.means_visible(user, day)[:10000])
    if (fmt := export_format(request)) is not None:
        return export_response(exports.means_table(found), fmt)
    return render(
        request,
        "civildefence/means.html",
        {"means": found, "as_of": day, **views_register.list_links(user)},
    )
