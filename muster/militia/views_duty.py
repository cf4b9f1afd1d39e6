"""The register for militia duty (DQTV Art. 9(1)(a), 13): the year's April registration and
those who stay registered after their term, with a form to register citizens by personal ID
(`militia.actions_duty.militia_registration_record`). Who is due is the worklist's "Militia
registration (April)" tab (registered for military service, turning 18). Exportable."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from muster.accounts import permissions
from muster.accounts.views_support import request_user
from muster.core.errors import FieldError, InvalidInput
from muster.core.exports import Column, Table, export_format, export_response
from muster.core.views import guarded
from muster.core.wording import error_text
from muster.militia import actions_duty, queries_duty
from muster.people.queries import access_person

BASES = {"april": "Luật DQTV, Điều 9 khoản 1 điểm a", "after_term": "Luật DQTV, Điều 13"}


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        return min(max(int(request.GET.get("year", "")), 2000), today.year)
    except ValueError:
        return today.year


@guarded(["GET"])
def register(request: HttpRequest) -> HttpResponse:
    """Registered for militia duty in the year, and those registered after their term."""
    user = request_user(request)
    year = _year(request)
    fmt = export_format(request)
    rows = queries_duty.duty_register(user, year=year, channel=fmt or "web")
    if fmt is not None:
        table = Table(
            title=f"{_('Registered for militia duty')} {year}",
            columns=[
                Column(_("Full name")),
                Column(_("Personal ID number")),
                Column(_("Date of birth"), "date"),
                Column(_("Registered since"), "date"),
                Column(_("Age limit reached after"), "date"),
                Column(_("Legal basis")),
            ],
            rows=[
                (
                    r.person.full_name,
                    r.person.personal_id,
                    r.person.birth_date,
                    r.since,
                    r.age_ends_on,
                    BASES[r.basis],
                )
                for r in rows
            ],
            filename=f"militia-registration-{year}",
        )
        return export_response(table, fmt)
    return render(
        request,
        "militia/registration.html",
        {
            "year": year,
            "rows": rows,
            "today": timezone.localdate(),
            "can_record": permissions.may(user, "militia.join"),
        },
    )


@guarded(["POST"])
def record(request: HttpRequest) -> HttpResponse:
    """Register the personal IDs listed (one a line) for militia duty on the date given; a
    person outside the jurisdiction is 404, as if absent."""
    user = request_user(request)
    ids = [line.strip() for line in request.POST.get("personal_ids", "").splitlines()]
    persons = [access_person(user, pid) for pid in dict.fromkeys(i for i in ids if i)]
    try:
        day = date.fromisoformat(request.POST.get("registered_on", ""))
    except ValueError:
        messages.error(request, error_text(FieldError("registered_on", "NOT_A_DATE")))
        return redirect("militia:registration")
    try:
        if not persons:
            raise InvalidInput.single("personal_ids", "REQUIRED")
        count = actions_duty.militia_registration_record(
            persons=persons, registered_on=day, acting_user=user
        )
    except InvalidInput as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("%(count)s registered for militia duty.") % {"count": count})
    return redirect(f"{reverse('militia:registration')}?year={day.year}")
