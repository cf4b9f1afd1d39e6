"""The person page's military-service section: the derived status with its reasons, the
records, and forms that record a registration, an examination, a decision and its evidence.

The section is an HTMX partial the web app's person page loads (this app sits below `web` and
imports nothing from it). A form posted with HTMX gets the section back, with errors next to
their fields; a plain post is redirected to the person page, or shown on a page of its own when
it has errors. Out of scope answers 404, a role that may not write 403.
"""

from __future__ import annotations

import io
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from muster.accounts import permissions
from muster.accounts.models import User
from muster.accounts.views_support import request_user
from muster.conscription.actions import records as actions
from muster.conscription.models import Source
from muster.conscription.queries import person as queries
from muster.conscription.rules.reasons import REASONS
from muster.conscription.views.forms_person import (
    DecisionForm,
    EvidenceForm,
    ExamForm,
    RegistrationForm,
    cleaned_date,
)
from muster.core.errors import InvalidInput
from muster.core.views import guarded
from muster.people.models import Person

SECTION = "conscription/person_service.html"


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def can_write(user: User) -> bool:
    """Whether the forms are offered; the actions decide again on every write."""
    return permissions.may(user, "callup.records.edit")


def _ground_text(code: str) -> str:
    reason = REASONS.get(code)
    return reason.text(get_language() or "vi") if reason else code


def section_context(
    request: HttpRequest, person: Person, *, message: str = "", **forms: Any
) -> dict[str, Any]:
    """What the section shows; forms only for roles that may write."""
    summary = queries.person_service_summary(person, timezone.localdate())
    writer = can_write(request_user(request))
    context: dict[str, Any] = {
        "person": person,
        "summary": summary,
        "exams": [
            (exam, [(c, _ground_text(c)) for c in exam.outcome_codes.split(";") if c])
            for exam in summary.exams
        ],
        "decisions": [(row, _ground_text(row.decision.ground_code)) for row in summary.decisions],
        "can_write": writer,
        "message": message,
        "open_form": next((name for name, form in forms.items() if form.errors), ""),
    }
    if writer:
        context["registration_form"] = forms.get("registration_form") or RegistrationForm(
            prefix="reg"
        )
        context["exam_form"] = forms.get("exam_form") or ExamForm(prefix="exam")
        context["decision_form"] = forms.get("decision_form") or DecisionForm(prefix="dec")
        context["evidence_form"] = forms.get("evidence_form") or EvidenceForm(prefix="ev")
        context["evidence_for"] = forms.get("evidence_for")
    return context


def _answer(request: HttpRequest, person: Person, saved: str, **forms: Any) -> HttpResponse:
    """After a post: the section (HTMX), the person page (saved) or a page with the errors."""
    if _htmx(request):
        return render(request, SECTION, section_context(request, person, message=saved, **forms))
    if saved:
        return redirect(reverse("web:person_detail", args=[person.personal_id]))
    context = section_context(request, person, **forms)
    return render(request, "conscription/person_service_page.html", context)


@guarded(["GET"])
def person_service(request: HttpRequest, person_id: int) -> HttpResponse:
    """The section, loaded by the person page."""
    person = queries.access_service_person(request_user(request), person_id, channel="web")
    return render(request, SECTION, section_context(request, person))


@guarded(["POST"])
def registration_add(request: HttpRequest, person_id: int) -> HttpResponse:
    user = request_user(request)
    person = queries.access_service_person(user, person_id, channel="web")
    form = RegistrationForm(request.POST, prefix="reg")
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.registration_record(
                person=person,
                registered_on=data["registered_on"],
                kind=data["kind"],
                education_level=data["education_level"],
                occupation=data["occupation"],
                acting_user=user,
                source=Source.MANUAL,
            )
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            return _answer(request, person, _("The registration was recorded."))
    return _answer(request, person, "", registration_form=form)


@guarded(["POST"])
def exam_add(request: HttpRequest, person_id: int) -> HttpResponse:
    user = request_user(request)
    person = queries.access_service_person(user, person_id, channel="web")
    form = ExamForm(request.POST, prefix="exam")
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.health_exam_record(
                person=person,
                examined_on=data["examined_on"],
                board=data["board"],
                health_class=data["health_class"],
                myopia_diopters=data["myopia_diopters"],
                hyperopia=data["hyperopia"],
                bmi=data["bmi"],
                drug_addiction=data["drug_addiction"],
                notes=data["notes"],
                acting_user=user,
                source=Source.MANUAL,
            )
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            return _answer(request, person, _("The examination was recorded."))
    return _answer(request, person, "", exam_form=form)


@guarded(["POST"])
def decision_add(request: HttpRequest, person_id: int) -> HttpResponse:
    user = request_user(request)
    person = queries.access_service_person(user, person_id, channel="web")
    form = DecisionForm(request.POST, prefix="dec")
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.ground_decision_record(
                person=person,
                kind=data["kind"],
                ground_code=data["ground_code"],
                decided_on=data["decided_on"],
                valid_until=cleaned_date(form, "valid_until"),
                decided_by=data["decided_by"],
                note=data["note"],
                acting_user=user,
                source=Source.MANUAL,
            )
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            return _answer(request, person, _("The decision was recorded."))
    return _answer(request, person, "", decision_form=form)


@guarded(["POST"])
def evidence_add(request: HttpRequest, decision_id: int) -> HttpResponse:
    user = request_user(request)
    decision = queries.access_decision(user, decision_id)
    person = queries.access_service_person(user, decision.person_id, channel="web")
    form = EvidenceForm(request.POST, request.FILES, prefix="ev")
    if form.is_valid():
        try:
            actions.evidence_attach(
                decision=decision, uploaded_file=form.cleaned_data["file"], acting_user=user
            )
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            return _answer(request, person, _("The document was attached."))
    return _answer(request, person, "", evidence_form=form, evidence_for=decision.pk)


@guarded(["GET"])
def exam_details(request: HttpRequest, exam_id: int) -> HttpResponse:
    """The sealed measurements of one examination; reading them is logged."""
    user = request_user(request)
    exam = queries.access_health_exam(user, exam_id)
    details = actions.health_exam_details(exam=exam, user=user, channel="web")
    return render(
        request, "conscription/person_exam_details.html", {"exam": exam, "details": details}
    )


@guarded(["GET"])
def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponseBase:
    """An evidence document, as an attachment of its sniffed type: the only place its sealed
    file is opened, after the scope check (`queries.access_evidence`, which logs the read)."""
    evidence = queries.access_evidence(request_user(request), evidence_id, channel="web")
    try:
        content = queries.evidence_content(evidence)
    except FileNotFoundError as exc:
        raise Http404("the document file is missing") from exc
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=evidence.name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
