"""The audit log pages, for auditors and administrators.

Who may look is `accounts.permissions`' `audit.read` (auditors and administrators); what they
see comes from their jurisdiction (accounts.scope): the visible commune codes for write
events, the visible persons for views of personal data. audit.queries applies both without
knowing either. The persons named on the views page are themselves a read, and logged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from muster.accounts import permissions
from muster.accounts.models import User
from muster.accounts.scope import scope_for
from muster.accounts.views_support import request_user
from muster.audit import queries as audit_queries
from muster.audit.labels import action_label
from muster.audit.models import AuditEvent, ReadEvent
from muster.audit.verify import Problem, verify
from muster.core.exports import export_format, export_response, limited
from muster.core.labels import label
from muster.people import queries as people_queries
from muster.people.models import Person
from muster.readiness import queries as readiness
from muster.web import exports
from muster.web.forms_audit import AuditEventFilterForm, AuditReadFilterForm
from muster.web.views import Page, is_htmx, login_and_scope, page_of

AUDIT_PAGE_SIZE = 50


def visible_commune_codes(user: User) -> frozenset[str] | None:
    """The 2025 commune codes of `user`'s jurisdiction; None for national scope."""
    if scope_for(user).is_national:
        return None
    return frozenset(readiness.communes_in_scope(user).values_list("code", flat=True))


@dataclass(frozen=True)
class EventRow:
    event: AuditEvent
    label: str
    data: str
    target: str  # "Person Nguyễn Văn An (0010…)", "Call-up order #12"


def _targets(user: User, events: list[AuditEvent], channel: str) -> dict[tuple[str, str], str]:
    """The record each event concerns, in words: its kind, and for a person in the user's
    scope the name and the first digits of the ID; otherwise the kind and the number. The
    persons the events name are a read of personal data, logged by people.queries."""
    persons = people_queries.persons_in_events(user, events, channel=channel)
    person_type = people_queries.PERSON_TYPE
    words: dict[tuple[str, str], str] = {}
    for event in events:
        kind = label("audit_target", event.target_type)
        person = (
            persons.get(int(event.target_id))
            if event.target_type == person_type and event.target_id.isdigit()
            else None
        )
        words[(event.target_type, event.target_id)] = (
            f"{kind} {person.full_name} ({person.personal_id[:4]}…)"
            if person is not None
            else f"{kind} #{event.target_id}"
        )
    return words


@login_and_scope
@vary_on_headers("HX-Request")
def audit_log(request: HttpRequest) -> HttpResponse:
    """Write events in the user's communes, filtered and paged (50 a page), newest first."""
    user = request_user(request)
    permissions.require(user, "audit.read")
    form = AuditEventFilterForm(request.GET)
    page: Page | None = None
    rows: list[EventRow] = []
    fmt = export_format(request)
    if form.is_valid():
        events = audit_queries.audit_event_list(
            commune_codes=visible_commune_codes(user), **form.filters()
        )
        if fmt is not None:
            listed, note = limited(events.iterator(chunk_size=2000))
            table = exports.audit_events_table(_event_rows(user, listed, fmt), note=note)
            return export_response(table, fmt)
        page = page_of(events, form.cleaned_data.get("page") or 1, AUDIT_PAGE_SIZE)
        rows = _event_rows(user, list(page.rows), "web")
    elif fmt is not None:
        raise Http404("the filters have errors")
    context = {"form": form, "page": page, "rows": rows, "query_string": _query_string(request)}
    template = "web/partials/audit_events.html" if is_htmx(request) else "web/audit_log.html"
    return render(request, template, context)


def _event_rows(user: User, events: list[AuditEvent], channel: str) -> list[EventRow]:
    """The events as the page and its downloads show them: the action and record in words."""
    targets = _targets(user, events, channel)
    return [
        EventRow(
            event=event,
            label=action_label(event.action),
            data=json.dumps(event.data, ensure_ascii=False, sort_keys=True),
            target=targets[(event.target_type, event.target_id)],
        )
        for event in events
    ]


@login_and_scope
def audit_chain_check(request: HttpRequest) -> HttpResponse:
    """Verify both audit chains against their key and the checkpoint file (`audit.verify`, as
    `muster audit verify` does), on request only: it reads both tables whole."""
    user = request_user(request)
    permissions.require(user, "audit.read")
    report = verify()
    context = {
        "intact": report.intact,
        "writes": report.checked.get("write", 0),
        "reads": report.checked.get("read", 0),
        "problems": [problem_text(problem) for problem in report.problems],
    }
    template = "web/partials/audit_chain.html" if is_htmx(request) else "web/audit_chain.html"
    return render(request, template, context)


def problem_text(problem: Problem) -> str:
    """One verification problem in the reader's language."""
    chain = {"write": _("Write events"), "read": _("Views of personal data")}.get(
        problem.chain, _("Checkpoints")
    )
    reasons = {
        "unlinked": _("does not follow the event before it: an event was deleted or inserted"),
        "edited": _("was edited after it was written"),
        "checkpoint_differs": _("differs from the checkpoint of %(at)s"),
        "newest_deleted": _(
            "was deleted with the newest events: the checkpoint of %(at)s names it"
        ),
        "no_checkpoint": _("no checkpoint of this database: the checkpoint file is missing"),
        "identity_deleted": _("the audit identity of this database was deleted"),
        "identities": _("the database holds more than one audit identity"),
        "bad_line": _("line %(line)s of the checkpoint file does not verify"),
    }
    wording = reasons.get(problem.code)
    reason = wording % problem.params if wording else problem.reason
    if problem.event_id:
        return _("%(chain)s, event %(event)s: %(reason)s") % {
            "chain": chain,
            "event": problem.event_id,
            "reason": reason,
        }
    return f"{chain}: {reason}"


@dataclass(frozen=True)
class ReadRow:
    read: ReadEvent
    person: Person | None


@login_and_scope
@vary_on_headers("HX-Request")
def audit_reads(request: HttpRequest) -> HttpResponse:
    """Who viewed the records of persons living in the user's communes, newest first."""
    user = request_user(request)
    permissions.require(user, "audit.read")
    form = AuditReadFilterForm(request.GET)
    page: Page | None = None
    rows: list[ReadRow] = []
    fmt = export_format(request)
    if form.is_valid():
        filters = form.filters()
        personal_id = filters.pop("personal_id")
        reads = audit_queries.read_event_list(
            target_type=people_queries.PERSON_TYPE,
            target_ids=people_queries.person_ids_visible(user, personal_id),
            **filters,
        )
        if fmt is not None:
            listed, note = limited(reads.iterator(chunk_size=2000))
            table = exports.audit_reads_table(_read_rows(user, listed, fmt), note=note)
            return export_response(table, fmt)
        page = page_of(reads, form.cleaned_data.get("page") or 1, AUDIT_PAGE_SIZE)
        rows = _read_rows(user, page.rows, "web")
    elif fmt is not None:
        raise Http404("the filters have errors")
    context = {"form": form, "page": page, "rows": rows, "query_string": _query_string(request)}
    template = "web/partials/audit_reads.html" if is_htmx(request) else "web/audit_reads.html"
    return render(request, template, context)


def _read_rows(user: User, reads: list[ReadEvent], channel: str) -> list[ReadRow]:
    """The reads with the persons they name (only persons `user` may see; naming them is a
    read too, logged by people.queries)."""
    ids = {int(read.target_id) for read in reads if read.target_id.isdigit()}
    persons = people_queries.persons_named(user, ids, action=people_queries.LISTED, channel=channel)
    return [
        ReadRow(read, persons.get(int(read.target_id)) if read.target_id.isdigit() else None)
        for read in reads
    ]


def _query_string(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
