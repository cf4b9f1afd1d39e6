"""The review queue: a list of open cases (also as XLSX or CSV, `?export=`) and a side-by-side
page to decide one."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from muster.accounts import permissions
from muster.accounts.views_support import request_user
from muster.core.errors import InvalidInput
from muster.core.exports import Column, Table, export_format, export_response
from muster.core.formats import date_text, iso_dates_as_text
from muster.core.text import fold
from muster.core.views import guarded
from muster.core.wording import error_text
from muster.linkage import actions, queries
from muster.linkage.models import CaseStatus, ReviewCase

QUEUE_SIZE = 50


@dataclass(frozen=True)
class Row:
    label: str
    legacy: str
    registry: str
    differs: bool


def comparison_rows(case: ReviewCase) -> list[Row]:
    """Both records field by field; `differs` compares folded text (marks lost are no
    difference a reviewer needs to see highlighted)."""
    legacy = case.legacy
    person = case.person
    born = legacy.get("birth_date") or legacy.get("birth_year", "")
    pairs = [
        (_("Full name"), legacy.get("full_name", ""), person.full_name),
        (_("Birth date"), iso_dates_as_text(str(born)), date_text(person.birth_date)),
        (_("Sex"), legacy.get("sex", ""), person.sex),
        (_("Personal ID"), legacy.get("personal_id", ""), person.personal_id),
        (_("Address"), legacy.get("address", ""), person.address),
        (
            _("Commune (2025)"),
            case.legacy_commune.name if case.legacy_commune else "",
            person.residence_commune.name,
        ),
        (_("Father"), legacy.get("father_name", ""), ""),
        (_("Mother"), legacy.get("mother_name", ""), ""),
    ]
    rows = []
    for label, left, right in pairs:
        if label in (_("Birth date"),) and not legacy.get("birth_date"):
            differs = not right.endswith(str(left))  # a birth year against dd/mm/yyyy
        else:
            differs = bool(left and right) and fold(str(left)) != fold(str(right))
        rows.append(Row(str(label), str(left), str(right), differs))
    return rows


def _queue_table(rows: list[ReviewCase], note: str, status: str) -> Table:
    """The queue with the status asked for, most probable first, every case (up to a file's
    limit, `note` saying so)."""
    return Table(
        title=str(_("Record linkage review")),
        columns=[
            Column(str(_("Legacy record"))),
            Column(str(_("Source"))),
            Column(str(_("Legacy ID"))),
            Column(str(_("Registry person"))),
            Column(str(_("Personal ID"))),
            Column(str(_("Commune"))),
            Column(str(_("Probability")), "decimal", places=3),
            Column(str(_("Status"))),
        ],
        rows=[
            (
                case.legacy.get("full_name", ""),
                case.source,
                case.legacy_id,
                case.person.full_name,
                case.person.personal_id,
                case.commune.name,
                case.probability,
                case.get_status_display(),
            )
            for case in rows
        ],
        filename=f"linkage-review-{status}",
        note=note,
    )


@guarded(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or CaseStatus.OPEN
    if status not in CaseStatus.values:
        status = CaseStatus.OPEN
    user = request_user(request)
    if (fmt := export_format(request)) is not None:
        cases, note = queries.review_cases_for_file(user, status=status, channel=fmt)
        return export_response(_queue_table(cases, note, status), fmt)
    cases = queries.review_case_page(user, status=status, limit=QUEUE_SIZE, channel="web")
    return render(
        request,
        "linkage/queue.html",
        {"cases": cases, "status": status, "statuses": CaseStatus.choices},
    )


@guarded(["GET", "POST"])
def case(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request_user(request)
    showing = request.method != "POST"
    review = queries.access_review_case(user, case_id, channel="web" if showing else None)
    can_decide = permissions.may(user, "linkage.review.decide") and (
        review.status == CaseStatus.OPEN
    )
    if request.method == "POST":
        try:
            actions.review_case_decide(
                case=review, status=request.POST.get("status", ""), acting_user=user
            )
        except InvalidInput as exc:
            messages.error(request, error_text(exc))
            return redirect("linkage:case", case_id=review.pk)
        messages.success(request, _("Decision recorded."))
        return redirect("linkage:queue")
    return render(
        request,
        "linkage/case.html",
        {
            "case": review,
            "rows": comparison_rows(review),
            "can_decide": can_decide,
            "decisions": [
                (CaseStatus.ACCEPTED, _("Same person: link")),
                (CaseStatus.REJECTED, _("Different person: reject")),
                (CaseStatus.NOT_DUPLICATE, _("Not a duplicate")),
            ],
        },
    )
