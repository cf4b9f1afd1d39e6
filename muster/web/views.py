"""HTMX pages. Each view parses input, calls scoped queries, renders a template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from muster.accounts import permissions
from muster.accounts.models import User
from muster.accounts.scope import scope_for
from muster.accounts.views_support import request_user
from muster.core.exports import EXPORT_ROW_LIMIT, export_format, export_response, limit_note
from muster.core.views import View, guarded, page_number
from muster.geo import queries as geo_queries
from muster.geo.models import AdminUnit
from muster.militia import queries as militia_queries
from muster.militia.labels import commune_flag_words
from muster.orgs import queries as org_queries
from muster.orgs.models import OrgUnit
from muster.people import queries as people_queries
from muster.people import rules as people_rules
from muster.people.models import FactKind, Person
from muster.readiness import dashboard as dashboard_queries
from muster.readiness import queries as readiness
from muster.readiness.queries import CommuneFigures
from muster.reserve.queries import person_reserve_summary
from muster.web import exports
from muster.web.forms import CommuneListForm, MapFigureForm, PersonSearchForm
from muster.web.forms_people import PersonEditForm, PersonFactForm, education_label
from muster.worklists import queries as worklist_queries

PAGE_SIZE = 25
# A search reads every key up to its page: past 50,000 rows (the API's depth: 1,000 pages of
# 50) a page is a 404 rather than a scan of the whole registry. Refine the search instead.
PERSON_MAX_PAGE = 2_000


def login_and_scope(view: View) -> View:
    """A read-only page: GET only."""
    return guarded(["GET"])(view)


def login_and_write(view: View) -> View:
    """A page with a form: GET shows it, POST calls the action."""
    return guarded(["GET", "POST"])(view)


def login_and_post(view: View) -> View:
    """A form target with no page of its own: POST only."""
    return guarded(["POST"])(view)


def can_write_persons(user: User) -> bool:
    """Whether the person forms are offered; people.actions decides again on every write."""
    return permissions.may(user, "people.edit")


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@dataclass(frozen=True)
class Page:
    """A window of results without a COUNT(*) over a million rows: fetch one extra to know."""

    rows: list[Any]
    number: int
    has_previous: bool
    has_next: bool
    size: int = PAGE_SIZE

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.size + 1


def page_of(queryset: QuerySet[Any], number: int, size: int = PAGE_SIZE) -> Page:
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return Page(rows[:size], number, number > 1, len(rows) > size, size)


# Dashboard and map ---------------------------------------------------------------------------


@login_and_scope
def dashboard(request: HttpRequest) -> HttpResponse:
    """The work first: items due and overdue per worklist, the call-up's progress, the militia
    against its target — for the unit looked at (`?unit=`, default the jurisdiction) and each
    unit below it, with the population figures and the map after."""
    user = request_user(request)
    figure_form = MapFigureForm(request.GET or None)
    work = dashboard_queries.dashboard(user, unit_code=request.GET.get("unit") or None)
    return render(
        request,
        "web/dashboard.html",
        {
            "dashboard": work,
            "worklist_url": reverse("worklists:list"),
            "cycle_url": (
                reverse("conscription:cycle_detail", args=[work.cycles[0].pk])
                if len(work.cycles) == 1
                else reverse("conscription:cycle_list")
            ),
            "militia_url": (
                reverse("militia:roster", args=[work.figures.unit.code])
                if work.commune_code and work.figures.unit is not None
                else reverse("militia:index")
            ),
            "figures": readiness.jurisdiction_figures(user),
            "figure_form": figure_form,
            "map_url": reverse("web:map_communes"),
        },
    )


@login_and_scope
def map_communes(request: HttpRequest) -> JsonResponse:
    """Scoped GeoJSON of the jurisdiction's communes with their figures (for the choropleth)."""
    user = request_user(request)
    figures = readiness.commune_figures(user)
    codes = dict(AdminUnit.objects.filter(id__in=list(figures)).values_list("id", "code"))
    # Border, coastal, island and key defence communes (configuration data, DQTV Art. 15).
    flags = militia_queries.flags_by_commune(list(figures), timezone.localdate())
    properties: dict[int, dict[str, object]] = {
        commune_id: {
            "defence": commune_flag_words(flags[commune_id]) if commune_id in flags else "",
            "people": fig.people,
            "military_age_men": fig.military_age_men,
            "density": round(fig.density, 1) if fig.density is not None else None,
            "url": reverse("web:commune_detail", args=[codes[commune_id]]),
        }
        for commune_id, fig in figures.items()
    }
    collection = geo_queries.shapes_geojson(list(figures), properties)
    return JsonResponse(collection)


# Communes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommuneRow:
    unit: AdminUnit
    figures: CommuneFigures


def _commune_rows(request: HttpRequest) -> tuple[CommuneListForm, list[CommuneRow]]:
    user = request_user(request)
    form = CommuneListForm(request.GET)
    q = form.cleaned_data.get("q") if form.is_valid() else None
    units = list(readiness.communes_in_scope(user, q=q))
    figures = readiness.commune_figures(user)
    rows = [CommuneRow(unit, figures[unit.id]) for unit in units if unit.id in figures]
    attribute, descending = form.sort_key
    if attribute != "name":
        # Unknown densities sort last whichever way the list runs.
        def key(row: CommuneRow) -> tuple[bool, float]:
            value = getattr(row.figures, attribute)
            if value is None:
                return (True, 0.0)
            return (False, -value if descending else value)

        rows.sort(key=key)
    elif descending:
        rows.reverse()
    return form, rows


@login_and_scope
def communes(request: HttpRequest) -> HttpResponse:
    form, rows = _commune_rows(request)
    if (fmt := export_format(request)) is not None:
        return export_response(exports.communes_table(rows), fmt)
    return render(request, "web/communes.html", {"form": form, "rows": rows})


@login_and_scope
def communes_results(request: HttpRequest) -> HttpResponse:
    form, rows = _commune_rows(request)
    if (fmt := export_format(request)) is not None:
        return export_response(exports.communes_table(rows), fmt)
    return render(request, "web/partials/commune_table.html", {"form": form, "rows": rows})


@login_and_scope
def commune_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = request_user(request)
    today = timezone.localdate()
    unit = readiness.access_commune(user, code, today)
    command = org_queries.commune_command_of(unit, today)
    positions = (
        org_queries.positions_with_holders(
            command,
            today,
            viewer=org_queries.HolderViewer(scope_for(user, today), user, "web"),
        )
        if command
        else []
    )
    figures = readiness.commune_figures(user, today).get(unit.id)
    return render(
        request,
        "web/commune_detail.html",
        {
            "unit": unit,
            "predecessors": geo_queries.predecessors(unit),
            "command": command,
            "positions": positions,
            "figures": figures,
            "persons_url": f"{reverse('web:persons')}?commune={unit.code}",
        },
    )


# Organisation --------------------------------------------------------------------------------


@login_and_scope
def org_tree(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    root: OrgUnit | None = user.jurisdiction
    ancestors: list[OrgUnit] = []
    parent = root.parent if root else None
    while parent is not None:
        ancestors.insert(0, parent)
        parent = parent.parent
    return render(
        request,
        "web/org_tree.html",
        {
            "root": root,
            "ancestors": ancestors,
            "nodes": org_queries.org_tree(root, timezone.localdate()),
        },
    )


# Persons -------------------------------------------------------------------------------------


def _person_search(request: HttpRequest) -> dict[str, Any]:
    user = request_user(request)
    communes = commune_choices(user)
    commune_names = dict(communes)
    form = PersonSearchForm(request.GET, communes=communes)
    number = page_number(request)
    if number > PERSON_MAX_PAGE:
        raise Http404(f"no page {number}")
    context: dict[str, Any] = {
        "form": form,
        "page": None,
        "result": None,
        "can_write": can_write_persons(user),
    }
    if form.is_valid():
        result = people_queries.person_search_page(
            user, **form.search_arguments(), page=number, page_size=PAGE_SIZE, channel="web"
        )
        end = number * PAGE_SIZE
        has_next = len(result.items) == PAGE_SIZE and (end < result.count or result.count_is_capped)
        context["result"] = result
        # The page's persons carry only the list columns; names come from the commune choices.
        rows = [(p, commune_names.get(p.residence_commune.code, "")) for p in result.items]
        context["page"] = Page(rows, number, number > 1, has_next)
        params = request.GET.copy()
        params.pop("page", None)
        context["query_string"] = params.urlencode()
    return context


def _persons_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The search's matches in the page's order, up to EXPORT_ROW_LIMIT, through the page's
    own scoped search."""
    user = request_user(request)
    communes = commune_choices(user)
    form = PersonSearchForm(request.GET, communes=communes)
    if not form.is_valid():
        raise Http404("the search has errors")
    result = people_queries.person_search_page(
        user,
        **form.search_arguments(),
        page=1,
        page_size=EXPORT_ROW_LIMIT,
        count_cap=EXPORT_ROW_LIMIT,
        channel=fmt,
    )
    names = dict(communes)
    rows = [(p, names.get(p.residence_commune.code, "")) for p in result.items]
    note = limit_note() if result.count_is_capped else ""
    return export_response(exports.persons_table(rows, note=note), fmt)


@login_and_scope
def persons(request: HttpRequest) -> HttpResponse:
    if (fmt := export_format(request)) is not None:
        return _persons_export(request, fmt)
    return render(request, "web/persons.html", _person_search(request))


@login_and_scope
def persons_results(request: HttpRequest) -> HttpResponse:
    if (fmt := export_format(request)) is not None:
        return _persons_export(request, fmt)
    return render(request, "web/partials/person_results.html", _person_search(request))


def _warnings(person: Person) -> list[str]:
    """The person's ID data-quality codes (the page shows them as words: label "id_warning")."""
    return people_rules.split_warnings(person.id_warnings)


@dataclass(frozen=True)
class FactRow:
    kind: str
    value: str
    recorded_on: date
    source: str
    is_current: bool


def fact_rows(person: Person) -> list[FactRow]:
    """Every fact recorded for an accessed person, each kind newest first; the first of each
    kind is the current one (as people.queries.person_facts_current decides)."""
    rows: list[FactRow] = []
    seen: set[str] = set()
    for fact in people_queries.person_facts(person):
        rows.append(
            FactRow(
                kind=fact.get_kind_display(),
                value=education_label(fact.value)
                if fact.kind == FactKind.EDUCATION_LEVEL
                else fact.value,
                recorded_on=fact.recorded_on,
                source=fact.source,
                is_current=fact.kind not in seen,
            )
        )
        seen.add(fact.kind)
    return rows


def commune_choices(user: User) -> list[tuple[str, str]]:
    """(code, name) of the communes `user` covers today: what a residence may be set to."""
    return [(unit.code, unit.name) for unit in readiness.communes_in_scope(user)]


def person_detail_context(
    request: HttpRequest,
    person: Person,
    *,
    edit_form: PersonEditForm | None = None,
    fact_form: PersonFactForm | None = None,
) -> dict[str, Any]:
    """What the person page shows; the forms only for roles that may write."""
    user = request_user(request)
    can_write = can_write_persons(user)
    if can_write and edit_form is None:
        edit_form = PersonEditForm(
            initial=PersonEditForm.initial_for(person), communes=commune_choices(user)
        )
    if can_write and fact_form is None:
        fact_form = PersonFactForm()
    # The person was fetched through access_person (scope checked, read logged): its own
    # residence history, militia and reserve periods need no further check; the household's
    # other members and the worklist items are read through their scoped queries. One query
    # per section.
    today = timezone.localdate()
    return {
        "person": person,
        "militia": militia_queries.person_militia_summary(person, today),
        "work_items": worklist_queries.person_work_items(user, person),
        "household": people_queries.household_members(user, person, channel="web"),
        "today": today,
        "facts": fact_rows(person),
        "residences": people_queries.person_residences(person),
        "warnings": _warnings(person),
        # The reserve beside the service section: one person, several obligations.
        "reserve": person_reserve_summary(person, timezone.localdate()),
        "can_write": can_write,
        "can_move": permissions.may(user, "people.move", commune_id=person.residence_commune_id),
        "edit_form": edit_form if can_write else None,
        "fact_form": fact_form if can_write else None,
    }


@login_and_scope
def person_detail(request: HttpRequest, personal_id: str) -> HttpResponse:
    person = people_queries.access_person(request_user(request), personal_id, channel="web")
    return render(request, "web/person_detail.html", person_detail_context(request, person))


@login_and_scope
def id_warnings(request: HttpRequest) -> HttpResponse:
    if (fmt := export_format(request)) is not None:
        listed, note = people_queries.id_warnings_for_file(request_user(request), channel=fmt)
        table = exports.id_warnings_table([(p, _warnings(p)) for p in listed], note=note)
        return export_response(table, fmt)
    number = page_number(request)
    people, has_next = people_queries.id_warning_page(
        request_user(request), page=number, page_size=PAGE_SIZE, channel="web"
    )
    page = Page(people, number, number > 1, has_next)
    rows = [(person, _warnings(person)) for person in page.rows]
    template = "web/partials/id_warning_table.html" if is_htmx(request) else "web/id_warnings.html"
    return render(request, template, {"page": page, "rows": rows})
