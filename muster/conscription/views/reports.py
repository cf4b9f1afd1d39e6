"""Statutory lists and the annual report of a commune or a province, as Excel, CSV or PDF,
issued by the user's command (its heading and its commander's signature block)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from muster.accounts.scope import scope_for
from muster.accounts.views_support import request_user
from muster.conscription.models import CallupCycle
from muster.conscription.reports import files as report_files
from muster.conscription.reports import statutory as reports
from muster.core.exports import CONTENT_TYPES
from muster.core.replica import report_view
from muster.core.views import guarded
from muster.geo.models import AdminUnit

FORMATS = ("xlsx", "csv", "pdf")
DOCUMENTS = (*reports.LISTS, "annual")


@dataclass(frozen=True)
class Place:
    """The commune or province a report covers, with its communes and the year's cycle."""

    kind: str  # "commune" | "province"
    unit: AdminUnit
    communes: list[AdminUnit]
    cycle: CallupCycle


def _place(request: HttpRequest) -> Place:
    """The place asked for, if the user's jurisdiction covers all of it; else 404."""
    user = request_user(request)
    year = request.GET.get("year", "")
    commune_code, province_code = request.GET.get("commune", ""), request.GET.get("province", "")
    if not year.isdigit() or bool(commune_code) == bool(province_code):
        raise Http404("give a year and either a commune or a province")
    units = AdminUnit.objects.filter(edition="2025")
    if commune_code:
        unit = units.filter(level="commune", code=commune_code).first()
        communes = [unit] if unit else []
        province_id = unit.parent_id if unit else None
    else:
        unit = units.filter(level="province", code=province_code).first()
        communes = list(units.filter(level="commune", parent=unit)) if unit else []
        province_id = unit.pk if unit else None
    scope = scope_for(user)
    if unit is None or not communes or not all(scope.allows(c.pk) for c in communes):
        raise Http404("no such place in your jurisdiction")
    cycle = CallupCycle.objects.filter(year=int(year), province_id=province_id).first()
    if cycle is None:
        raise Http404("no call-up cycle for that year")
    return Place("commune" if commune_code else "province", unit, communes, cycle)


@guarded(["GET"])
@report_view
def report_index(request: HttpRequest) -> HttpResponse:
    place = _place(request)
    documents = [(key, str(spec.title)) for key, spec in reports.LISTS.items()]
    documents.append(("annual", _("Annual call-up report")))
    return render(
        request,
        "conscription/reports.html",
        {"place": place, "documents": documents, "query": request.GET.urlencode()},
    )


@guarded(["GET"])
@report_view
def report_download(request: HttpRequest) -> HttpResponse:
    place = _place(request)
    document, fmt = request.GET.get("doc", ""), request.GET.get("format", "")
    if document not in DOCUMENTS or fmt not in FORMATS:
        raise Http404("unknown document or format")
    user = request_user(request)
    report = reports.report_for(place.cycle, place.communes, place.unit.name)
    if document == "annual":
        counts = reports.annual_counts(report)
        body = report_files.annual_file(report, counts, fmt, issuer=user.jurisdiction)
    else:
        rows = reports.statutory_list_read(
            user, report, document, get_language() or "vi", channel="web"
        )
        body = report_files.list_file(report, document, rows, fmt, issuer=user.jurisdiction)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    filename = f"{document}-{place.cycle.year}-{place.unit.code}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
