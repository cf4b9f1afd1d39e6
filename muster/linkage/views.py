"""The review queue: a list of open cases and a side-by-side page to decide one."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from muster.accounts.views_support import request_user
from muster.core.errors import InvalidInput, PermissionDenied
from muster.core.text import fold
from muster.core.views import guarded
from muster.core.wording import error_text
from muster.linkage import actions, queries
from muster.linkage.models import CaseStatus, ReviewCase
from muster.people.actions import WRITER_ROLES

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
        (_("Birth date"), born, person.birth_date.isoformat()),
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
            differs = not right.startswith(str(left))
        else:
            differs = bool(left and right) and fold(str(left)) != fold(str(right))
        rows.append(Row(str(label), str(left), str(right), differs))
    return rows


@guarded(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or CaseStatus.OPEN
    if status not in CaseStatus.values:
        status = CaseStatus.OPEN
    cases = list(queries.review_case_list(request_user(request), status=status)[:QUEUE_SIZE])
    return render(
        request,
        "linkage/queue.html",
        {"cases": cases, "status": status, "statuses": CaseStatus.choices},
    )


@guarded(["GET", "POST"])
def case(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request_user(request)
    review = queries.access_review_case(user, case_id)
    can_decide = (user.is_superuser or user.role in WRITER_ROLES) and (
        review.status == CaseStatus.OPEN
    )
    if request.method == "POST":
        try:
            actions.review_case_decide(
                case=review, status=request.POST.get("status", ""), acting_user=user
            )
        except PermissionDenied:
            return render(
                request,
                "web/forbidden.html",
                {"message": _("Your role does not allow this action.")},
                status=403,
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
