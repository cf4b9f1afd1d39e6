"""Pages that write to the registry: form → one people.actions call → redirect or errors.

The actions validate, check the role and the jurisdiction, and audit; a view only parses the
form, calls one of them, and shows what came back: field errors next to their fields, a
refused role as the 403 page, an out-of-scope person as 404 (from access_person).
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from muster.accounts import permissions
from muster.accounts.views_support import request_user
from muster.core.errors import InvalidInput
from muster.people import actions as people_actions
from muster.people import queries as people_queries
from muster.web.forms_people import PersonEditForm, PersonFactForm, PersonForm, PersonMoveForm
from muster.web.views import (
    commune_choices,
    is_htmx,
    login_and_post,
    login_and_write,
    person_detail_context,
)
from muster.worklists import actions as work_actions
from muster.worklists.rules import Kind
from muster.worklists.settle import work_items_settle


def _detail_url(personal_id: str) -> str:
    return reverse("web:person_detail", args=[personal_id])


@login_and_write
def person_add(request: HttpRequest) -> HttpResponse:
    """Register a person resident in one of the user's communes."""
    user = request_user(request)
    permissions.require(user, "people.register")
    communes = commune_choices(user)
    form = PersonForm(request.POST or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        try:
            person = people_actions.person_create(data=form.person_input(), acting_user=user)
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            messages.success(
                request,
                _("%(name)s was added to the registry.") % {"name": person.full_name},
            )
            return redirect(_detail_url(person.personal_id))
    return render(request, "web/person_add.html", {"form": form})


@login_and_write
def person_edit(request: HttpRequest, personal_id: str) -> HttpResponse:
    """Change a person's contact details, residence or life status."""
    user = request_user(request)
    permissions.require(user, "people.edit")
    person = people_queries.access_person(user, personal_id, channel="web")
    form = PersonEditForm(
        request.POST or None,
        initial=PersonEditForm.initial_for(person),
        communes=commune_choices(user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                updated = people_actions.person_update(
                    person=person, changes=form.changes(), acting_user=user
                )
                # Items follow him to a new commune and close if no longer due (a death).
                work_actions.work_items_move(
                    person=updated,
                    to_commune=updated.residence_commune,
                    kinds=[Kind.DUE_FIRST_REGISTRATION, Kind.REGISTER_CORRECTION],
                    acting_user=user,
                )
                work_items_settle(person_ids=[person.pk])
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            messages.success(request, _("The record was saved."))
            return redirect(_detail_url(person.personal_id))
    return render(request, "web/person_edit.html", {"person": person, "form": form})


@login_and_post
def person_fact_add(request: HttpRequest, personal_id: str) -> HttpResponse:
    """Record an education level or occupation; with HTMX, answer the facts section only."""
    user = request_user(request)
    permissions.require(user, "people.edit")
    person = people_queries.access_person(user, personal_id, channel="web")
    form = PersonFactForm(request.POST)
    recorded = False
    if form.is_valid():
        try:
            people_actions.person_fact_record(
                person=person, acting_user=user, **form.fact_arguments()
            )
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            recorded = True
    if recorded and not is_htmx(request):
        messages.success(request, _("The fact was recorded."))
        return redirect(_detail_url(person.personal_id))
    context = person_detail_context(
        request, person, fact_form=PersonFactForm() if recorded else form
    )
    context["fact_recorded"] = recorded
    template = "web/partials/person_facts.html" if is_htmx(request) else "web/person_detail.html"
    return render(request, template, context)


@login_and_write
def person_move(request: HttpRequest, personal_id: str) -> HttpResponse:
    """Record a move to another commune (MSL Art. 17(2)(a)): the residence moves, and for
    someone on a register the transfer-out item comes on this commune's list and the
    transfer-in item on the new commune's. The person then lies outside the officer's
    jurisdiction: the answer is this commune's worklist of transfers out."""
    user = request_user(request)
    person = people_queries.access_person(user, personal_id, channel="web")
    permissions.require(user, "people.move", commune_id=person.residence_commune_id)
    form = PersonMoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            moved = work_actions.person_move_record(
                person=person,
                to_commune_code=data["to_commune"].strip(),
                address=data["address"],
                moved_on=data["moved_on"],
                acting_user=user,
            )
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            commune = moved.person.residence_commune
            if moved.transfers:
                text = _(
                    "%(name)s's move to %(commune)s was recorded; the transfer out is on this "
                    "commune's worklist and the transfer in on the new commune's."
                )
            else:
                text = _("%(name)s's move to %(commune)s was recorded.")
            messages.success(request, text % {"name": person.full_name, "commune": commune.name})
            if permissions.covers(user, commune_id=commune.pk):
                return redirect(_detail_url(person.personal_id))
            query = f"?kind={Kind.TRANSFER_OUT}&commune={moved.left.code}"
            return redirect(reverse("worklists:list") + query)
    context = {
        "person": person,
        "form": form,
        "communes": people_queries.sibling_communes(person.residence_commune),
    }
    return render(request, "web/person_move.html", context)
